/**
 * Where a distributed run lives on the Redis server: every key under `fleetrl:run:<name>:`, so
 * several runs share one server, plus one set of the runs in progress (what an actor started
 * without `--run` joins). What the learner publishes there for its actors is typed here too.
 */
import { z } from "zod";
import { UserError } from "../core/errors.ts";
import type { AnyTrainRun } from "../experiments/run-config.ts";

/** The set of run names in progress on a server. */
export const ACTIVE_RUNS = "fleetrl:runs";

/**
 * How many runs were ever published on the server, and `RUN_START:<n>` the name of the n-th: an
 * actor that waits for a learner joins the first run published after it began waiting, even one
 * that started and ended between two of its polls (it then exits as for any finished run).
 */
export const RUN_STARTS = "fleetrl:run-starts";
export const RUN_START = "fleetrl:run-start";

/** Consumer groups: actors share the job stream; the learner reads the experience stream. */
export const ACTOR_GROUP = "actors";
export const LEARNER_GROUP = "learner";

export interface RunKeys {
  name: string;
  /** JSON: the PublishedRun. */
  config: string;
  /** "running" | "done". */
  status: string;
  /** Hash: weight version → weights (binary, codec.ts), those the jobs handed out still name. */
  weights: string;
  /** Stream of episodes to play (group `actors`). */
  jobs: string;
  /** Stream of played episodes (group `learner`). */
  experience: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The keys of run `name` (checked: letters, digits, . _ -; at most 64). */
export function runKeys(name: string, flag = "--run"): RunKeys {
  if (!NAME.test(name))
    throw new UserError(
      `${flag} ${JSON.stringify(name)}: a run name is 1–64 letters, digits, '.', '_' or '-' (starting with a letter or digit)`,
    );
  const p = `fleetrl:run:${name}:`;
  return {
    name,
    config: `${p}config`,
    status: `${p}status`,
    weights: `${p}weights`,
    jobs: `${p}jobs`,
    experience: `${p}experience`,
  };
}

/** A run name from a run directory's name (other characters become '-'). */
export function runNameOf(dirName: string): string {
  const name = dirName.replace(/[^A-Za-z0-9._-]/g, "-").replace(/^[^A-Za-z0-9]+/, "");
  return (name || "run").slice(0, 64);
}

/** The learner's settings for its actors and itself (distributed.json of a learner's run dir). */
export const DistributedSettingsSchema = z
  .object({
    run: z.string().describe("the run's name on the server (its key prefix)"),
    claimTimeout: z
      .number()
      .positive()
      .default(60)
      .describe("an episode claimed this long ago without a result is handed to another actor"),
    redisTimeout: z
      .number()
      .positive()
      .default(60)
      .describe("give up after the connection has been lost this long"),
  })
  .strict();
export type DistributedSettings = z.output<typeof DistributedSettingsSchema>;

/** The protocol version: an actor refuses a run published by another one. */
export const PROTOCOL = 2;

/** What the learner publishes under `config`: all an actor needs. */
export interface PublishedRun {
  protocol: number;
  run: AnyTrainRun;
  settings: DistributedSettings;
}

/**
 * Streams are trimmed (approximately) to this many entries: a few updates' worth, counting the
 * updates a policy lag hands out ahead.
 */
export function streamCap(rollouts: number, policyLag = 0): number {
  return 4 * (policyLag + 1) * rollouts + 64;
}
