/**
 * The learner's side of the actor–learner split: a RolloutPool whose episodes are played by
 * actor processes anywhere, through Redis. It publishes weights by version (the number of
 * episodes trained into them) in one hash, hands out jobs tagged with the version to play them
 * with, and reads played episodes from the experience stream until it has every one of the
 * update, returned in job order — the same bytes the learner would have played itself, so a run
 * does not depend on which actors played, how many, or in what order (docs/distributed.md).
 *
 * With a policy lag L the trainer passes the next L updates' batches too, whose weights exist
 * already: their jobs are handed out at once, so actors play them while the learner updates,
 * and their episodes are kept when they come in early. Every episode is still played with the
 * weights its batch names, so the run stays the same whatever the actors' timing.
 *
 * What comes back is judged (judgeExperience): an episode handed out and played with the
 * weights its job named is used; one not wanted (used already, a second copy, never handed out
 * by this learner) is dropped; one played with other weights (an older learner's jobs) is
 * dropped and its job handed out again. Used entries are acknowledged only when the next update
 * starts, after the trainer has checkpointed this one, and early ones when their update is
 * used: a learner killed in between finds them again among its pending entries.
 */
import type { PlayedEpisode, RolloutBatch, RolloutJob, RolloutPool } from "../training/rollout.ts";
import { decodeExperience, type Experience, encodeWeights } from "./codec.ts";
import type { Redis } from "./connection.ts";
import { LEARNER_GROUP, type RunKeys, streamCap } from "./run-keys.ts";
import { ackAndDelete, append, readGroup } from "./streams.ts";

/** The learner's one consumer name: a restarted learner reads its own pending entries. */
const LEARNER = "learner";

export type Verdict = "accept" | "unwanted" | "stale";

/**
 * What to do with an episode played with weights `x.version`, given the weight version each
 * episode still wanted was handed out with.
 */
export function judgeExperience(
  x: Pick<Experience, "episode" | "version">,
  expected: ReadonlyMap<number, { version: number }>,
): Verdict {
  const handed = expected.get(x.episode);
  if (handed === undefined) return "unwanted";
  return x.version === handed.version ? "accept" : "stale";
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
  policyLag: number;
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
  /** Entries used by the update in progress: acknowledged when the next one starts. */
  private toAck: string[] = [];
  /** Handed-out episodes not used yet: their jobs and the weight version named in them. */
  private readonly handed = new Map<number, { job: RolloutJob; version: number }>();
  /** One past the last episode handed out, and the weight versions in the hash. */
  private handedUntil = 0;
  private readonly published = new Set<number>();
  /** Episodes of later updates that came in before their update (played ahead). */
  private readonly early = new Map<number, { played: PlayedEpisode; id: string }>();
  /** Whether the pending entries of an earlier learner are still to be read. */
  private pendingToRead = true;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RunKeys,
    private readonly options: RedisPoolOptions,
  ) {}

  async collect(batches: readonly RolloutBatch[]): Promise<PlayedEpisode[]> {
    await this.acknowledge(); // the previous update is checkpointed by now
    await this.handOut(batches);
    const { jobs } = batches[0];
    const slot = new Map(jobs.map((job, k) => [job.episode, k]));
    const results: (PlayedEpisode | undefined)[] = new Array(jobs.length);
    const take = (episode: number, played: PlayedEpisode, id: string) => {
      results[slot.get(episode) as number] = played;
      slot.delete(episode);
      this.handed.delete(episode);
      this.toAck.push(id);
    };
    for (const episode of [...slot.keys()]) {
      const x = this.early.get(episode);
      if (!x) continue;
      this.early.delete(episode);
      take(episode, x.played, x.id);
    }
    // first what this consumer read before (a restarted learner), then new entries
    let from = this.pendingToRead ? "0-0" : ">";
    let quietSince = Date.now();
    while (slot.size > 0) {
      const entries = await readGroup(this.redis, this.keys.experience, LEARNER_GROUP, LEARNER, {
        count: 8,
        blockMs: 1000,
        from,
      });
      if (from !== ">") from = entries.length > 0 ? entries[entries.length - 1].id : ">";
      const drop: string[] = [];
      for (const entry of entries) {
        const data = entry.fields.get("data");
        const t0 = performance.now();
        const x = data ? decodeExperience(data) : null;
        this.counters.decodeMs += performance.now() - t0;
        let verdict = x ? judgeExperience(x, this.handed) : "unwanted";
        if (x && verdict === "accept" && this.early.has(x.episode)) verdict = "unwanted"; // a second copy
        this.counters[verdict === "accept" ? "accepted" : verdict]++;
        if (!x || verdict !== "accept") {
          drop.push(entry.id);
          if (x && verdict === "stale") await this.rehand(x);
          continue;
        }
        this.counters.bytes += data?.length ?? 0;
        quietSince = Date.now();
        if (slot.has(x.episode)) take(x.episode, x.played, entry.id);
        else this.early.set(x.episode, { played: x.played, id: entry.id });
      }
      await ackAndDelete(this.redis, this.keys.experience, LEARNER_GROUP, drop);
      if (Date.now() - quietSince > (this.options.quietMs ?? 30_000)) {
        this.options.log(
          `waiting for actors: ${jobs.length - slot.size} of ${jobs.length} episodes of this update in (start one: fleetrl actor --redis URL)`,
        );
        quietSince = Date.now();
      }
    }
    this.pendingToRead = false;
    await this.forgetWeightsBefore(batches[0].version);
    return results as PlayedEpisode[];
  }

  /** Acknowledge and delete the episodes used so far (the stream stays small). */
  async acknowledge(): Promise<void> {
    const ids = this.toAck;
    this.toAck = [];
    await ackAndDelete(this.redis, this.keys.experience, LEARNER_GROUP, ids);
  }

  async close(): Promise<void> {
    // Entries still unacknowledged belong to an update that was not checkpointed (or to a later
    // one, played ahead): keep them for a resumed learner.
  }

  /** Publish the batches' weights and hand out the jobs not handed out yet. */
  private async handOut(batches: readonly RolloutBatch[]): Promise<void> {
    for (const { jobs, version, weights } of batches) {
      if (jobs[0].episode < this.handedUntil) continue;
      if (!this.published.has(version)) {
        const blob = encodeWeights({ version, weights });
        await this.redis.call(["HSET", this.keys.weights, String(version), blob]);
        this.published.add(version);
      }
      for (const job of jobs) {
        this.handed.set(job.episode, { job, version });
        await this.hand(job, version);
      }
      this.handedUntil = jobs[jobs.length - 1].episode + 1;
    }
  }

  /** An episode played with other weights than its job named: hand the job out again. */
  private async rehand(x: Experience): Promise<void> {
    const { job, version } = this.handed.get(x.episode) as { job: RolloutJob; version: number };
    this.options.log(
      `episode ${x.episode + 1}: played by ${x.actor} with weights of episode ${x.version}, not ${version}: dropped, handed out again`,
    );
    await this.hand(job, version);
  }

  /** Weights no job still needs leave the hash (a job handed out later names newer ones). */
  private async forgetWeightsBefore(version: number): Promise<void> {
    const old = [...this.published].filter((v) => v < version);
    if (old.length === 0) return;
    await this.redis.call(["HDEL", this.keys.weights, ...old.map(String)]);
    for (const v of old) this.published.delete(v);
  }

  private async hand(job: RolloutJob, version: number): Promise<void> {
    const { rollouts, policyLag } = this.options;
    await append(this.redis, this.keys.jobs, streamCap(rollouts, policyLag), {
      job: JSON.stringify({ ...job, version }),
    });
  }
}
