/**
 * `train`: a training run of OSPO / GRPO / IPPO / MAPPO on a registered environment (envs/
 * registry.ts; default the dispatch environment over the shipped day or a user's trip file), in a
 * run directory: `config.json` (the resolved run
 * config), `train.jsonl|csv`, `eval.jsonl|csv`, `checkpoint.safetensors` (atomic, every
 * episode) and `best.safetensors` (the best evaluated policy). `resume` continues a run directory
 * where it stopped, to the same results as an uninterrupted run.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { UserError } from "../core/errors.ts";
import { RUN_FILES } from "../core/run-layout.ts";
import { validate } from "../core/validate.ts";
import { DispatchTrainSchema } from "../envs/dispatch/entry.ts";
import type { TrainingEnvs } from "../envs/environment.ts";
import { DEFAULT_ENVIRONMENT, environmentByName } from "../envs/registry.ts";
import { trainConfigOf } from "../training/checkpoint.ts";
import { TrainConfigSchema } from "../training/train-config.ts";
import type { MetricsRow } from "../training/train-log.ts";
import { Trainer } from "../training/trainer.ts";
import { createRunDir, writeJson } from "./run-dir.ts";
import { lockRunDir, removeStaleTempFiles } from "./run-lock.ts";

/** A training run's config on the environment `name`, whose `env:` section `envSchema` checks. */
function runSchemaOf<E extends z.ZodObject>(name: string, envSchema: E) {
  return z
    .object({
      environment: z
        .literal(name)
        .default(name as never)
        .describe("the environment (--env)"),
      train: TrainConfigSchema.default(TrainConfigSchema.parse({})),
      env: envSchema.default(envSchema.parse({}) as never),
      demand: z.string().optional().describe("trip file; default the shipped day"),
      scenario: z.string().optional().describe("the scenario the values came from (informative)"),
    })
    .strict();
}

/** A training run on the dispatch environment (the default), fully typed. */
export const TrainRunSchema = runSchemaOf("dispatch", DispatchTrainSchema);
export type TrainRunConfig = z.output<typeof TrainRunSchema>;

/** A training run on any registered environment. */
export interface AnyTrainRun {
  environment: string;
  train: z.output<typeof TrainConfigSchema>;
  env: Record<string, unknown>;
  demand?: string;
  scenario?: string;
}

/**
 * The schema of a run config: the one of its `environment` (default dispatch; an unknown name is
 * a user error naming `source`).
 */
export function trainRunSchemaFor(raw: unknown, source: string) {
  const named =
    raw !== null && typeof raw === "object" && "environment" in raw ? raw.environment : undefined;
  if (named === undefined) return TrainRunSchema;
  const entry = environmentByName(String(named), `${source}: environment`);
  return entry.name === DEFAULT_ENVIRONMENT
    ? TrainRunSchema
    : runSchemaOf(entry.name, entry.trainSchema);
}

export interface TrainHooks {
  onStart?: (info: {
    runDir: string;
    startupMs: number;
    fromEpisode: number;
    episodes: number;
  }) => void;
  onEpisode?: (train: MetricsRow, evaluation: MetricsRow | null) => void;
  /** Polled between episodes: true stops the run after a checkpoint (Ctrl-C). */
  shouldStop?: () => boolean;
}

export interface TrainResult {
  runDir: string;
  environment: string;
  algo: string;
  episodes: number;
  stoppedEarly: boolean;
  bestEval: number | null;
  bestEpisode: number;
  checkpoint: string;
  best: string | null;
  last: MetricsRow | null;
}

/** A new run from a validated config; `out` is the run directory (default runs/train-<time>). */
export async function train(
  config: AnyTrainRun,
  out: string | undefined,
  hooks: TrainHooks = {},
  /** Environments already built for `config.env` (e.g. on the world a comparison shares). */
  envs?: TrainingEnvs,
): Promise<TrainResult> {
  const t0 = performance.now();
  const runDir = createRunDir("train", out); // before any work: a bad --out fails at once
  const release = lockRunDir(runDir);
  try {
    if (existsSync(join(runDir, RUN_FILES.checkpoint))) {
      throw new UserError(
        `${runDir}: already holds a training run (use --resume ${runDir} to continue it)`,
      );
    }
    const { env, evalEnv } = envs ?? (await buildEnvs(config));
    writeJson(runDir, RUN_FILES.config, config);
    const trainer = await Trainer.create({
      env,
      evalEnv,
      config: config.train,
      outDir: runDir,
      onEpisode: hooks.onEpisode,
    });
    return await loop(trainer, config.environment, runDir, config.train.episodes, t0, hooks);
  } finally {
    release();
  }
}

/** Continue the run in `runDir` (optionally to a new total of `episodes`). */
export async function resume(
  runDir: string,
  episodes: number | undefined,
  hooks: TrainHooks = {},
): Promise<TrainResult> {
  const t0 = performance.now();
  const config = readRunConfig(runDir);
  const checkpoint = join(runDir, RUN_FILES.checkpoint);
  if (!existsSync(checkpoint))
    throw new UserError(`${runDir}: no ${RUN_FILES.checkpoint} to resume from`);
  checkNetworkShapes(config, checkpoint);
  const release = lockRunDir(runDir);
  try {
    removeStaleTempFiles(runDir); // of checkpoint / log writes a kill interrupted
    const { env, evalEnv } = await buildEnvs(config);
    const trainer = await Trainer.resume(checkpoint, {
      env,
      evalEnv,
      outDir: runDir,
      episodes,
      onEpisode: hooks.onEpisode,
    });
    if (trainer.config.episodes !== config.train.episodes) {
      // The run's total is what config.json says (the dashboard's "n/N ep"); ε continues.
      const { episodes: total, epsilonDecay } = trainer.config;
      writeJson(runDir, RUN_FILES.config, {
        ...config,
        train: { ...config.train, episodes: total, epsilonDecay },
      });
    }
    return await loop(trainer, config.environment, runDir, trainer.config.episodes, t0, hooks);
  } finally {
    release();
  }
}

/** The run config saved in a run directory, validated (against its environment's schema). */
export function readRunConfig(runDir: string): AnyTrainRun {
  const path = join(runDir, RUN_FILES.config);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new UserError(`${path}: cannot read the run's config (${(e as Error).message})`);
  }
  if (raw !== null && typeof raw === "object" && !Array.isArray(raw) && !("train" in raw)) {
    const kind = "dispatcher" in raw ? "a simulate run" : "algos" in raw ? "a compare run" : "";
    throw new UserError(
      `${path}: not a training run${kind ? ` (${kind})` : ""}: its config has no "train" section`,
    );
  }
  return validate(trainRunSchemaFor(raw, path), raw, path);
}

/** Refuse a checkpoint whose algorithm or network widths differ from the run's config.json. */
function checkNetworkShapes(config: AnyTrainRun, checkpoint: string): void {
  const saved = trainConfigOf(checkpoint);
  if (!saved) return; // loadCheckpoint words what is missing
  const shape = (c: { algo: string; policyHidden: number[]; criticHidden: number[] }) =>
    `${c.algo}, policy [${c.policyHidden.join(", ")}], critic [${c.criticHidden.join(", ")}]`;
  if (shape(saved) !== shape(config.train))
    throw new UserError(
      `${checkpoint}: holds another network than its run's config.json: ${shape(saved)} in the checkpoint, ` +
        `${shape(config.train)} in config.json (refusing to mix two runs in one directory)`,
    );
}

/** The environments of a run, from its environment's registry entry. */
function buildEnvs(config: AnyTrainRun): Promise<TrainingEnvs> {
  return environmentByName(config.environment).build(config.env, { demand: config.demand });
}

async function loop(
  trainer: Trainer,
  environment: string,
  runDir: string,
  episodes: number,
  t0: number,
  hooks: TrainHooks,
): Promise<TrainResult> {
  hooks.onStart?.({
    runDir,
    startupMs: performance.now() - t0,
    fromEpisode: trainer.counters.episode,
    episodes,
  });
  let last: MetricsRow | null = null;
  let stoppedEarly = false;
  const every = trainer.config.checkpointEvery;
  while (trainer.counters.episode < episodes) {
    last = trainer.trainEpisode();
    // Let signal handlers run between episodes (training itself is synchronous).
    await new Promise((resolve) => setImmediate(resolve));
    const done = trainer.counters.episode;
    stoppedEarly = done < episodes && (hooks.shouldStop?.() ?? false);
    if (done % every === 0 || done === episodes || stoppedEarly) trainer.saveCheckpoint();
    if (stoppedEarly) break;
  }
  const best = join(runDir, RUN_FILES.best);
  return {
    runDir,
    environment,
    algo: trainer.config.algo,
    episodes: trainer.counters.episode,
    stoppedEarly,
    bestEval: trainer.counters.bestEval,
    bestEpisode: trainer.counters.bestEpisode,
    checkpoint: join(runDir, RUN_FILES.checkpoint),
    best: existsSync(best) ? best : null,
    last,
  };
}
