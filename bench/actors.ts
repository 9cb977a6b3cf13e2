/**
 * The distributed actor–learner (issue "Scale out", part 2): episodes per minute with 1, 2 and
 * 4 actor processes on this machine, with and without a policy lag (actors playing the next
 * update's episodes while the learner updates), and the transport cost per episode (experience
 * bytes, the actor's encode + send, the learner's read + decode). A real redis-server on a free loopback
 * port; the learner in this process, each actor a `fleetrl actor` process of its own. The
 * rate counts the updates after the first (which includes the actors building the environment
 * and compiling), from the learner's clock: the whole loop, updates included.
 *
 *   npx tsx bench/actors.ts [--vehicles 200] [--epochs 10] [--rollouts 4] [--updates 4] [--actors 1,2,4]
 *                           [--updates-per-episode 10] [--policy-lag 0,1]
 *
 * The default run is a small dispatch one (manhattan-peak's rules, fewer vehicles and epochs) so
 * that four actors fit in memory and minutes on two shared cores.
 */
import { spawn } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { ActorResult } from "../src/distributed/actor.ts";
import { runLearner } from "../src/distributed/learner.ts";
import { trainRunSchemaFor } from "../src/experiments/run-config.ts";
import { tempDir } from "../test/cli/run-cli.ts";
import { startRedis } from "../test/distributed/redis-server.ts";

const { values } = parseArgs({
  options: {
    vehicles: { type: "string", default: "200" },
    epochs: { type: "string", default: "10" },
    rollouts: { type: "string", default: "4" },
    updates: { type: "string", default: "4" },
    actors: { type: "string", default: "1,2,4" },
    algo: { type: "string", default: "ospo" },
    // fewer minibatch updates make the rollout phase, which actors share, the larger part
    "updates-per-episode": { type: "string", default: "10" },
    "policy-lag": { type: "string", default: "0,1" },
  },
});
const rollouts = Number(values.rollouts);
const updates = Number(values.updates);
const raw = {
  environment: "dispatch",
  env: { vehicles: Number(values.vehicles), epochs: Number(values.epochs) },
  train: {
    algo: values.algo,
    seed: 1,
    rollouts,
    episodes: rollouts * (updates + 1),
    evalEvery: 1_000_000, // no evaluation: rollouts and updates only
    updatesPerEpisode: Number(values["updates-per-episode"]),
  },
};
const run = trainRunSchemaFor(raw, "bench").parse(raw);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Row {
  actors: number;
  lag: number;
  episodesPerMin: number;
  updateS: number;
  /** Median rollout phase of the measured updates (the learner waiting for its actors). */
  collectS: number;
  kbPerEpisode: number;
  sendMs: number;
  decodeMs: number;
  playS: number;
  load: string;
}

function startActor(url: string, name: string) {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "src/cli/main.ts", "actor", "--redis", url, "--run", name, "--json"],
    { stdio: ["ignore", "pipe", "ignore"] },
  );
  let out = "";
  child.stdout.on("data", (c) => {
    out += c;
  });
  return new Promise<ActorResult>((resolve, reject) =>
    child.once("exit", (code) =>
      code === 0 ? resolve(JSON.parse(out.trim())) : reject(new Error(`actor exit ${code}`)),
    ),
  );
}

async function measure(n: number, lag: number, url: string): Promise<Row> {
  const name = `bench-${n}-lag-${lag}`;
  const before = loadavg()[0];
  const actors = Array.from({ length: n }, () => startActor(url, name));
  const stamps: number[] = [];
  const phases: number[] = [];
  const learner = await runLearner({
    url,
    config: { ...run, train: { ...run.train, policyLag: lag } },
    out: join(tempDir("fleetrl-bench-"), name),
    settings: { run: name },
    hooks: {
      onEpisode: (row) => {
        stamps.push(performance.now());
        phases.push(row.rolloutSeconds as number);
      },
    },
    log: () => {},
  });
  const results = await Promise.all(actors);
  const spanS = (stamps[stamps.length - 1] - stamps[0]) / 1000;
  const episodes = rollouts * (stamps.length - 1);
  const played = results.reduce((s, r) => s + r.episodes, 0);
  const sum = (f: (r: ActorResult) => number) => results.reduce((s, r) => s + f(r), 0);
  const t = learner.transport;
  return {
    actors: n,
    lag,
    episodesPerMin: (episodes / spanS) * 60,
    updateS: spanS / (stamps.length - 1),
    collectS: median(phases.slice(1)),
    kbPerEpisode: t.bytes / t.accepted / 1024,
    sendMs: sum((r) => r.sendMs) / played,
    decodeMs: t.decodeMs / t.accepted,
    playS: sum((r) => r.playMs) / played / 1000,
    load: `${before.toFixed(1)}–${loadavg()[0].toFixed(1)}`,
  };
}

console.log(
  `dispatch (manhattan-peak rules): ${run.env.vehicles} vehicles × ${run.env.epochs} epochs; ${run.train.algo}, ` +
    `${rollouts} episodes per update, ${run.train.updatesPerEpisode} minibatch updates each, ` +
    `${updates} measured updates after a warm-up one; ` +
    `node ${process.version}, ${cpus().length} cores`,
);
const server = await startRedis();
const rows: Row[] = [];
try {
  for (const lag of values["policy-lag"].split(",").map(Number))
    for (const n of values.actors.split(",").map(Number))
      rows.push(await measure(n, lag, server.url));
} finally {
  await server.stop();
}
console.log(
  "\n| policy lag | actors | episodes/min | s per update | rollout phase s | play s/episode | KB/episode | actor send ms | learner decode ms | load (1 min) |",
);
console.log("|---|---|---|---|---|---|---|---|---|---|");
for (const r of rows)
  console.log(
    `| ${r.lag} | ${r.actors} | ${r.episodesPerMin.toFixed(1)} | ${r.updateS.toFixed(2)} | ${r.collectS.toFixed(2)} | ${r.playS.toFixed(2)} | ${r.kbPerEpisode.toFixed(0)} | ${r.sendMs.toFixed(1)} | ${r.decodeMs.toFixed(1)} | ${r.load} |`,
  );
