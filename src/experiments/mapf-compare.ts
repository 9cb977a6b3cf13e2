/**
 * `compare --env mapf`: learning algorithms and MAPF baselines side by side on held-out maps.
 * Each algorithm trains once per seed (`<out>/<algo>-seed<s>`, the run's `env:` section as
 * given); its best policy then plays `evalEpisodes` episodes on every evaluation map. Seed s
 * plays the episodes of seeds EVAL_SEED_BASE + s·E … + s·E + E − 1 for every entry, baselines
 * included, so the comparison is paired; a sample of an entry is one seed's mean throughput
 * over those episodes, and the table gives mean ± 95% CI over the seeds, per map and over all.
 * A finished unit is saved at once (`compare-eval.json`), so an interrupted comparison run again
 * with the same options and `--out` resumes where it stopped.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { ALGORITHM_NAMES, type AlgorithmName } from "../algorithms/registry.ts";
import { writeFileAtomic } from "../core/atomic-write.ts";
import { UserError } from "../core/errors.ts";
import { RUN_FILES } from "../core/run-layout.ts";
import { meanCi95 } from "../core/stats.ts";
import { mapfBaseline } from "../envs/mapf/baselines.ts";
import { type MapfTrainConfig, MapfTrainSchema, mapfEnvOf } from "../envs/mapf/entry.ts";
import type { MapfMetrics } from "../envs/mapf/mapf-env.ts";
import { TrainConfigSchema } from "../training/train-config.ts";
import type { CompareHooks, CompareUnit } from "./compare.ts";
import type { MetricSummary } from "./evaluate.ts";
import {
  MAPF_METRICS,
  type MapfMetricName,
  mapfEvalSeeds,
  mapLabel,
  playMapf,
} from "./mapf-evaluate.ts";
import { findMapfDispatcher } from "./mapf-policy.ts";
import { createRunDir, writeJson } from "./run-dir.ts";
import { withRunDirLock } from "./run-lock.ts";
import { type RunOptions, resume, type TrainResult, train } from "./train.ts";

const isAlgorithm = (e: string) => (ALGORITHM_NAMES as readonly string[]).includes(e);

export const MapfCompareSchema = z
  .object({
    environment: z.literal("mapf"),
    algos: z
      .array(
        z.string().refine((e) => isAlgorithm(e) || mapfBaseline(e) !== undefined, {
          message: `expected an algorithm (${ALGORITHM_NAMES.join(", ")}) or a mapf baseline (random, shortest-path, whca, whca-W)`,
        }),
      )
      .min(1)
      .default(["shortest-path", "whca", "ospo", "grpo", "ippo", "mappo"])
      .describe("entries: algorithms and mapf baselines"),
    seeds: z.number().int().min(1).max(100).default(3).describe("training seeds"),
    episodes: z.number().int().min(1).default(30).describe("training episodes per run"),
    maps: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe("evaluation maps: kinds or .map files (default: env.evalMap, else env.map)"),
    evalEpisodes: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(2)
      .describe("evaluation episodes per map and seed"),
    evalSteps: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .optional()
      .describe("steps of an evaluation episode (default env.steps)"),
    train: TrainConfigSchema.omit({ algo: true, seed: true, episodes: true }).partial().default({}),
    env: MapfTrainSchema.default(MapfTrainSchema.parse({})),
  })
  .strict();
export type MapfCompareConfig = z.output<typeof MapfCompareSchema>;

export interface MapfCompareRow {
  entry: string;
  /** Over all maps: per seed the mean over maps of its per-map means. */
  overall: Record<MapfMetricName, MetricSummary>;
  byMap: { map: string; metrics: Record<MapfMetricName, MetricSummary> }[];
}

export interface MapfCompareResult {
  environment: "mapf";
  outDir: string;
  config: MapfCompareConfig;
  rows: MapfCompareRow[];
  markdown: string;
  stoppedEarly: boolean;
}

/** A unit's evaluation: per seed, per map (in `maps` order), its episodes' metrics. */
interface UnitResult {
  perSeed: MapfMetrics[][][];
}

export function evaluationMaps(config: MapfCompareConfig): string[] {
  return config.maps ?? [config.env.evalMap ?? config.env.map];
}

export async function compareMapf(
  config: MapfCompareConfig,
  out: string | undefined,
  hooks: CompareHooks = {},
  options: RunOptions = {},
): Promise<MapfCompareResult> {
  const outDir = createRunDir("compare", out);
  // one process per comparison directory
  return withRunDirLock(outDir, () => compareMapfIn(outDir, config, hooks, options));
}

/** compareMapf() in its locked directory. */
async function compareMapfIn(
  outDir: string,
  config: MapfCompareConfig,
  hooks: CompareHooks,
  options: RunOptions,
): Promise<MapfCompareResult> {
  const log = hooks.log ?? (() => {});
  checkSameComparison(outDir, config);
  writeJson(outDir, RUN_FILES.config, config);
  const maps = evaluationMaps(config);
  const evalEnv: MapfTrainConfig = { ...config.env, steps: config.evalSteps ?? config.env.steps };
  const envs = maps.map((m) => mapfEnvOf(m, evalEnv)); // a bad map fails before any training
  const seeds = Array.from({ length: config.seeds }, (_, s) => s);
  const E = config.evalEpisodes;
  const units = config.algos.flatMap((entry): { entry: string; seed: number | null }[] =>
    isAlgorithm(entry) ? seeds.map((seed) => ({ entry, seed })) : [{ entry, seed: null }],
  );
  const results = new Map<string, MapfMetrics[][][]>();
  let stoppedEarly = false;
  for (const [index, u] of units.entries()) {
    const dir = join(outDir, u.seed === null ? u.entry : `${u.entry}-seed${u.seed}`);
    const saved = readUnit(dir);
    const unit: CompareUnit = {
      ...u,
      index,
      total: units.length,
      episodes: u.seed === null ? 0 : config.episodes,
      cached: saved !== null,
    };
    hooks.onUnitStart?.(unit);
    let result = saved;
    if (!result) {
      let name = u.entry;
      let played = u.seed === null ? seeds : [u.seed];
      if (u.seed !== null) {
        const algo = u.entry as AlgorithmName;
        const trained = await trainUnit(config, algo, u.seed, dir, hooks, options);
        if (trained.stoppedEarly) {
          stoppedEarly = true;
          break;
        }
        name = `policy:${trained.best ?? trained.checkpoint}`;
        played = [u.seed];
      }
      log(
        `${u.entry}${u.seed === null ? "" : `, seed ${u.seed}`}: evaluating on ${maps.map(mapLabel).join(", ")}`,
      );
      const perSeed: MapfMetrics[][][] = [];
      for (const s of played) {
        const perMap: MapfMetrics[][] = [];
        for (const env of envs) {
          const dispatcher = await findMapfDispatcher(name, env);
          perMap.push(playMapf(env, dispatcher, mapfEvalSeeds(E, s * E)));
        }
        perSeed.push(perMap);
      }
      result = { perSeed };
      writeJson(dir, RUN_FILES.compareUnits, result);
    }
    results.set(u.entry, [...(results.get(u.entry) ?? []), ...result.perSeed]);
    hooks.onUnitDone?.(unit);
  }
  const done = config.algos.filter((e) => (results.get(e)?.length ?? 0) === config.seeds);
  if (done.length === 0 && !stoppedEarly) throw new UserError("compare: nothing to compare");
  const labels = maps.map(mapLabel);
  const rows = done.map((e) => summariseEntry(e, results.get(e)!, labels));
  const markdown = toMarkdown(rows, config, labels);
  if (!stoppedEarly) {
    writeFileAtomic(join(outDir, RUN_FILES.compareTable), markdown);
    writeFileAtomic(join(outDir, RUN_FILES.compareCsv), toCsv(rows));
    writeJson(outDir, RUN_FILES.compare, { environment: "mapf", config, rows });
  }
  return { environment: "mapf", outDir, config, rows, markdown, stoppedEarly };
}

async function trainUnit(
  config: MapfCompareConfig,
  algo: AlgorithmName,
  seed: number,
  runDir: string,
  hooks: CompareHooks,
  options: RunOptions,
): Promise<TrainResult> {
  if (existsSync(join(runDir, RUN_FILES.checkpoint))) {
    hooks.log?.(`${algo}, seed ${seed}: resuming the interrupted run in ${runDir}`);
    return resume(runDir, config.episodes, hooks.train ?? {}, options);
  }
  hooks.log?.(`${algo}, seed ${seed}: training ${config.episodes} episodes`);
  const trainConfig = TrainConfigSchema.parse({
    ...config.train,
    algo,
    seed,
    episodes: config.episodes,
  });
  return train(
    { environment: "mapf", train: trainConfig, env: config.env },
    runDir,
    hooks.train ?? {},
    options,
  );
}

function readUnit(dir: string): UnitResult | null {
  const path = join(dir, RUN_FILES.compareUnits);
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, "utf8")) as UnitResult;
  } catch {
    return null; // torn or foreign: redo the unit
  }
}

function checkSameComparison(outDir: string, config: MapfCompareConfig): void {
  const path = join(outDir, RUN_FILES.config);
  if (!existsSync(path)) return;
  let before: unknown;
  try {
    before = JSON.parse(readFileSync(path, "utf8"));
  } catch {
    throw new UserError(`${path}: not readable JSON (is ${outDir} a compare directory?)`);
  }
  if (JSON.stringify(before) !== JSON.stringify(config))
    throw new UserError(
      `${outDir}: holds another comparison (its config.json differs); rerun with the same options to resume it, or choose another --out`,
    );
}

const summary = (values: number[]): MetricSummary => {
  const ci = meanCi95(values);
  return { mean: ci.mean, ci95: ci.half };
};
const meanOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** `perSeed[s][m]`: seed s's episodes on map m. */
function summariseEntry(entry: string, perSeed: MapfMetrics[][][], maps: string[]): MapfCompareRow {
  const seedMapMean = (k: MapfMetricName, s: number, m: number) =>
    meanOf(perSeed[s][m].map((x) => x[k]));
  const overall = {} as Record<MapfMetricName, MetricSummary>;
  for (const k of MAPF_METRICS)
    overall[k] = summary(perSeed.map((_, s) => meanOf(maps.map((_m, m) => seedMapMean(k, s, m)))));
  const byMap = maps.map((map, m) => {
    const metrics = {} as Record<MapfMetricName, MetricSummary>;
    for (const k of MAPF_METRICS) metrics[k] = summary(perSeed.map((_, s) => seedMapMean(k, s, m)));
    return { map, metrics };
  });
  return { entry, overall, byMap };
}

const COLUMNS: [MapfMetricName, string, number, number][] = [
  ["throughput", "throughput (goals/step)", 1, 3],
  ["goals", "goals", 1, 1],
  ["waitFraction", "waits %", 100, 1],
  ["fairness", "fairness (Jain)", 1, 3],
];

function cell(m: MetricSummary, scale: number, digits: number): string {
  const half = Number.isNaN(m.ci95) ? "–" : (m.ci95 * scale).toFixed(digits);
  return `${(m.mean * scale).toFixed(digits)} ± ${half}`;
}

function toMarkdown(rows: MapfCompareRow[], c: MapfCompareConfig, maps: string[]): string {
  const head = `| entry | ${COLUMNS.map((x) => x[1]).join(" | ")} |`;
  const rule = `|---|${COLUMNS.map(() => "---").join("|")}|`;
  const line = (name: string, metrics: Record<MapfMetricName, MetricSummary>) =>
    `| ${name} | ${COLUMNS.map(([k, , s, d]) => cell(metrics[k], s, d)).join(" | ")} |`;
  const steps = c.evalSteps ?? c.env.steps;
  const parts = [
    `Trained on ${c.env.map} maps${c.env.map.endsWith(".map") ? "" : ` ${c.env.width}×${c.env.height}`}, ${c.env.agents} agents, ` +
      `${c.env.steps} steps (${c.episodes} episodes per run); evaluated on ${maps.join(", ")} ` +
      `(${c.evalEpisodes} episodes of ${steps} steps per map and seed); mean ± 95% CI over ${c.seeds} seeds.`,
    "",
    "All maps (a seed's value is its mean over the maps):",
    "",
    head,
    rule,
    ...rows.map((r) => line(r.entry, r.overall)),
  ];
  for (const [m, map] of maps.entries())
    parts.push(
      "",
      `Map ${map}:`,
      "",
      head,
      rule,
      ...rows.map((r) => line(r.entry, r.byMap[m].metrics)),
    );
  return `${parts.join("\n")}\n`;
}

function toCsv(rows: MapfCompareRow[]): string {
  const header = ["entry", "map", ...MAPF_METRICS.flatMap((m) => [m, `${m}_ci95`])];
  const lines = [header.join(",")];
  for (const r of rows) {
    const values = (map: string, metrics: Record<MapfMetricName, MetricSummary>) =>
      [r.entry, map, ...MAPF_METRICS.flatMap((m) => [metrics[m].mean, metrics[m].ci95])].join(",");
    lines.push(values("all", r.overall));
    for (const b of r.byMap) lines.push(values(b.map, b.metrics));
  }
  return `${lines.join("\n")}\n`;
}
