/**
 * Parallel rollouts on one machine: `workers` threads play the episodes of an update with the
 * learner's current weights — the learner's own thread and `workers − 1` worker threads, each
 * with its own environment (sharing the learner's precomputed travel-time tables). Jobs go to
 * whichever player is free and come back in job order, so the learner sees exactly what it would
 * have played itself: results depend on the seed and `rollouts`, never on the number of workers.
 */
import { Worker } from "node:worker_threads";
import { algorithmByName } from "../algorithms/registry.ts";
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

/** A job for one worker, with the weights to play it with. */
export interface WorkerRequest {
  id: number;
  job: RolloutJob;
  weights: PlayerWeights;
}

/** A worker's answer: the played episode, an error (its stack), or (id −1) "ready". */
export interface WorkerReply {
  id: number;
  played?: PlayedEpisode;
  error?: string;
}

/** The worker runs TypeScript: register tsx's loader in the thread, then load the module. */
const BOOT = `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))})
  .then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL("./rollout-worker.ts", import.meta.url).href)}); })`;

/** What a worker starts from: the run, and the travel-time tables it adopts instead of copying. */
export interface WorkerData {
  run: AnyTrainRun;
  tables: TravelTables[];
}

/**
 * Start the pool of `count` players for the run `run`: this thread and `count − 1` worker
 * threads (each builds its environment; resolves when all are ready). The travel-time tables
 * precomputed in this thread (the learner's environment builds its start hour's) go to every
 * worker in shared memory: a worker's environment adopts them rather than computing its own
 * ~100 MB copy per hour (city/shared-tables.ts).
 */
export async function startRolloutPool(run: AnyTrainRun, count: number): Promise<RolloutPool> {
  const workerData: WorkerData = { run, tables: aliveTables() };
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
  return new ThreadPool(workers);
}

class ThreadPool implements RolloutPool {
  private nextId = 0;

  constructor(private readonly workers: Worker[]) {}

  async collect(
    [{ jobs, weights }]: readonly RolloutBatch[],
    playHere: (job: RolloutJob) => PlayedEpisode,
  ): Promise<PlayedEpisode[]> {
    const results: PlayedEpisode[] = new Array(jobs.length);
    let next = 0;
    const drive = async (worker: Worker): Promise<void> => {
      while (next < jobs.length) {
        const k = next++;
        results[k] = await this.ask(worker, { id: this.nextId++, job: jobs[k], weights });
      }
    };
    // every worker has its first job posted before this thread starts playing (synchronously)
    const driven = this.workers.map(drive);
    while (next < jobs.length) {
      const k = next++;
      results[k] = playHere(jobs[k]);
      // let finished workers' replies in, so they take the next jobs before this thread does
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await Promise.all(driven);
    return results;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private ask(worker: Worker, request: WorkerRequest): Promise<PlayedEpisode> {
    return new Promise((resolve, reject) => {
      const onMessage = (reply: WorkerReply) => {
        if (reply.id !== request.id) return;
        cleanup();
        if (reply.played) resolve(reply.played);
        else
          reject(
            new Error(`rollout worker failed on episode ${request.job.episode}: ${reply.error}`),
          );
      };
      const onExit = (code: number) => {
        cleanup();
        reject(
          new Error(
            `rollout worker exited with code ${code} during episode ${request.job.episode}`,
          ),
        );
      };
      const cleanup = () => {
        worker.off("message", onMessage);
        worker.off("exit", onExit);
      };
      worker.on("message", onMessage);
      worker.on("exit", onExit);
      worker.postMessage(request);
    });
  }
}
