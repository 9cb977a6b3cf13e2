/**
 * A rollout worker thread (started by rollout-pool.ts): builds its own copy of the run's
 * training environment from the run config, then plays the jobs it is sent with the weights
 * that come with them and sends back each episode's experience (transferred, not copied).
 */
import { parentPort, workerData } from "node:worker_threads";
import { algorithmByName } from "../algorithms/registry.ts";
import { Rng } from "../core/rng.ts";
import { environmentByName } from "../envs/registry.ts";
import { initBackend } from "../nn/index.ts";
import { recordBuffers } from "../training/experience.ts";
import { createNetworks, EpisodePlayer } from "../training/rollout.ts";
import { parseTrainConfig } from "../training/train-config.ts";
import { envShape } from "../training/trainer.ts";
import type { WorkerReply, WorkerRequest } from "./rollout-pool.ts";
import type { AnyTrainRun } from "./run-config.ts";

const port = parentPort;
if (!port) throw new Error("rollout-worker.ts runs as a worker thread (see rollout-pool.ts)");
const run = workerData as AnyTrainRun;

await initBackend();
const { env } = await environmentByName(run.environment).build(run.env, { demand: run.demand });
const config = parseTrainConfig(run.train);
const criticInput = algorithmByName(config.algo).critic;
const shape = envShape(env);
// The initial weights do not matter: every job brings the weights to play with.
const networks = createNetworks(config, shape, criticInput, new Rng(0));
const player = new EpisodePlayer(env, networks, config, criticInput, shape);

port.on("message", (request: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    player.setWeights(request.weights);
    const played = player.play(request.job);
    reply = { id: request.id, played };
    port.postMessage(reply, recordBuffers(played.experience));
  } catch (e) {
    reply = { id: request.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    port.postMessage(reply);
  }
});
port.postMessage({ id: -1 } satisfies WorkerReply); // ready
