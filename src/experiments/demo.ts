/**
 * `demo`: the newcomer's first run. A short training (GRPO by default) on a named scenario (default
 * `ospo-paper`: the OSPO paper's dispatch semantics on the shipped day), then its best policy
 * against the classic dispatchers (min-eta, random) on held-out hours, paired seeds — all in one
 * run directory (a training run with its evaluation.json) that `fleetrl report` draws. The same
 * pieces as `compare` (train, then paired evaluation), with one training seed of the user's
 * choice and several evaluation episodes per hour, and one sentence that reads the table.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { ALGORITHM_NAMES } from "../algorithms/registry.ts";
import { UserError } from "../core/errors.ts";
import { RUN_FILES } from "../core/run-layout.ts";
import { validate } from "../core/validate.ts";
import { type EvalResult, evaluate, type MetricSummary } from "./evaluate.ts";
import { type TrainRunConfig, TrainRunSchema } from "./run-config.ts";
import { createRunDir, writeJson } from "./run-dir.ts";
import { SCENARIO_NAMES, scenarioByName } from "./scenarios.ts";
import { type RunOptions, type TrainHooks, type TrainResult, train } from "./train.ts";

/** The dispatchers the trained policy is evaluated against, in table order. */
export const DEMO_BASELINES = ["min-eta", "random"];

export const DEMO_SCENARIO = "ospo-paper";

export const DemoSchema = z
  .object({
    scenario: z
      .string()
      .refine((name) => SCENARIO_NAMES.includes(name), {
        error: `expected one of ${SCENARIO_NAMES.join(", ")}`,
      })
      .default(DEMO_SCENARIO)
      .describe(`environment and training preset: ${SCENARIO_NAMES.join(" | ")}`),
    // GRPO by default: on ospo-paper it learns short pickups within 10 episodes; OSPO's one-step
    // reward prefers long trips and needs ~100 episodes for a smaller gain (docs/results.md).
    algo: z.enum(ALGORITHM_NAMES).default("grpo").describe(ALGORITHM_NAMES.join(" | ")),
    episodes: z.number().int().min(1).default(20).describe("training episodes"),
    seed: z.number().int().min(0).max(0xffffffff).default(0).describe("training seed"),
    // Unset: the scenario's (ospo-paper: lr 1e-4, epsilonDecay "auto"), else the train schema's.
    lr: z.number().positive().optional().describe("policy learning rate (default the scenario's)"),
    epsilonDecay: z
      .union([z.number().gt(0).max(1), z.literal("auto")])
      .optional()
      .describe('ε × this per episode, or "auto" (default the scenario\'s)'),
    evalEvery: z.number().int().min(1).default(5).describe("greedy evaluation every N episodes"),
    rollouts: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe("episodes collected per update (default the scenario's, 1)"),
    // Unset: the scenario's (both shipped scenarios: 1000 vehicles, 00:00, 30 epochs).
    vehicles: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .optional()
      .describe("fleet size (default the scenario's)"),
    hour: z
      .number()
      .int()
      .min(0)
      .max(23)
      .optional()
      .describe("training start hour (default the scenario's)"),
    epochs: z
      .number()
      .int()
      .min(1)
      .max(1440)
      .optional()
      .describe("one-minute decision epochs (default the scenario's)"),
    hours: z
      .array(z.number().int().min(0).max(23))
      .min(1)
      .default([1, 23])
      .describe("held-out evaluation hours (the scenarios train at 00:00)"),
    evalSeeds: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(3)
      .describe("episodes per hour and dispatcher"),
  })
  .strict();
export type DemoConfig = z.output<typeof DemoSchema>;

/** `--quick`: a ~30-second version (tests, a first look); everything else as given. */
export const QUICK_DEMO: Partial<DemoConfig> = {
  episodes: 3,
  evalEvery: 1,
  vehicles: 200,
  epochs: 5,
  hours: [1],
  evalSeeds: 2,
};

/**
 * Per dispatcher: each metric's mean over the evaluation hours (every hour has the same seeds),
 * with the 95% CI of that mean. The hours are fixed strata and each hour's CI comes from its own
 * independent episodes, so the half-width of the mean of H hour means is √(Σ ci_h²) / H (the
 * per-hour CIs propagated; with one hour it is that hour's CI). It is not the spread between the
 * hours (which is demand, not uncertainty) and is narrower than the per-hour CIs averaged.
 */
export interface DemoRow {
  dispatcher: string;
  reward: MetricSummary;
  served: MetricSummary;
  serviceRate: MetricSummary;
  pickupS: MetricSummary;
  detourS: MetricSummary;
}

export interface DemoResult {
  runDir: string;
  config: DemoConfig;
  /** The training run's resolved config (scenario, then the demo's values; its config.json). */
  run: TrainRunConfig;
  train: TrainResult;
  evaluation: EvalResult;
  rows: DemoRow[];
  /** One sentence that reads `rows` (demoSentence). */
  sentence: string;
}

export interface DemoHooks {
  log?: (message: string) => void;
  train?: TrainHooks;
  /** Evaluation starts: `total` episodes (hours × seeds × dispatchers) follow. */
  onEvalStart?: (total: number) => void;
  onEvalEpisode?: (done: number, total: number) => void;
}

/**
 * The demo's training run config: the scenario's env and train keys, with the demo's own values
 * laid over them (unset optional keys leave the scenario's value), validated as a training run.
 */
export function demoRunConfig(config: DemoConfig): TrainRunConfig {
  const scenario = scenarioByName(config.scenario, "scenario");
  const defined = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  const own = {
    train: defined({
      algo: config.algo,
      seed: config.seed,
      episodes: config.episodes,
      lr: config.lr,
      epsilonDecay: config.epsilonDecay,
      rollouts: config.rollouts,
      evalEvery: Math.min(config.evalEvery, config.episodes),
    }),
    env: defined({ vehicles: config.vehicles, startHour: config.hour, epochs: config.epochs }),
  };
  // The demo's keys are flat, so laying each section over the scenario's is the deep merge
  // (cli/options.ts deepMerge; the scenario's nested env.reward stays whole).
  const merged = {
    scenario: scenario.name,
    env: { ...scenario.env, ...own.env },
    train: { ...scenario.train, ...own.train },
  };
  return validate(TrainRunSchema, merged, `demo (scenario ${scenario.name})`);
}

export async function demo(
  config: DemoConfig,
  out: string | undefined,
  hooks: DemoHooks = {},
  options: RunOptions = {},
): Promise<DemoResult> {
  const log = hooks.log ?? (() => {});
  const run = demoRunConfig(config);
  const runDir = createRunDir("demo", out);
  if (existsSync(join(runDir, RUN_FILES.checkpoint)))
    throw new UserError(`${runDir}: already holds a run (choose another --out)`);
  log(
    `demo: ${config.algo.toUpperCase()} on scenario ${run.scenario}, ${run.train.episodes} episodes on ${run.env.vehicles} vehicles × ` +
      `${run.env.epochs} min from ${run.env.startHour}:00 on ${run.env.date}; then evaluation on hours ` +
      `${config.hours.join(", ")} against ${DEMO_BASELINES.join(", ")}`,
  );
  const trained = await train(run, runDir, hooks.train ?? {}, options);
  log(`evaluating ${trained.best ? "the best evaluated" : "the last"} policy`);
  hooks.onEvalStart?.(config.hours.length * config.evalSeeds * (DEMO_BASELINES.length + 1));
  const evaluation = await evaluate({
    checkpoint: trained.best ?? trained.checkpoint,
    hours: config.hours,
    seeds: config.evalSeeds,
    baselines: DEMO_BASELINES,
    // The trained environment (the scenario's semantics; evaluate replays evalSampleFraction).
    env: run.env,
    onEpisode: hooks.onEvalEpisode,
  });
  writeJson(runDir, RUN_FILES.evaluation, evaluation);
  const rows = overHours(evaluation);
  const sentence = demoSentence(rows, {
    policy: `${config.algo.toUpperCase()} (trained ${trained.episodes} episode${trained.episodes === 1 ? "" : "s"})`,
  });
  return { runDir, config, run, train: trained, evaluation, rows, sentence };
}

/** Per dispatcher, the mean over the hours with the propagated CI (see DemoRow). */
export function overHours(e: EvalResult): DemoRow[] {
  const names = [...new Set(e.rows.map((r) => r.dispatcher))];
  return names.map((dispatcher) => {
    const rows = e.rows.filter((r) => r.dispatcher === dispatcher);
    const pool = (f: (r: (typeof rows)[number]) => MetricSummary): MetricSummary => {
      const h = rows.length;
      return {
        mean: rows.reduce((s, r) => s + f(r).mean, 0) / h,
        ci95: Math.sqrt(rows.reduce((s, r) => s + f(r).ci95 ** 2, 0)) / h,
      };
    };
    return {
      dispatcher,
      reward: pool((r) => r.reward),
      served: pool((r) => r.served),
      serviceRate: pool((r) => r.serviceRate),
      pickupS: pool((r) => r.pickupS),
      detourS: pool((r) => r.detourS),
    };
  });
}

/**
 * a − b, and whether it is clear of the noise: |a − b| larger than the two CIs combined
 * (√(ci_a² + ci_b²), as if unpaired — conservative, since the seeds are paired). A missing CI
 * (one episode) is never clear.
 */
function compare(a: MetricSummary, b: MetricSummary): { diff: number; clear: boolean } {
  const diff = a.mean - b.mean;
  const noise = Math.sqrt(a.ci95 ** 2 + b.ci95 ** 2);
  return { diff, clear: Number.isFinite(noise) && Math.abs(diff) > noise };
}

const pct = (x: number) => `${Math.abs(100 * x).toFixed(Math.abs(x) < 0.1 ? 1 : 0)}%`;

/** "N% more orders than X" / "N% fewer …" / "about as many orders as X". */
function servedPhrase(a: MetricSummary, b: MetricSummary, than: string): string {
  const c = compare(a, b);
  if (!c.clear) return `about as many orders as ${than}`;
  return `${pct(c.diff / b.mean)} ${c.diff > 0 ? "more" : "fewer"} orders than ${than}`;
}

/** How much faster `fast` picks up than `slow`: "1.6×" from 1.15× on, else "12%". */
function faster(fast: number, slow: number): string {
  return slow / fast >= 1.15 ? `${(slow / fast).toFixed(1)}×` : pct((slow - fast) / slow);
}

/**
 * One sentence that says what the demo's table shows, computed from its rows and worded only as
 * far as the numbers go: a difference counts when it is clear of the 95% CIs (compare), "about as
 * many / the same" otherwise; a win over random or min-eta is claimed only when it is clear.
 * `rows` holds "policy" and any of "random", "min-eta"; `policy` names the policy in the sentence.
 *
 * @example
 * demoSentence(rows, { policy: "OSPO (trained 30 episodes)" });
 * // "OSPO (trained 30 episodes) served 4.1% more orders than random with 12% shorter pickups;
 * //  min-eta, which matches on ETA directly, still picks up 1.6× faster and serves 2.0% more."
 */
export function demoSentence(rows: readonly DemoRow[], o: { policy: string }): string {
  const find = (name: string) => rows.find((r) => r.dispatcher === name);
  const policy = find("policy");
  if (!policy) return "";
  const parts: string[] = [];
  const random = find("random");
  if (random) {
    const served = compare(policy.served, random.served);
    const pickup = compare(policy.pickupS, random.pickupS);
    const pickupText = !pickup.clear
      ? "about the same pickup times"
      : `${pct(pickup.diff / random.pickupS.mean)} ${pickup.diff < 0 ? "shorter" : "longer"} pickups`;
    const better = (served.clear && served.diff > 0) || (pickup.clear && pickup.diff < 0);
    const worse = (served.clear && served.diff < 0) || (pickup.clear && pickup.diff > 0);
    const verdict =
      better && !worse
        ? ""
        : worse && !better
          ? " — worse than random"
          : better
            ? " — a trade-off, not a clear win"
            : " — no better than random yet";
    parts.push(
      `${o.policy} served ${servedPhrase(policy.served, random.served, "random")} with ${pickupText}${verdict}`,
    );
  }
  const minEta = find("min-eta");
  if (minEta) {
    const who = random ? "min-eta" : `${o.policy} vs min-eta:`;
    const pickup = compare(policy.pickupS, minEta.pickupS);
    const pickupText = !pickup.clear
      ? "picks up about as fast"
      : pickup.diff > 0
        ? `still picks up ${faster(minEta.pickupS.mean, policy.pickupS.mean)} faster`
        : `picks up ${faster(policy.pickupS.mean, minEta.pickupS.mean)} slower than the policy`;
    const served = compare(minEta.served, policy.served);
    const servedText = !served.clear
      ? "serves about as many"
      : `serves ${pct(served.diff / policy.served.mean)} ${served.diff > 0 ? "more" : "fewer"}`;
    parts.push(`${who}, which matches on ETA directly, ${pickupText} and ${servedText}`);
  }
  return `${parts.join("; ")}.`;
}
