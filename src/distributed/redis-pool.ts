/**
 * The learner's side of the actor–learner split: a RolloutPool whose episodes are played by
 * actor processes anywhere, through Redis. For each update it publishes the weights (versioned
 * by the number of episodes trained into them), hands the update's jobs to the actors' consumer
 * group, and reads played episodes from the experience stream until it has every one, returned
 * in job order — the same bytes the learner would have played itself, so a run does not depend
 * on which actors played, how many, or in what order (docs/distributed.md).
 *
 * What comes back is judged (judgeExperience): an episode of this update played with the
 * current weights, or weights at most `maxStaleness` updates old, is used (the trainer's ratio
 * uses its stored behaviour probabilities); an episode not wanted (done already, or a second
 * copy) is dropped; one played with too old or unknown weights is dropped and handed out again.
 * Accepted entries are acknowledged only when the next update starts, after the trainer has
 * checkpointed this one: a learner killed in between finds them again among its pending entries.
 */
import type { PlayedEpisode, PlayerWeights, RolloutJob, RolloutPool } from "../training/rollout.ts";
import { decodeExperience, type Experience, encodeWeights } from "./codec.ts";
import type { Redis } from "./connection.ts";
import { LEARNER_GROUP, type RunKeys, streamCap } from "./run-keys.ts";
import { ackAndDelete, append, readGroup } from "./streams.ts";

/** The learner's one consumer name: a restarted learner reads its own pending entries. */
const LEARNER = "learner";

export type Verdict = "accept" | "unwanted" | "stale";

/**
 * What to do with an episode played with weights `version` when the weights are at `current`
 * (both: episodes trained into them) and updates collect `rollouts` episodes.
 */
export function judgeExperience(
  x: Pick<Experience, "episode" | "version">,
  wanted: ReadonlySet<number>,
  current: number,
  rollouts: number,
  maxStaleness: number,
): Verdict {
  if (!wanted.has(x.episode)) return "unwanted";
  if (x.version > current) return "stale"; // weights of another lineage (an older learner's)
  const updatesBehind = Math.ceil((current - x.version) / rollouts);
  return updatesBehind <= maxStaleness ? "accept" : "stale";
}

export interface PoolCounters {
  accepted: number;
  unwanted: number;
  stale: number;
  /** Bytes of accepted experience and the time spent decoding it (reads wait: not counted). */
  bytes: number;
  decodeMs: number;
}

export interface RedisPoolOptions {
  rollouts: number;
  maxStaleness: number;
  log: (message: string) => void;
  /** Say "waiting for actors" after this long without an episode (ms). */
  quietMs?: number;
}

export class RedisRolloutPool implements RolloutPool {
  readonly counters: PoolCounters = {
    accepted: 0,
    unwanted: 0,
    stale: 0,
    bytes: 0,
    decodeMs: 0,
  };
  private toAck: string[] = [];

  constructor(
    private readonly redis: Redis,
    private readonly keys: RunKeys,
    private readonly options: RedisPoolOptions,
  ) {}

  async collect(jobs: readonly RolloutJob[], weights: PlayerWeights): Promise<PlayedEpisode[]> {
    const { redis, keys } = this;
    await this.acknowledge(); // the previous update is checkpointed by now
    const version = jobs[0].episode;
    await redis.call(["SET", keys.weights, encodeWeights({ version, weights })]);
    await redis.call(["SET", keys.version, String(version)]);
    const byEpisode = new Map(jobs.map((job, k) => [job.episode, k]));
    for (const job of jobs) await this.hand(job, version);

    const results: (PlayedEpisode | undefined)[] = new Array(jobs.length);
    const wanted = new Set(byEpisode.keys());
    let from: ">" | "0" = "0"; // first what this consumer read before (a restart), then new
    let quietSince = Date.now();
    while (wanted.size > 0) {
      const entries = await readGroup(redis, keys.experience, LEARNER_GROUP, LEARNER, {
        count: 8,
        blockMs: 1000,
        from,
      });
      if (from === "0" && entries.length === 0) from = ">";
      const drop: string[] = [];
      for (const entry of entries) {
        const data = entry.fields.get("data");
        const t0 = performance.now();
        const x = data ? decodeExperience(data) : null;
        this.counters.decodeMs += performance.now() - t0;
        const verdict = x
          ? judgeExperience(x, wanted, version, this.options.rollouts, this.options.maxStaleness)
          : "unwanted";
        this.counters[verdict === "accept" ? "accepted" : verdict]++;
        if (!x || verdict !== "accept") {
          drop.push(entry.id);
          if (x && verdict === "stale") {
            this.options.log(
              `episode ${x.episode + 1}: played by ${x.actor} with weights of episode ${x.version}, too old for ${version}: dropped, handed out again`,
            );
            await this.hand(jobs[byEpisode.get(x.episode) as number], version);
          }
          continue;
        }
        results[byEpisode.get(x.episode) as number] = x.played;
        wanted.delete(x.episode);
        this.toAck.push(entry.id);
        this.counters.bytes += data?.length ?? 0;
        quietSince = Date.now();
      }
      await ackAndDelete(redis, keys.experience, LEARNER_GROUP, drop);
      if (Date.now() - quietSince > (this.options.quietMs ?? 30_000)) {
        this.options.log(
          `waiting for actors: ${jobs.length - wanted.size} of ${jobs.length} episodes of this update in (start one: fleetrl actor --redis URL)`,
        );
        quietSince = Date.now();
      }
    }
    return results as PlayedEpisode[];
  }

  /** Acknowledge and delete the episodes used so far (the stream stays small). */
  async acknowledge(): Promise<void> {
    const ids = this.toAck;
    this.toAck = [];
    await ackAndDelete(this.redis, this.keys.experience, LEARNER_GROUP, ids);
  }

  async close(): Promise<void> {
    // Entries still unacknowledged belong to an update that was not checkpointed: keep them.
  }

  private async hand(job: RolloutJob, version: number): Promise<void> {
    await append(this.redis, this.keys.jobs, streamCap(this.options.rollouts), {
      job: JSON.stringify({ ...job, version }),
    });
  }
}
