/**
 * `compare`: learning algorithms and non-learning dispatchers side by side. Each algorithm is
 * trained once per seed (run directories `<out>/<algo>-seed<s>`), its best policy is evaluated on
 * the evaluation hours; each baseline plays the same evaluation episodes. Seed s evaluates on
 * episode seed EVAL_SEED_BASE + s for every entry, so the comparison is paired. A sample of an
 * entry = one seed's mean over the hours; the table gives mean ± 95% CI over seeds.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { ALGORITHM_NAMES, type AlgorithmName } from "../algorithms/registry.ts";
import { writeFileAtomic } from "../core/atomic-write.ts";
import { UserError } from "../core/errors.ts";
import { RUN_FILES } from "../core/run-layout.ts";
import { meanCi95 } from "../core/stats.ts";
import { BASELINE_DISPATCHERS } from "../envs/dispatch/dispatchers.ts";
import {
  emptyDistributions,
  mergeDistributions,
  type OrderDistributions,
} from "../envs/dispatch/distributions.ts";
import { DispatchTrainSchema, dispatchTrainingEnvs } from "../envs/dispatch/entry.ts";
import type { EpisodeMetrics } from "../envs/dispatch/metrics.ts";
import { type LoadedWorld, loadWorld } from "../envs/dispatch/world.ts";
import { TrainConfigSchema } from "../training/train-config.ts";
import { EVAL_SEED_BASE, type MetricSummary, playEpisodes } from "./evaluate.ts";
import { findDispatcher } from "./policy-dispatcher.ts";
import { createRunDir, writeJson } from "./run-dir.ts";
import { withRunDirLock } from "./run-lock.ts";
import { type RunOptions, resume, type TrainHooks, type TrainResult, train } from "./train.ts";

const ENTRY_NAMES = [...ALGORITHM_NAMES, ...BASELINE_DISPATCHERS.map((d) => d.name)];

export const CompareSchema = z
  .object({
    algos: z
      .array(z.enum(ENTRY_NAMES as [string, ...string[]]))
      .min(1)
      .default(["ospo", "grpo", "ippo", "min-eta", "greedy"])
      .describe(`entries: ${ENTRY_NAMES.join(", ")}`),
    seeds: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(3)
      .describe("training seeds (and paired evaluation episodes)"),
    episodes: z.number().int().min(1).default(50).describe("training episodes per run"),
    hours: z
      .array(z.number().int().min(0).max(23))
      .min(1)
      .default([14, 17, 20, 21, 22])
      .describe("evaluation hours"),
    /** Training options shared by every algorithm (algo, seed and episodes are set per run). */
    train: TrainConfigSchema.omit({ algo: true, seed: true, episodes: true }).partial().default({}),
    /** The training environment; evaluation uses it with each evaluation hour and every trip. */
    env: DispatchTrainSchema.default(DispatchTrainSchema.parse({})),
    demand: z.string().optional(),
    scenario: z.string().optional().describe("the scenario the values came from (informative)"),
  })
  .strict();
export type CompareConfig = z.output<typeof CompareSchema>;

export const METRICS = [
  "reward",
  "served",
  "serviceRate",
  "confirmationS",
  "pickupS",
  "detourS",
  "incomeGini",
] as const;
type MetricName = (typeof METRICS)[number];
const pick: Record<MetricName, (m: EpisodeMetrics) => number> = {
  reward: (m) => m.episodeReward,
  served: (m) => m.served,
  serviceRate: (m) => m.serviceRate,
  confirmationS: (m) => m.meanConfirmationS,
  pickupS: (m) => m.meanPickupS,
  detourS: (m) => m.meanDetourS,
  incomeGini: (m) => m.incomeGini,
};

export interface CompareRow {
  entry: string;
  /** Per metric: mean ± CI over seeds of each seed's mean over the hours. */
  overall: Record<MetricName, MetricSummary>;
  /** Per hour and metric: mean ± CI over seeds. */
  byHour: { hour: number; metrics: Record<MetricName, MetricSummary> }[];
}

export interface CompareResult {
  outDir: string;
  config: CompareConfig;
  rows: CompareRow[];
  markdown: string;
  /** True when Ctrl-C stopped a training run: the table holds the entries finished so far. */
  stoppedEarly: boolean;
}

/** One unit of work: a training run (+ its evaluation) or a dispatcher's evaluation episodes. */
export interface CompareUnit {
  entry: string;
  /** The training seed; null for a dispatcher (all seeds at once). */
  seed: number | null;
  index: number;
  total: number;
  /** Training episodes of this unit (0 for a dispatcher). */
  episodes: number;
  /** True when a previous, interrupted compare already finished it (read back, not rerun). */
  cached: boolean;
}

export interface CompareHooks {
  log?: (message: string) => void;
  /** Hooks of every training run (shouldStop stops the comparison after that run's checkpoint). */
  train?: TrainHooks;
  onUnitStart?: (unit: CompareUnit) => void;
  onUnitDone?: (unit: CompareUnit) => void;
}

/** A finished unit's evaluation, kept in `<outDir>/<entry>[-seed<s>]/compare-eval.json`. */
interface UnitResult {
  /** Per seed, hour-ordered episode metrics. */
  perSeed: EpisodeMetrics[][];
  /** Hour-ordered distributions. */
  perHour: OrderDistributions[];
}

/**
 * Train and evaluate every entry. Each finished unit is saved at once, so a comparison stopped
 * by Ctrl-C (or killed) and run again with the same config and `out` skips what it finished and
 * resumes the interrupted training run from its checkpoint.
 */
export async function compare(
  config: CompareConfig,
  out: string | undefined,
  hooks: CompareHooks = {},
  options: RunOptions = {},
): Promise<CompareResult> {
  const outDir = createRunDir("compare", out);
  // one process per comparison directory
  return withRunDirLock(outDir, () => compareIn(outDir, config, hooks, options));
}

/** compare() in its locked directory. */
async function compareIn(
  outDir: string,
  config: CompareConfig,
  hooks: CompareHooks,
  options: RunOptions,
): Promise<CompareResult> {
  const log = hooks.log ?? (() => {});
  checkSameComparison(outDir, config);
  writeJson(outDir, RUN_FILES.config, config);
  const world = await loadWorld(config.env, { demandFile: config.demand });
  const seeds = Array.from({ length: config.seeds }, (_, s) => s);
  const evalBase = { ...config.env, sampleFraction: config.env.evalSampleFraction };
  const learns = (e: string) => (ALGORITHM_NAMES as readonly string[]).includes(e);
  const units = config.algos.flatMap((entry): { entry: string; seed: number | null }[] =>
    learns(entry) ? seeds.map((seed) => ({ entry, seed })) : [{ entry, seed: null }],
  );
  const results = new Map<string, UnitResult[]>();
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
    if (!result && u.seed === null) {
      log(`${u.entry}: ${config.seeds} episodes per hour`);
      const dispatcher = await findDispatcher(u.entry, world);
      const runs = playEpisodes(
        world,
        evalBase,
        [dispatcher],
        config.hours,
        seeds.map((s) => EVAL_SEED_BASE + s),
      );
      result = {
        perSeed: seeds.map((s) => runs.map((r) => r.metrics[s])),
        perHour: runs.map((r) => r.distributions),
      };
    } else if (!result && u.seed !== null) {
      const algo = u.entry as AlgorithmName;
      const trained = await trainUnit(config, algo, u.seed, dir, world, hooks, options);
      if (trained.stoppedEarly) {
        stoppedEarly = true;
        break;
      }
      const policy = await findDispatcher(`policy:${trained.best ?? trained.checkpoint}`, world);
      log(`${u.entry}, seed ${u.seed}: evaluating on hours ${config.hours.join(", ")}`);
      const runs = playEpisodes(world, evalBase, [policy], config.hours, [EVAL_SEED_BASE + u.seed]);
      result = {
        perSeed: [runs.map((r) => r.metrics[0])],
        perHour: runs.map((r) => r.distributions),
      };
    }
    if (!saved && result) writeJson(dir, RUN_FILES.compareUnits, result);
    if (result) results.set(u.entry, [...(results.get(u.entry) ?? []), result]);
    hooks.onUnitDone?.(unit);
  }
  // An entry enters the table once every one of its seeds is done.
  const done = config.algos.filter(
    (e) => (results.get(e)?.length ?? 0) === (learns(e) ? config.seeds : 1),
  );
  if (done.length === 0 && !stoppedEarly) throw new UserError("compare: nothing to compare");
  const rows = done.map((e) =>
    summariseEntry(
      e,
      results.get(e)!.flatMap((r) => r.perSeed),
      config.hours,
    ),
  );
  const distributions: Record<string, OrderDistributions[]> = {};
  for (const e of done) {
    const perHour = config.hours.map(() => emptyDistributions());
    for (const r of results.get(e)!)
      for (const [h, d] of r.perHour.entries()) mergeDistributions(perHour[h], d);
    distributions[e] = perHour;
  }
  const markdown = toMarkdown(rows, config);
  if (stoppedEarly) return { outDir, config, rows, markdown, stoppedEarly };
  writeFileAtomic(join(outDir, RUN_FILES.compareTable), markdown);
  writeFileAtomic(join(outDir, RUN_FILES.compareCsv), toCsv(rows));
  writeJson(outDir, RUN_FILES.compare, { config, rows, distributions });
  return { outDir, config, rows, markdown, stoppedEarly };
}

/** A training run of the comparison: new, or resumed from an interrupted compare's checkpoint. */
async function trainUnit(
  config: CompareConfig,
  algo: AlgorithmName,
  seed: number,
  runDir: string,
  world: LoadedWorld,
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
    { environment: "dispatch", train: trainConfig, env: config.env, demand: config.demand },
    runDir,
    hooks.train ?? {},
    { envs: dispatchTrainingEnvs(config.env, world), workers: options.workers },
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

/** Resuming into `outDir` is only right for the very same comparison. */
function checkSameComparison(outDir: string, config: CompareConfig): void {
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

function summariseEntry(entry: string, perSeed: EpisodeMetrics[][], hours: number[]): CompareRow {
  const summary = (values: number[]): MetricSummary => {
    const ci = meanCi95(values);
    return { mean: ci.mean, ci95: ci.half };
  };
  const overall = {} as Record<MetricName, MetricSummary>;
  for (const m of METRICS)
    overall[m] = summary(
      perSeed.map((eps) => eps.reduce((s, e) => s + pick[m](e), 0) / eps.length),
    );
  const byHour = hours.map((hour, h) => {
    const metrics = {} as Record<MetricName, MetricSummary>;
    for (const m of METRICS) metrics[m] = summary(perSeed.map((eps) => pick[m](eps[h])));
    return { hour, metrics };
  });
  return { entry, overall, byHour };
}

const HEADERS: Record<MetricName, [string, number, number]> = {
  // title, scale, digits
  reward: ["episode reward", 1, 0],
  served: ["served", 1, 0],
  serviceRate: ["service rate %", 100, 1],
  confirmationS: ["confirmation s", 1, 1],
  pickupS: ["pickup s", 1, 1],
  detourS: ["detour s", 1, 1],
  incomeGini: ["income Gini", 1, 3],
};

function cell(m: MetricSummary, scale: number, digits: number): string {
  const half = Number.isNaN(m.ci95) ? "–" : (m.ci95 * scale).toFixed(digits);
  return `${(m.mean * scale).toFixed(digits)} ± ${half}`;
}

function toMarkdown(rows: CompareRow[], c: CompareConfig): string {
  const head = `| entry | ${METRICS.map((m) => HEADERS[m][0]).join(" | ")} |`;
  const rule = `|---|${METRICS.map(() => "---").join("|")}|`;
  const line = (name: string, metrics: Record<MetricName, MetricSummary>) =>
    `| ${name} | ${METRICS.map((m) => cell(metrics[m], HEADERS[m][1], HEADERS[m][2])).join(" | ")} |`;
  const learns = c.algos.some((a) => (ALGORITHM_NAMES as readonly string[]).includes(a));
  const setting = learns
    ? `Trained on ${c.env.vehicles} vehicles × ${c.env.epochs} epochs from ${c.env.startHour}:00 on ${c.env.date} ` +
      `(${c.episodes} episodes per run); evaluated`
    : `${c.env.vehicles} vehicles × ${c.env.epochs} epochs on ${c.env.date}`;
  const parts = [
    `${c.scenario ? `Scenario ${c.scenario}. ` : ""}${setting} on hours ${c.hours.join(", ")}; mean ± 95% CI over ${c.seeds} seeds ` +
      "(a seed's value is its mean over the hours).",
    "",
    head,
    rule,
    ...rows.map((r) => line(r.entry, r.overall)),
  ];
  for (const [h, hour] of c.hours.entries()) {
    parts.push(
      "",
      `Hour ${hour}:`,
      "",
      head,
      rule,
      ...rows.map((r) => line(r.entry, r.byHour[h].metrics)),
    );
  }
  return `${parts.join("\n")}\n`;
}

function toCsv(rows: CompareRow[]): string {
  const header = ["entry", "hour", ...METRICS.flatMap((m) => [m, `${m}_ci95`])];
  const lines = [header.join(",")];
  for (const r of rows) {
    const values = (hour: string, metrics: Record<MetricName, MetricSummary>) =>
      [r.entry, hour, ...METRICS.flatMap((m) => [metrics[m].mean, metrics[m].ci95])].join(",");
    lines.push(values("all", r.overall));
    for (const h of r.byHour) lines.push(values(String(h.hour), h.metrics));
  }
  return `${lines.join("\n")}\n`;
}
