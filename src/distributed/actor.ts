/**
 * `fleetrl actor`: plays a distributed run's episodes. It finds the run on the server (the only
 * one in progress, or `--run NAME`), builds the run's environment from the published config,
 * then loops: take an episode — first one claimed by another actor that gave no result for the
 * run's claim timeout (XAUTOCLAIM: that actor died), else a new one (XREADGROUP) — play it
 * with the weights its job names (fetched when they change), append its experience (binary,
 * tagged with the weight version) to the experience stream, acknowledge the job. It waits while
 * the learner is away and exits when the learner marks the run done.
 */
import { hostname } from "node:os";
import { ErrorReply } from "@redis/client";
import { UserError } from "../core/errors.ts";
import { runPlayer } from "../experiments/rollout-pool.ts";
import type { EpisodePlayer, RolloutJob } from "../training/rollout.ts";
import { decodeWeights, encodeExperience } from "./codec.ts";
import { Redis } from "./connection.ts";
import {
  ACTIVE_RUNS,
  ACTOR_GROUP,
  PROTOCOL,
  type PublishedRun,
  RUN_START,
  RUN_STARTS,
  type RunKeys,
  runKeys,
  streamCap,
} from "./run-keys.ts";
import { ackAndDelete, append, claimStale, readGroup, type StreamEntry } from "./streams.ts";

export interface ActorRequest {
  url: string;
  /** The run to join (default: the only one in progress). */
  run?: string;
  /** Give up a lost connection after this long before the run's own setting is known (s). */
  redisTimeout?: number;
  /** How often an actor without a run looks for a learner (ms, default 1000). */
  pollMs?: number;
  log: (message: string) => void;
}

export interface ActorResult {
  run: string;
  actor: string;
  episodes: number;
  /** Episodes taken over from an actor that gave no result in time. */
  reclaimed: number;
  /** Experience bytes sent, and time spent playing and sending (encode + XADD). */
  bytes: number;
  playMs: number;
  sendMs: number;
}

const POLL_MS = 1000;

export async function runActor(request: ActorRequest): Promise<ActorResult> {
  const { log } = request;
  const redis = await Redis.connect(request.url, {
    lostAfterMs: (request.redisTimeout ?? 60) * 1000,
    log,
  });
  try {
    const keys = runKeys(request.run ?? (await waitForRun(redis, request.pollMs ?? POLL_MS, log)));
    const published = await waitForConfig(redis, keys, log);
    redis.lostAfterMs = published.settings.redisTimeout * 1000;
    const actor = `${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 6)}`;
    const result: ActorResult = {
      run: keys.name,
      actor,
      episodes: 0,
      reclaimed: 0,
      bytes: 0,
      playMs: 0,
      sendMs: 0,
    };
    if ((await redis.text(["GET", keys.status])) !== "running") return result;
    log(
      `actor ${actor}: run ${keys.name} (${published.run.environment}, ${published.run.train.algo}); building the environment`,
    );
    const player = await runPlayer(published.run);
    await play(redis, keys, published, player, result, log);
    await redis.call(["XGROUP", "DELCONSUMER", keys.jobs, ACTOR_GROUP, actor]).catch(() => {});
    log(`actor ${actor}: run ${keys.name} is done (${result.episodes} episodes played)`);
    return result;
  } finally {
    redis.close();
  }
}

/** A job as the learner hands it out: with the version of the weights to play it with. */
type HandedJob = RolloutJob & { version: number };

/** The actor's loop, until the run's status is no longer "running". */
async function play(
  redis: Redis,
  keys: RunKeys,
  published: PublishedRun,
  player: EpisodePlayer,
  result: ActorResult,
  log: (message: string) => void,
): Promise<void> {
  const { actor } = result;
  const claimMs = published.settings.claimTimeout * 1000;
  const cap = streamCap(published.run.train.rollouts, published.run.train.policyLag);
  let version: number | null = null;
  while ((await redis.text(["GET", keys.status])) === "running") {
    let entry: StreamEntry | null;
    let reclaimed = false;
    try {
      entry = await claimStale(redis, keys.jobs, ACTOR_GROUP, actor, claimMs);
      reclaimed = entry !== null;
      if (reclaimed) result.reclaimed++;
      entry ??=
        (
          await readGroup(redis, keys.jobs, ACTOR_GROUP, actor, {
            count: 1,
            blockMs: POLL_MS,
            from: ">",
          })
        )[0] ?? null;
    } catch (e) {
      // NOGROUP and the like: a restarting learner is recreating the job stream
      if (!(e instanceof ErrorReply)) throw e;
      await sleep(200);
      continue;
    }
    if (!entry) continue;
    const job = JSON.parse(entry.fields.get("job")?.toString() ?? "null") as HandedJob | null;
    if (job && job.version !== version) {
      const blob = await redis.call<Buffer | null>(["HGET", keys.weights, String(job.version)]);
      if (blob) {
        const w = decodeWeights(blob);
        player.setWeights(w.weights);
        version = w.version;
      }
    }
    if (!job || job.version !== version) {
      // not a job, or its weights are gone: the learner has moved past it (or the run ended)
      await ackAndDelete(redis, keys.jobs, ACTOR_GROUP, [entry.id]);
      continue;
    }
    log(
      `actor ${actor}: playing episode ${job.episode + 1}${reclaimed ? " (taken over: the actor that took it gave no result in time)" : ""}`,
    );
    const t0 = performance.now();
    const played = player.play(job);
    const t1 = performance.now();
    const data = encodeExperience({ episode: job.episode, version, actor, played });
    await append(redis, keys.experience, cap, { data });
    await ackAndDelete(redis, keys.jobs, ACTOR_GROUP, [entry.id]);
    const t2 = performance.now();
    result.episodes++;
    result.bytes += data.length;
    result.playMs += t1 - t0;
    result.sendMs += t2 - t1;
    log(
      `actor ${actor}: episode ${job.episode + 1} played with weights of episode ${version} in ${((t1 - t0) / 1000).toFixed(2)} s, sent ${(data.length / 1024).toFixed(0)} KB in ${(t2 - t1).toFixed(0)} ms`,
    );
  }
}

/**
 * The name of the one run in progress, or else of the first run published after this actor
 * began waiting (a short run may start and end between two polls); several in progress →
 * UserError.
 */
async function waitForRun(
  redis: Redis,
  pollMs: number,
  log: (message: string) => void,
): Promise<string> {
  const startsBefore = Number(await redis.text(["GET", RUN_STARTS]));
  let said = false;
  for (;;) {
    const names = (await redis.call<Buffer[]>(["SMEMBERS", ACTIVE_RUNS])).map(String).sort();
    if (names.length === 1) return names[0];
    if (names.length > 1)
      throw new UserError(
        `${names.length} runs are in progress on ${redis.url} (${names.join(", ")}): choose one with --run NAME`,
      );
    if (Number(await redis.text(["GET", RUN_STARTS])) > startsBefore) {
      const first = await redis.text(["GET", `${RUN_START}:${startsBefore + 1}`]);
      if (first) return first;
    }
    if (!said) log(`actor: no run in progress on ${redis.url} yet; waiting for a learner`);
    said = true;
    await sleep(pollMs);
  }
}

/** The run's published config (waiting for its learner to publish it). */
async function waitForConfig(
  redis: Redis,
  keys: RunKeys,
  log: (message: string) => void,
): Promise<PublishedRun> {
  let said = false;
  for (;;) {
    const text = await redis.text(["GET", keys.config]);
    if (text) {
      const published = JSON.parse(text) as PublishedRun;
      if (published.protocol !== PROTOCOL)
        throw new UserError(
          `run ${keys.name} on ${redis.url} was published by another fleetrl version (protocol ${published.protocol}, this actor speaks ${PROTOCOL})`,
        );
      return published;
    }
    if (!said) log(`actor: run ${keys.name} is not on ${redis.url} yet; waiting for its learner`);
    said = true;
    await sleep(POLL_MS);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
