/**
 * `train`: a training run of OSPO / GRPO / IPPO / MAPPO on a registered environment (envs/
 * registry.ts; default the dispatch environment over the shipped day or a user's trip file), in a
 * run directory: `config.json` (the resolved run
 * config), `train.jsonl|csv`, `eval.jsonl|csv`, `checkpoint.safetensors` (atomic, every
 * episode) and `best.safetensors` (the best evaluated policy). `resume` continues a run directory
 * where it stopped, to the same results as an uninterrupted run.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../core/errors.ts";
import { RUN_FILES } from "../core/run-layout.ts";
import type { TrainingEnvs } from "../envs/environment.ts";
import { environmentByName } from "../envs/registry.ts";
import { trainConfigOf } from "../training/checkpoint.ts";
import type { RolloutPool } from "../training/rollout.ts";
import type { MetricsRow } from "../training/train-log.ts";
import { Trainer } from "../training/trainer.ts";
import { startRolloutPool } from "./rollout-pool.ts";
import { type AnyTrainRun, readRunConfig } from "./run-config.ts";
import { createRunDir, writeJson } from "./run-dir.ts";
import { lockRunDir, removeStaleTempFiles } from "./run-lock.ts";

export interface TrainHooks {
  onStart?: (info: {
    runDir: string;
    environment: string;
    startupMs: number;
    fromEpisode: number;
    episodes: number;
  }) => void;
  onEpisode?: (train: MetricsRow, evaluation: MetricsRow | null) => void;
  /** Polled between episodes: true stops the run after a checkpoint (Ctrl-C). */
  shouldStop?: () => boolean;
}

/** How a study's training runs execute (compare, demo): it never changes their results. */
export interface RunOptions {
  /** Rollout threads per training run (TrainOptions.workers). */
  workers?: number;
}

/** How a run is executed (none of it changes its results). */
export interface TrainOptions {
  /** Environments already built for `config.env` (e.g. on the world a comparison shares). */
  envs?: TrainingEnvs;
  /**
   * Threads that play the episodes of each update (default 1: this thread). Any number gives the
   * same weights and logs; more than one helps when `train.rollouts` > 1.
   */
  workers?: number;
  /**
   * Who plays the episodes instead (e.g. actors on other machines, distributed/): started once
   * the run directory is locked and the config known, closed at the end; overrides `workers`.
   */
  pool?: (run: AnyTrainRun, runDir: string) => Promise<RolloutPool>;
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
  options: TrainOptions = {},
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
    const { env, evalEnv } = options.envs ?? (await buildEnvs(config));
    writeJson(runDir, RUN_FILES.config, config);
    const trainer = await Trainer.create({
      env,
      evalEnv,
      config: config.train,
      outDir: runDir,
      onEpisode: hooks.onEpisode,
    });
    return await loop(trainer, config, runDir, config.train.episodes, t0, hooks, options);
  } finally {
    release();
  }
}

/** Continue the run in `runDir` (optionally to a new total of `episodes`). */
export async function resume(
  runDir: string,
  episodes: number | undefined,
  hooks: TrainHooks = {},
  options: Omit<TrainOptions, "envs"> = {},
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
    const run = { ...config, train: trainer.config };
    return await loop(trainer, run, runDir, trainer.config.episodes, t0, hooks, options);
  } finally {
    release();
  }
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
  run: AnyTrainRun,
  runDir: string,
  episodes: number,
  t0: number,
  hooks: TrainHooks,
  options: TrainOptions,
): Promise<TrainResult> {
  const workers = options.workers ?? 1;
  const pool = options.pool
    ? await options.pool(run, runDir)
    : workers > 1
      ? await startRolloutPool(run, workers)
      : null;
  try {
    return await trainLoop(trainer, run.environment, runDir, episodes, t0, hooks, pool);
  } finally {
    await pool?.close();
  }
}

async function trainLoop(
  trainer: Trainer,
  environment: string,
  runDir: string,
  episodes: number,
  t0: number,
  hooks: TrainHooks,
  pool: RolloutPool | null,
): Promise<TrainResult> {
  hooks.onStart?.({
    runDir,
    environment,
    startupMs: performance.now() - t0,
    fromEpisode: trainer.counters.episode,
    episodes,
  });
  let last: MetricsRow | null = null;
  let stoppedEarly = false;
  while (trainer.counters.episode < episodes) {
    const before = trainer.counters.episode;
    if (pool) last = await trainer.trainEpisodeOn(pool, episodes);
    else {
      last = trainer.trainEpisode(episodes);
      // Let signal handlers run between episodes (training itself is synchronous).
      await new Promise((resolve) => setImmediate(resolve));
    }
    const done = trainer.counters.episode;
    stoppedEarly = done < episodes && (hooks.shouldStop?.() ?? false);
    if (trainer.dueCheckpoint(before, episodes) || stoppedEarly) trainer.saveCheckpoint();
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
