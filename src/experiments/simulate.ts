/**
 * `simulate`: episodes of the dispatch simulator under one dispatcher, on the shipped day or a
 * user's trip file, written to a run directory (resolved config, metrics.json, events.json).
 */
import { z } from "zod";
import { RUN_FILES } from "../core/run-layout.ts";
import type { LoadReport } from "../demand/load-trips.ts";
import { reportCounts } from "../demand/report-line.ts";
import { DispatchConfigSchema } from "../envs/dispatch/config.ts";
import { BASELINE_DISPATCHERS } from "../envs/dispatch/dispatchers.ts";
import { type EpisodeResult, runEpisode } from "../envs/dispatch/episode.ts";
import { eventsFile } from "../envs/dispatch/event-log.ts";
import { DispatchSimulator } from "../envs/dispatch/simulator.ts";
import { loadWorld } from "../envs/dispatch/world.ts";
import { findDispatcher } from "./policy-dispatcher.ts";
import { createRunDir, writeJson } from "./run-dir.ts";

export const SimulateConfigSchema = DispatchConfigSchema.extend({
  dispatcher: z
    .string()
    .default("min-eta")
    .describe(`${BASELINE_DISPATCHERS.map((d) => d.name).join(" | ")} | policy:<checkpoint>`),
  seed: z
    .number()
    .int()
    .min(0)
    .max(0xffffffff)
    .default(0)
    .describe("seed of demand sampling, fleet and exploration"),
  demand: z
    .string()
    .optional()
    .describe("trip file (TLC CSV, CSV.gz or Parquet); default the shipped day"),
  scenario: z.string().optional().describe("the scenario the values came from (informative)"),
}).strict();
export type SimulateConfig = z.output<typeof SimulateConfigSchema>;

export interface SimulateResult {
  runDir: string;
  dispatcher: string;
  seed: number;
  startupMs: number;
  episodeMs: number;
  /** What was read of the trip file. */
  demand: LoadReport;
  metrics: EpisodeResult["metrics"];
  phases: EpisodeResult["phases"];
}

export interface SimulateHooks {
  /** The trip file was read: rows read / kept / skipped by reason. */
  onDemand?: (report: LoadReport) => void;
  onStartup?: (ms: number) => void;
  onEpoch?: (epoch: number, total: number) => void;
}

export async function simulate(
  config: SimulateConfig,
  out: string | undefined,
  hooks: SimulateHooks = {},
): Promise<SimulateResult> {
  const runDir = createRunDir("simulate", out); // before any work: a bad --out fails at once
  const t0 = performance.now();
  const world = await loadWorld(config, { demandFile: config.demand });
  hooks.onDemand?.(world.report);
  const dispatcher = await findDispatcher(config.dispatcher, world);
  const sim = new DispatchSimulator(world, config);
  world.oracleAt(Math.floor(sim.startTime / 3600) % 24); // start-up: the first hour's travel-time table
  const startupMs = performance.now() - t0;
  hooks.onStartup?.(startupMs);
  const t1 = performance.now();
  const result = runEpisode(sim, dispatcher, config.seed, (e) => hooks.onEpoch?.(e, config.epochs));
  const episodeMs = performance.now() - t1;
  writeJson(runDir, RUN_FILES.config, config);
  // The episode's metrics, then what was read of the trip file (flat numbers, like the rest).
  writeJson(runDir, RUN_FILES.metrics, { ...result.metrics, ...reportCounts(world.report) });
  writeJson(runDir, RUN_FILES.events, eventsFile(sim.startTime, sim.orders, sim.log));
  return {
    runDir,
    dispatcher: dispatcher.name,
    seed: config.seed,
    startupMs,
    episodeMs,
    demand: world.report,
    ...result,
  };
}
