/**
 * `compare`: learning algorithms and non-learning dispatchers side by side. Each algorithm is
 * trained once per seed (run directories `<out>/<algo>-seed<s>`), its best policy is evaluated on
 * the evaluation hours; each baseline plays the same evaluation episodes. Seed s evaluates on
 * episode seed EVAL_SEED_BASE + s for every entry, so the comparison is paired. A sample of an
 * entry = one seed's mean over the hours; the table gives mean ± 95% CI over seeds.
 */
import { join } from "node:path";
import { z } from "zod";
import { ALGORITHM_NAMES, type AlgorithmName } from "../algorithms/algorithm.ts";
import { writeFileAtomic } from "../core/atomic-write.ts";
import { UserError } from "../core/errors.ts";
import { meanCi95 } from "../core/stats.ts";
import { DispatchConfigSchema } from "../envs/dispatch/config.ts";
import { BASELINE_DISPATCHERS } from "../envs/dispatch/dispatchers.ts";
import {
  emptyDistributions,
  mergeDistributions,
  type OrderDistributions,
} from "../envs/dispatch/distributions.ts";
import type { EpisodeMetrics } from "../envs/dispatch/metrics.ts";
import { loadWorld } from "../envs/dispatch/world.ts";
import { EVAL_SEED_BASE, type MetricSummary, playEpisodes } from "./evaluate.ts";
import { createRunDir, writeJson } from "./run-dir.ts";
import { findDispatcher } from "./simulate.ts";
import { type TrainHooks, train } from "./train.ts";
import { TrainConfigSchema } from "./train-config.ts";

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
    env: DispatchConfigSchema.extend({
      sampleFraction: z.number().gt(0).max(1).default(0.95),
    }).default(DispatchConfigSchema.parse({ sampleFraction: 0.95 })),
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
}

export interface CompareHooks {
  log?: (message: string) => void;
  train?: TrainHooks;
}

export async function compare(
  config: CompareConfig,
  out: string | undefined,
  hooks: CompareHooks = {},
): Promise<CompareResult> {
  const log = hooks.log ?? (() => {});
  const outDir = createRunDir("compare", out);
  writeJson(outDir, "config.json", config);
  const world = await loadWorld(config.env, { demandFile: config.demand });
  const seeds = Array.from({ length: config.seeds }, (_, s) => s);
  const evalBase = { ...config.env, sampleFraction: config.env.evalSampleFraction };
  // entry → seed → hour-ordered episodes; entry → hour-ordered distributions over the seeds
  const episodes = new Map<string, EpisodeMetrics[][]>();
  const distributions: Record<string, OrderDistributions[]> = {};
  for (const entry of config.algos) {
    const perSeed: EpisodeMetrics[][] = [];
    const perHour = config.hours.map(() => emptyDistributions());
    distributions[entry] = perHour;
    if ((ALGORITHM_NAMES as readonly string[]).includes(entry)) {
      for (const seed of seeds) {
        log(`${entry}, seed ${seed}: training ${config.episodes} episodes`);
        const runDir = join(outDir, `${entry}-seed${seed}`);
        const trainConfig = TrainConfigSchema.parse({
          ...config.train,
          algo: entry as AlgorithmName,
          seed,
          episodes: config.episodes,
        });
        const result = await train(
          { train: trainConfig, env: config.env, demand: config.demand },
          runDir,
          hooks.train ?? {},
          world,
        );
        const policy = await findDispatcher(`policy:${result.best ?? result.checkpoint}`, world);
        log(`${entry}, seed ${seed}: evaluating on hours ${config.hours.join(", ")}`);
        const runs = playEpisodes(world, evalBase, [policy], config.hours, [EVAL_SEED_BASE + seed]);
        perSeed.push(runs.map((r) => r.metrics[0]));
        for (const [h, r] of runs.entries()) mergeDistributions(perHour[h], r.distributions);
      }
    } else {
      log(`${entry}: ${config.seeds} episodes per hour`);
      const dispatcher = await findDispatcher(entry, world);
      const runs = playEpisodes(
        world,
        evalBase,
        [dispatcher],
        config.hours,
        seeds.map((s) => EVAL_SEED_BASE + s),
      );
      for (const s of seeds) perSeed.push(runs.map((r) => r.metrics[s]));
      for (const [h, r] of runs.entries()) mergeDistributions(perHour[h], r.distributions);
    }
    episodes.set(entry, perSeed);
  }
  if (episodes.size === 0) throw new UserError("compare: nothing to compare");
  const rows = [...episodes].map(([entry, perSeed]) =>
    summariseEntry(entry, perSeed, config.hours),
  );
  const markdown = toMarkdown(rows, config);
  writeFileAtomic(join(outDir, "compare.md"), markdown);
  writeFileAtomic(join(outDir, "compare.csv"), toCsv(rows));
  writeJson(outDir, "compare.json", { config, rows, distributions });
  return { outDir, config, rows, markdown };
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
