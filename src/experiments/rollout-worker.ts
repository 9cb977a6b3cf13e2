/**
 * A rollout worker thread (started by rollout-pool.ts): adopts the learner's road network and
 * travel-time tables (shared memory), builds the run's training environment from the run config, then plays the jobs it is sent with the weights
 * that come with them and sends back each episode's experience (transferred, not copied).
 */
import { parentPort, workerData } from "node:worker_threads";
import { installRoads } from "../city/shared-road.ts";
import { installTables } from "../city/shared-tables.ts";
import { recordBuffers } from "../training/experience.ts";
import {
  claim,
  runPlayer,
  type WorkerData,
  type WorkerReply,
  type WorkerRequest,
} from "./rollout-pool.ts";

const port = parentPort;
if (!port) throw new Error("rollout-worker.ts runs as a worker thread (see rollout-pool.ts)");
const data = workerData as WorkerData;
installRoads(data.roads);
installTables(data.tables);
const player = await runPlayer(data.run);

port.on("message", (request: WorkerRequest) => {
  let reply: WorkerReply;
  if (!claim(data.claims, request.slot)) {
    port.postMessage({ id: request.id, taken: true } satisfies WorkerReply); // played by the learner's thread
    return;
  }
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
