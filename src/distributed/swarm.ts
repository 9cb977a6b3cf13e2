/**
 * `fleetrl swarm`: SAPO-style swarm training ("Sharing is Caring", Amico et al. 2025). Each node
 * is a whole training run of its own (its own policy, run directory, checkpoints) that plays its
 * update's I = `rollouts` episodes itself, publishes them to the swarm's shared stream, and
 * learns from them plus up to J = `shared` episodes other nodes published since its last update
 * (the newest first), each with the behaviour probabilities it was played with — the trainer's
 * ratio π_θ / π_behaviour then weighs another node's experience by how likely this node's policy
 * is to act the same way. Nodes join and leave at any time; a node that finds nothing shared
 * learns from its own episodes only, exactly as `train --rollouts I`.
 *
 * All nodes of a swarm must play the same environment (the same features): the first node
 * publishes the environment's config, and a node with another one is refused.
 */
import { UserError } from "../core/errors.ts";
import type { AnyTrainRun } from "../experiments/run-config.ts";
import type { PlayedEpisode, RolloutBatch, RolloutJob, RolloutPool } from "../training/rollout.ts";
import { decodeExperience, encodeExperience } from "./codec.ts";
import type { Redis } from "./connection.ts";
import { runKeys } from "./run-keys.ts";
import { append } from "./streams.ts";

export interface SwarmKeys {
  name: string;
  /** JSON: the environment every node plays. */
  environment: string;
  /** Stream of every node's played episodes. */
  rollouts: string;
}

/** The keys of swarm `name` (named like runs: letters, digits, . _ -). */
export function swarmKeys(name: string): SwarmKeys {
  runKeys(name, "--swarm"); // the same naming rule
  const p = `fleetrl:swarm:${name}:`;
  return { name, environment: `${p}environment`, rollouts: `${p}rollouts` };
}

export interface SwarmCounters {
  local: number;
  /** Episodes of other nodes learned from. */
  shared: number;
  /** Episodes of other nodes skipped (not this environment's shape). */
  skipped: number;
}

export interface SwarmOptions {
  node: string;
  /** J: episodes of other nodes per update, at most. */
  shared: number;
  /** The shared stream keeps about this many episodes. */
  cap: number;
  log: (message: string) => void;
}

/** The environment a run plays, as the swarm compares it. */
function environmentOf(run: AnyTrainRun): string {
  return JSON.stringify({ environment: run.environment, env: run.env, demand: run.demand ?? null });
}

/** Join the swarm: publish its environment if first, else check this run plays the same. */
export async function joinSwarm(redis: Redis, keys: SwarmKeys, run: AnyTrainRun): Promise<void> {
  const mine = environmentOf(run);
  await redis.call(["SET", keys.environment, mine, "NX"]);
  const theirs = await redis.text(["GET", keys.environment]);
  if (theirs !== mine)
    throw new UserError(
      `swarm ${keys.name} plays another environment (${theirs}); this node's is ${mine}: use another --swarm`,
    );
}

export class SwarmPool implements RolloutPool {
  readonly counters: SwarmCounters = { local: 0, shared: 0, skipped: 0 };
  /** Stream id of the newest shared entry seen: each shared episode is learned from once. */
  private seen = "0-0";

  constructor(
    private readonly redis: Redis,
    private readonly keys: SwarmKeys,
    private readonly options: SwarmOptions,
  ) {}

  static async start(
    redis: Redis,
    keys: SwarmKeys,
    run: AnyTrainRun,
    options: SwarmOptions,
  ): Promise<SwarmPool> {
    await joinSwarm(redis, keys, run);
    const pool = new SwarmPool(redis, keys, options);
    // Episodes published before this node (re)joined are from older policies: start from now.
    const last = await redis.call<[Buffer, unknown][]>([
      "XREVRANGE",
      keys.rollouts,
      "+",
      "-",
      "COUNT",
      "1",
    ]);
    if (last.length) pool.seen = last[0][0].toString();
    return pool;
  }

  /**
   * This node's episodes (played here by the node's own trainer, in job order), then up to J of
   * other nodes'.
   */
  async collect(
    [{ jobs, version }]: readonly RolloutBatch[],
    playHere: (job: RolloutJob) => PlayedEpisode,
  ): Promise<PlayedEpisode[]> {
    const { node } = this.options;
    const local = jobs.map(playHere);
    for (const [k, played] of local.entries()) {
      const data = encodeExperience({
        episode: jobs[k].episode,
        version,
        actor: node,
        played,
      });
      await append(this.redis, this.keys.rollouts, this.options.cap, { data }, true); // the first node creates the stream
    }
    this.counters.local += local.length;
    return [...local, ...(await this.takeShared(local[0].experience))];
  }

  /**
   * The newest ≤ J episodes other nodes published since the last update (oldest first), of the
   * same shape as this node's `own` episode.
   */
  private async takeShared(own: PlayedEpisode["experience"]): Promise<PlayedEpisode[]> {
    const { node, shared: J } = this.options;
    if (J === 0) return [];
    const raw = await this.redis.call<[Buffer, Buffer[]][]>([
      "XREVRANGE",
      this.keys.rollouts,
      "+",
      `(${this.seen}`,
      "COUNT",
      String(this.options.cap),
    ]);
    if (raw.length) this.seen = raw[0][0].toString();
    const out: PlayedEpisode[] = [];
    for (const [, fields] of raw) {
      if (out.length >= J) break;
      const data = fields[fields.findIndex((f, i) => i % 2 === 0 && f.toString() === "data") + 1];
      if (!data) continue;
      const x = decodeExperience(data);
      if (x.actor === node) continue;
      const r = x.played.experience;
      // the same environment gives the same features; critic inputs differ with the algorithm
      const fits =
        r.numAgents === own.numAgents && r.pairDim === own.pairDim && r.criticDim === own.criticDim;
      if (!fits) {
        this.counters.skipped++;
        continue;
      }
      out.push(x.played);
    }
    this.counters.shared += out.length;
    return out.reverse();
  }

  async close(): Promise<void> {}
}
