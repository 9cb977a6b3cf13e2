/**
 * Parallel rollouts on one machine: `workers` threads play the episodes of an update with the
 * weights the trainer names — the learner's own thread and `workers − 1` worker threads, each
 * with its own environment (sharing the learner's road network and travel-time tables). Jobs go to
 * whichever player is free and come back in job order, so the learner sees exactly what it would
 * have played itself: results depend on the seed and `rollouts`, never on the number of workers.
 * With a policy lag the worker threads go on to the next updates' episodes while the learner's
 * thread updates.
 */
import { Worker } from "node:worker_threads";
import { algorithmByName } from "../algorithms/registry.ts";
import { type SharedRoad, sharedRoads } from "../city/shared-road.ts";
import { aliveTables, type TravelTables } from "../city/shared-tables.ts";
import { Rng } from "../core/rng.ts";
import { environmentByName } from "../envs/registry.ts";
import { initBackend } from "../nn/index.ts";
import {
  createNetworks,
  EpisodePlayer,
  type PlayedEpisode,
  type PlayerWeights,
  type RolloutBatch,
  type RolloutJob,
  type RolloutPool,
} from "../training/rollout.ts";
import { parseTrainConfig } from "../training/train-config.ts";
import { envShape } from "../training/trainer.ts";
import type { AnyTrainRun } from "./run-config.ts";

/**
 * A player of the run's training episodes on its own copy of the environment (a worker thread,
 * a distributed actor). Its initial weights do not matter: every job comes with the weights to
 * play it with.
 */
export async function runPlayer(run: AnyTrainRun): Promise<EpisodePlayer> {
  await initBackend();
  const { env } = await environmentByName(run.environment).build(run.env, { demand: run.demand });
  const config = parseTrainConfig(run.train);
  const criticInput = algorithmByName(config.algo).critic;
  const shape = envShape(env);
  const networks = createNetworks(config, shape, criticInput, new Rng(0));
  return new EpisodePlayer(env, networks, config, criticInput, shape);
}

/**
 * A job for one worker, with the weights to play it with and its claim slot: whoever claims the
 * slot first (the worker when it comes to the job, or the learner's thread) plays it.
 */
export interface WorkerRequest {
  id: number;
  slot: number;
  job: RolloutJob;
  weights: PlayerWeights;
}

/**
 * A worker's answer: the played episode, `taken` (the learner's thread claimed the job first),
 * an error (its stack), or (id −1) "ready".
 */
export interface WorkerReply {
  id: number;
  played?: PlayedEpisode;
  taken?: true;
  error?: string;
}

/** Claim slots shared with the workers: enough for every job that can be queued at once. */
const CLAIM_SLOTS = 1 << 16;

/** Claim a job's slot for its player; false if another player has it. */
export function claim(claims: Int32Array, slot: number): boolean {
  return Atomics.compareExchange(claims, slot, 0, 1) === 0;
}

/** The worker runs TypeScript: register tsx's loader in the thread, then load the module. */
const BOOT = `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))})
  .then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL("./rollout-worker.ts", import.meta.url).href)}); })`;

/**
 * What a worker starts from: the run, and the road network and travel-time tables it adopts
 * instead of copying.
 */
export interface WorkerData {
  run: AnyTrainRun;
  roads: SharedRoad[];
  tables: TravelTables[];
  /** CLAIM_SLOTS claim flags (0 free, 1 claimed), shared by the pool and its workers. */
  claims: Int32Array;
}

/**
 * Start the pool of `count` players for the run `run`: this thread and `count − 1` worker
 * threads (each builds its environment; resolves when all are ready). The road network decoded
 * and the travel-time tables precomputed in this thread (the learner's environment builds its
 * start hour's) go to every worker in shared memory: a worker's environment adopts them rather
 * than decoding the road file and computing its own ~100 MB copy per hour
 * (city/shared-road.ts, city/shared-tables.ts).
 */
export async function startRolloutPool(run: AnyTrainRun, count: number): Promise<RolloutPool> {
  const claims = new Int32Array(new SharedArrayBuffer(4 * CLAIM_SLOTS));
  const workerData: WorkerData = { run, roads: sharedRoads(), tables: aliveTables(), claims };
  const workers = Array.from(
    { length: Math.max(0, count - 1) },
    () => new Worker(BOOT, { eval: true, workerData }),
  );
  const failed = (w: Worker) =>
    new Promise<never>((_, reject) => {
      w.once("error", reject);
      w.once("exit", (code) => reject(new Error(`rollout worker exited with code ${code}`)));
    });
  try {
    await Promise.all(
      workers.map((w) =>
        Promise.race([new Promise<void>((ready) => w.once("message", () => ready())), failed(w)]),
      ),
    );
  } catch (e) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw e;
  }
  return new ThreadPool(workers, claims);
}

/** A job handed to a worker: its claim slot and the worker's answer to come. */
interface Handed {
  slot: number;
  reply: Promise<PlayedEpisode | null>;
}

/**
 * Every job goes to a worker's queue as soon as its weights are known (the update's own jobs
 * and, with a policy lag, the next updates', which the workers play while this thread learns);
 * this thread claims the update's own jobs from the back and plays them, so the workers, which
 * take their queues from the front, and this thread never play the same job. Each job is played
 * with the weights its batch names: the same episode whoever claims it.
 */
class ThreadPool implements RolloutPool {
  private nextId = 0;
  private nextWorker = 0;
  private readonly handed = new Map<number, Handed>();
  private readonly waiting = new Map<
    number,
    { resolve: (p: PlayedEpisode | null) => void; reject: (e: Error) => void; episode: number }
  >();

  constructor(
    private readonly workers: Worker[],
    private readonly claims: Int32Array,
  ) {
    for (const worker of workers) {
      worker.on("message", (reply: WorkerReply) => this.answer(reply));
      worker.on("exit", (code) => {
        for (const [id, w] of this.waiting) {
          this.waiting.delete(id);
          w.reject(
            new Error(`rollout worker exited with code ${code} during episode ${w.episode}`),
          );
        }
      });
    }
  }

  async collect(
    batches: readonly RolloutBatch[],
    playHere: (job: RolloutJob) => PlayedEpisode,
  ): Promise<PlayedEpisode[]> {
    for (const { jobs, weights } of batches)
      for (const job of jobs) if (!this.handed.has(job.episode)) this.hand(job, weights);
    const { jobs } = batches[0];
    const here = new Map<number, PlayedEpisode>();
    for (let k = jobs.length - 1; k >= 0; k--) {
      const { slot } = this.handed.get(jobs[k].episode) as Handed;
      if (!claim(this.claims, slot)) continue;
      here.set(k, playHere(jobs[k]));
      // let the workers' replies in between episodes
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const played = await Promise.all(
      jobs.map((job, k) => here.get(k) ?? (this.handed.get(job.episode) as Handed).reply),
    );
    for (const job of jobs) this.handed.delete(job.episode);
    return played as PlayedEpisode[];
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  /** Queue a job on the next worker (round robin); with no worker, this thread plays it. */
  private hand(job: RolloutJob, weights: PlayerWeights): void {
    const id = this.nextId++;
    const slot = id % CLAIM_SLOTS;
    Atomics.store(this.claims, slot, 0);
    if (this.workers.length === 0) {
      this.handed.set(job.episode, { slot, reply: Promise.resolve(null) });
      return;
    }
    const reply = new Promise<PlayedEpisode | null>((resolve, reject) =>
      this.waiting.set(id, { resolve, reject, episode: job.episode }),
    );
    reply.catch(() => {}); // a failure surfaces in the collect that awaits this episode
    this.handed.set(job.episode, { slot, reply });
    const worker = this.workers[this.nextWorker++ % this.workers.length];
    worker.postMessage({ id, slot, job, weights } satisfies WorkerRequest);
  }

  private answer(reply: WorkerReply): void {
    const w = this.waiting.get(reply.id);
    if (!w) return;
    this.waiting.delete(reply.id);
    if (reply.played) w.resolve(reply.played);
    else if (reply.taken) w.resolve(null);
    else w.reject(new Error(`rollout worker failed on episode ${w.episode}: ${reply.error}`));
  }
}
