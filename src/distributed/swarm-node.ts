/**
 * One node of a swarm (swarm.ts): a training run (experiments/train.ts: run directory,
 * checkpoints, `--resume`) whose updates add other nodes' episodes to its own. The node's
 * swarm, name and J are kept in `swarm.json` beside config.json, so a resumed node rejoins as
 * itself.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { writeJsonAtomic } from "../core/atomic-write.ts";
import { UserError } from "../core/errors.ts";
import { validate } from "../core/validate.ts";
import type { AnyTrainRun } from "../experiments/run-config.ts";
import { resume, type TrainHooks, type TrainResult, train } from "../experiments/train.ts";
import { Redis } from "./connection.ts";
import { runKeys, streamCap } from "./run-keys.ts";
import { type SwarmCounters, SwarmPool, swarmKeys } from "./swarm.ts";

export const SWARM_FILE = "swarm.json";

export const SwarmSettingsSchema = z
  .object({
    swarm: z.string().describe("the swarm's name on the server"),
    node: z.string().describe("this node's name in the swarm"),
    shared: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe("J: other nodes' episodes per update, at most (default: rollouts)"),
    redisTimeout: z.number().positive().default(60),
  })
  .strict();
export type SwarmSettings = z.output<typeof SwarmSettingsSchema>;

export interface SwarmRequest {
  url: string;
  config?: AnyTrainRun;
  out?: string;
  resume?: string;
  episodes?: number;
  settings: Partial<SwarmSettings>;
  hooks?: TrainHooks;
  log: (message: string) => void;
}

export interface SwarmResult extends TrainResult {
  swarm: string;
  node: string;
  sharing: SwarmCounters;
}

export async function runSwarmNode(request: SwarmRequest): Promise<SwarmResult> {
  const saved = request.resume ? readSwarmSettings(request.resume) : {};
  for (const key of ["swarm", "node"] as const) {
    const given = request.settings[key];
    if (request.resume && given !== undefined && given !== (saved as SwarmSettings)[key])
      throw new UserError(
        `--${key} ${given}: ${request.resume} is ${key} ${(saved as SwarmSettings)[key]}`,
      );
  }
  const settings = validate(
    SwarmSettingsSchema,
    { ...saved, ...request.settings },
    "swarm options",
  );
  runKeys(settings.node, "--node");
  const keys = swarmKeys(settings.swarm);
  const redis = await Redis.connect(request.url, {
    lostAfterMs: settings.redisTimeout * 1000,
    log: request.log,
  });
  let pool: SwarmPool | null = null;
  const start = async (run: AnyTrainRun, dir: string) => {
    const shared = settings.shared ?? run.train.rollouts;
    writeJsonAtomic(join(dir, SWARM_FILE), { ...settings, shared });
    pool = await SwarmPool.start(redis, keys, run, {
      node: settings.node,
      shared,
      cap: streamCap(run.train.rollouts + shared),
      log: request.log,
    });
    request.log(
      `swarm ${keys.name}: node ${settings.node} on ${redis.url}; each update: ${run.train.rollouts} own episodes + up to ${shared} shared`,
    );
    return pool;
  };
  try {
    const result = request.resume
      ? await resume(request.resume, request.episodes, request.hooks, { pool: start })
      : await train(request.config as AnyTrainRun, request.out, request.hooks, { pool: start });
    const sharing = (pool as SwarmPool | null)?.counters ?? { local: 0, shared: 0, skipped: 0 };
    return { ...result, swarm: keys.name, node: settings.node, sharing };
  } finally {
    redis.close();
  }
}

function readSwarmSettings(runDir: string): SwarmSettings {
  const path = join(runDir, SWARM_FILE);
  if (!existsSync(path)) throw new UserError(`${runDir}: no ${SWARM_FILE}: not a swarm node's run`);
  try {
    return validate(SwarmSettingsSchema, JSON.parse(readFileSync(path, "utf8")), path);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`${path}: not valid JSON (${(e as Error).message})`);
  }
}
