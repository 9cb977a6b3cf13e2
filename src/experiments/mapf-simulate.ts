/**
 * `simulate --env mapf`: one lifelong MAPF episode under a baseline or a trained policy, written
 * to a run directory: `config.json` (the resolved options), `metrics.json` (throughput, goals,
 * waits, conflicts, fairness) and `replay.json` (every agent's cell and goal at every step, for
 * the report and the dashboard).
 */
import { z } from "zod";
import { RUN_FILES } from "../core/run-layout.ts";
import { MapfTrainSchema, mapfEnvOf } from "../envs/mapf/entry.ts";
import type { MapfMetrics } from "../envs/mapf/mapf-env.ts";
import { recordMapfEpisode } from "../envs/mapf/replay.ts";
import { findMapfDispatcher, MAPF_DISPATCHER_NAMES } from "./mapf-policy.ts";
import { createRunDir, writeJson } from "./run-dir.ts";

export const MapfSimulateSchema = MapfTrainSchema.omit({ evalMap: true })
  .extend({
    environment: z.literal("mapf"),
    dispatcher: z
      .string()
      .default("whca")
      .describe(`${MAPF_DISPATCHER_NAMES.join(" | ")} | policy:<checkpoint>`),
    seed: z
      .number()
      .int()
      .min(0)
      .max(0xffffffff)
      .default(0)
      .describe("seed of the map (if generated), starts, goals and the controller"),
  })
  .strict();
export type MapfSimulateConfig = z.output<typeof MapfSimulateSchema>;

export interface MapfSimulateResult {
  environment: "mapf";
  runDir: string;
  dispatcher: string;
  seed: number;
  map: string;
  agents: number;
  steps: number;
  episodeMs: number;
  metrics: MapfMetrics;
  /** The metrics' headline, at the top level as the issue asks: goals per step. */
  throughput: number;
}

export async function simulateMapf(
  config: MapfSimulateConfig,
  out: string | undefined,
  onStep?: (step: number, total: number) => void,
): Promise<MapfSimulateResult> {
  const runDir = createRunDir("simulate", out); // before any work: a bad --out fails at once
  const env = mapfEnvOf(config.map, { ...config, evalMap: undefined });
  const dispatcher = await findMapfDispatcher(config.dispatcher, env);
  const t0 = performance.now();
  const replay = recordMapfEpisode(env, dispatcher, config.seed, onStep);
  const episodeMs = performance.now() - t0;
  writeJson(runDir, RUN_FILES.config, config);
  writeJson(runDir, RUN_FILES.metrics, replay.metrics);
  writeJson(runDir, RUN_FILES.replay, replay);
  return {
    environment: "mapf",
    runDir,
    dispatcher: dispatcher.name,
    seed: config.seed,
    map: replay.map.name,
    agents: replay.agents,
    steps: replay.steps,
    episodeMs,
    metrics: replay.metrics,
    throughput: replay.metrics.throughput,
  };
}
