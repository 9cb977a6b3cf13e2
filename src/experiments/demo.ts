/**
 * `demo`: the newcomer's first run. A short OSPO training on the shipped day, then its best
 * policy against the classic dispatchers (min-eta, greedy, random) on held-out hours, paired
 * seeds — all in one run directory (a training run with its evaluation.json) that
 * `fleetrl report` draws. The same pieces as `compare` (train, then paired evaluation), with one
 * training seed of the user's choice and several evaluation episodes per hour.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { ALGORITHM_NAMES } from "../algorithms/algorithm.ts";
import { UserError } from "../core/errors.ts";
import { type EvalResult, evaluate, type MetricSummary } from "./evaluate.ts";
import { createRunDir, writeJson } from "./run-dir.ts";
import { type TrainHooks, type TrainResult, TrainRunSchema, train } from "./train.ts";
import { CHECKPOINT_FILE } from "./trainer.ts";

export const DEMO_BASELINES = ["min-eta", "greedy", "random"];

export const DemoSchema = z
  .object({
    algo: z.enum(ALGORITHM_NAMES).default("ospo").describe(ALGORITHM_NAMES.join(" | ")),
    episodes: z.number().int().min(1).default(60).describe("training episodes"),
    seed: z.number().int().min(0).max(0xffffffff).default(0).describe("training seed"),
    lr: z.number().positive().default(3e-4).describe("policy learning rate"),
    epsilonDecay: z.number().gt(0).max(1).default(0.9).describe("ε × this per episode"),
    evalEvery: z.number().int().min(1).default(5).describe("greedy evaluation every N episodes"),
    vehicles: z.number().int().min(1).max(100_000).default(500).describe("fleet size"),
    hour: z.number().int().min(0).max(23).default(18).describe("training start hour"),
    epochs: z.number().int().min(1).max(1440).default(30).describe("one-minute decision epochs"),
    hours: z
      .array(z.number().int().min(0).max(23))
      .min(1)
      .default([14, 20, 22])
      .describe("held-out evaluation hours"),
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
  vehicles: 100,
  epochs: 5,
  hours: [20],
  evalSeeds: 2,
};

/** Per dispatcher: the mean over the evaluation hours (every hour has the same seeds). */
export interface DemoRow {
  dispatcher: string;
  reward: number;
  served: number;
  serviceRate: number;
  pickupS: number;
  detourS: number;
}

export interface DemoResult {
  runDir: string;
  config: DemoConfig;
  train: TrainResult;
  evaluation: EvalResult;
  rows: DemoRow[];
}

export interface DemoHooks {
  log?: (message: string) => void;
  train?: TrainHooks;
  /** Evaluation starts: `total` episodes (hours × seeds × dispatchers) follow. */
  onEvalStart?: (total: number) => void;
  onEvalEpisode?: (done: number, total: number) => void;
}

export async function demo(
  config: DemoConfig,
  out: string | undefined,
  hooks: DemoHooks = {},
): Promise<DemoResult> {
  const log = hooks.log ?? (() => {});
  const runDir = createRunDir("demo", out);
  if (existsSync(join(runDir, CHECKPOINT_FILE)))
    throw new UserError(`${runDir}: already holds a run (choose another --out)`);
  const run = TrainRunSchema.parse({
    train: {
      algo: config.algo,
      seed: config.seed,
      episodes: config.episodes,
      lr: config.lr,
      epsilonDecay: config.epsilonDecay,
      evalEvery: Math.min(config.evalEvery, config.episodes),
    },
    env: { vehicles: config.vehicles, startHour: config.hour, epochs: config.epochs },
  });
  log(
    `demo: ${config.algo.toUpperCase()}, ${config.episodes} episodes on ${config.vehicles} vehicles × ${config.epochs} min from ` +
      `${config.hour}:00 on ${run.env.date}; then evaluation on hours ${config.hours.join(", ")} against ${DEMO_BASELINES.join(", ")}`,
  );
  const trained = await train(run, runDir, hooks.train ?? {});
  log(`evaluating ${trained.best ? "the best evaluated" : "the last"} policy`);
  hooks.onEvalStart?.(config.hours.length * config.evalSeeds * (DEMO_BASELINES.length + 1));
  const evaluation = await evaluate({
    checkpoint: trained.best ?? trained.checkpoint,
    hours: config.hours,
    seeds: config.evalSeeds,
    baselines: DEMO_BASELINES,
    env: run.env,
    onEpisode: hooks.onEvalEpisode,
  });
  writeJson(runDir, "evaluation.json", evaluation);
  return { runDir, config, train: trained, evaluation, rows: overHours(evaluation) };
}

function overHours(e: EvalResult): DemoRow[] {
  const names = [...new Set(e.rows.map((r) => r.dispatcher))];
  return names.map((dispatcher) => {
    const rows = e.rows.filter((r) => r.dispatcher === dispatcher);
    const mean = (f: (r: (typeof rows)[number]) => MetricSummary) =>
      rows.reduce((s, r) => s + f(r).mean, 0) / rows.length;
    return {
      dispatcher,
      reward: mean((r) => r.reward),
      served: mean((r) => r.served),
      serviceRate: mean((r) => r.serviceRate),
      pickupS: mean((r) => r.pickupS),
      detourS: mean((r) => r.detourS),
    };
  });
}
