/**
 * `fleetrl learner`: a training run (experiments/train.ts, the same run directory, checkpoints
 * and `--resume`) whose episodes are played by actors through Redis. The learner publishes the
 * run (config + settings) under the run's key prefix, plays nothing itself, and marks the run
 * done at the end so its actors exit. Its settings are kept in `distributed.json` beside
 * config.json, so a resumed learner serves the same run name and its actors keep waiting.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { writeJsonAtomic } from "../core/atomic-write.ts";
import { UserError } from "../core/errors.ts";
import { validate } from "../core/validate.ts";
import type { AnyTrainRun } from "../experiments/run-config.ts";
import { resume, type TrainHooks, type TrainResult, train } from "../experiments/train.ts";
import { Redis, RedisLostError } from "./connection.ts";
import { type PoolCounters, RedisRolloutPool } from "./redis-pool.ts";
import {
  ACTIVE_RUNS,
  ACTOR_GROUP,
  type DistributedSettings,
  DistributedSettingsSchema,
  LEARNER_GROUP,
  PROTOCOL,
  type PublishedRun,
  RUN_START,
  RUN_STARTS,
  type RunKeys,
  runKeys,
  runNameOf,
} from "./run-keys.ts";
import { ensureGroup } from "./streams.ts";

/** The learner's settings file in its run directory. */
export const SETTINGS_FILE = "distributed.json";

/** How long a finished run's config and status stay readable (actors that come late). */
const DONE_TTL_S = 24 * 3600;

export interface LearnerRequest {
  url: string;
  /** A new run's config (absent with `resume`). */
  config?: AnyTrainRun;
  out?: string;
  resume?: string;
  /** New total of episodes when resuming. */
  episodes?: number;
  /** Settings given on the command line (the run name only for a new run). */
  settings: Partial<DistributedSettings>;
  hooks?: TrainHooks;
  log: (message: string) => void;
}

export interface LearnerResult extends TrainResult {
  run: string;
  redis: string;
  transport: PoolCounters;
}

export async function runLearner(request: LearnerRequest): Promise<LearnerResult> {
  const { log } = request;
  const saved = request.resume ? readSettings(request.resume) : null;
  if (saved && request.settings.run !== undefined && request.settings.run !== saved.run)
    throw new UserError(
      `--run ${request.settings.run}: ${request.resume} is run ${saved.run} (a resumed run keeps its name)`,
    );
  const given = { ...saved, ...request.settings };
  // validated now (bad values fail before anything connects); the name follows from --out later
  const probe = validate(DistributedSettingsSchema, { run: "probe", ...given }, "learner settings");
  if (given.run !== undefined) runKeys(given.run);
  const redis = await Redis.connect(request.url, {
    lostAfterMs: probe.redisTimeout * 1000,
    log,
  });
  let pool: RedisRolloutPool | null = null;
  let keys: RunKeys | null = null;
  let runDir = request.resume ?? request.out ?? "";
  const start = async (run: AnyTrainRun, dir: string) => {
    runDir = dir;
    const settings = { ...probe, run: given.run ?? runNameOf(basename(dir)) };
    keys = runKeys(settings.run);
    // A new run in the directory of one whose learner died before its first checkpoint (its
    // distributed.json names the run; the directory's lock says no one else uses it) takes the
    // name back instead of finding it "in progress".
    const restart = saved === null && readSettingsIfAny(dir)?.run === settings.run;
    await publish(redis, keys, run, settings, saved === null && !restart);
    writeJsonAtomic(join(dir, SETTINGS_FILE), settings);
    log(
      `learner: run ${settings.run} on ${redis.url}; actors join with: fleetrl actor --redis URL${await onlyRun(redis, settings.run)}`,
    );
    pool = new RedisRolloutPool(redis, keys, {
      rollouts: run.train.rollouts,
      policyLag: run.train.policyLag,
      log,
    });
    return pool;
  };
  try {
    const result = request.resume
      ? await resume(request.resume, request.episodes, request.hooks, { pool: start })
      : await train(request.config as AnyTrainRun, request.out, request.hooks, { pool: start });
    if (!result.stoppedEarly && keys) await markDone(redis, keys);
    const transport = (pool as RedisRolloutPool | null)?.counters ?? emptyCounters();
    return { ...result, run: (keys as RunKeys | null)?.name ?? "", redis: redis.url, transport };
  } catch (e) {
    if (e instanceof RedisLostError && runDir)
      throw new RedisLostError(
        `${e.message}; the last checkpoint in ${runDir} is intact: continue with fleetrl learner --redis URL --resume ${runDir}`,
      );
    throw e;
  } finally {
    redis.close();
  }
}

function readSettingsIfAny(runDir: string): DistributedSettings | null {
  return existsSync(join(runDir, SETTINGS_FILE)) ? readSettings(runDir) : null;
}

/** distributed.json of a learner's run directory. */
function readSettings(runDir: string): DistributedSettings {
  const path = join(runDir, SETTINGS_FILE);
  if (!existsSync(path))
    throw new UserError(
      `${runDir}: no ${SETTINGS_FILE}: not a learner's run (a train run resumes with fleetrl train --resume)`,
    );
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new UserError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  // `maxStaleness` (before the policy lag, which lives in the run's config) meant nothing for a
  // synchronous run: a learner written then resumes as it ran
  const { maxStaleness: _, ...settings } = (raw ?? {}) as Record<string, unknown>;
  return validate(DistributedSettingsSchema, settings, path);
}

/** Publish the run for its actors; a new run refuses a name in progress on the server. */
async function publish(
  redis: Redis,
  keys: RunKeys,
  run: AnyTrainRun,
  settings: DistributedSettings,
  fresh: boolean,
): Promise<void> {
  if (fresh) {
    const status = await redis.text(["GET", keys.status]);
    if (status === "running")
      throw new UserError(
        `run ${keys.name} is in progress on ${redis.url} (another learner, or a stopped one: ` +
          `continue it with fleetrl learner --redis URL --resume DIR, or choose another --run; ` +
          `a learner that never checkpointed frees the name with redis-cli DEL ${keys.status})`,
      );
    await redis.call(["DEL", ...Object.values(keys).slice(1)]);
  }
  // Jobs of a previous learner are stale (this one hands out its own); experience is kept:
  // pending entries of an update that was not checkpointed are still good.
  await redis.call(["DEL", keys.jobs]);
  await ensureGroup(redis, keys.jobs, ACTOR_GROUP);
  await ensureGroup(redis, keys.experience, LEARNER_GROUP);
  const published: PublishedRun = { protocol: PROTOCOL, run, settings };
  // one MSET: an actor that sees the config sees the status "running" with it
  await redis.call(["MSET", keys.config, JSON.stringify(published), keys.status, "running"]);
  await redis.call(["SADD", ACTIVE_RUNS, keys.name]);
  const n = await redis.call<number>(["INCR", RUN_STARTS]);
  await redis.call(["SET", `${RUN_START}:${n}`, keys.name, "EX", String(DONE_TTL_S)]);
}

/** " --run NAME" when other runs are in progress on the server (actors must pick one). */
async function onlyRun(redis: Redis, name: string): Promise<string> {
  const count = await redis.call<number>(["SCARD", ACTIVE_RUNS]);
  return count > 1 ? ` --run ${name}` : "";
}

/** The run is over: actors exit; its streams and weights go, its status stays a while. */
async function markDone(redis: Redis, keys: RunKeys): Promise<void> {
  await redis.call(["SET", keys.status, "done", "EX", String(DONE_TTL_S)]);
  await redis.call(["EXPIRE", keys.config, String(DONE_TTL_S)]);
  await redis.call(["SREM", ACTIVE_RUNS, keys.name]);
  await redis.call(["DEL", keys.jobs, keys.experience, keys.weights]);
}

function emptyCounters(): PoolCounters {
  return { accepted: 0, unwanted: 0, stale: 0, bytes: 0, decodeMs: 0 };
}
