/**
 * The learner with actors gives the run `train --rollouts K` gives: the same checkpoint bytes
 * and the same logs (clock fields aside), whoever played which episode — through the CLI with
 * two actor processes, in one process for an algorithm with a critic (MAPPO), and on another
 * environment (mapf: grid windows instead of candidate pairs travel through the codec).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { runActor } from "../../src/distributed/actor.ts";
import { runLearner } from "../../src/distributed/learner.ts";
import { trainRunSchemaFor } from "../../src/experiments/run-config.ts";
import { train } from "../../src/experiments/train.ts";
import { tempDir } from "../cli/run-cli.ts";
import { fingerprint, fleetrl, killAll, TINY_RUN } from "./processes.ts";
import { type RedisServer, SKIP_REDIS, startRedis } from "./redis-server.ts";

let redis: RedisServer;
before(async () => {
  if (!SKIP_REDIS) redis = await startRedis();
});
after(async () => {
  killAll();
  await redis?.stop();
});

test("CLI: learner + 2 actors = train --rollouts 2, byte for byte", {
  skip: SKIP_REDIS,
}, async () => {
  const dir = tempDir("fleetrl-dist-");
  const trained = fleetrl(["train", ...TINY_RUN, "--out", join(dir, "train")]);
  // actors first: an actor started after a run ended rightly waits for the next learner
  const actors = [
    fleetrl(["actor", "--redis", redis.url]),
    fleetrl(["actor", "--redis", redis.url]),
  ];
  for (const a of actors) await a.waitFor(/waiting for a learner/);
  const learner = fleetrl([
    "learner",
    "--redis",
    redis.url,
    ...TINY_RUN,
    "--out",
    join(dir, "learner"),
  ]);
  assert.equal(await learner.exited, 0, learner.output());
  for (const a of actors) assert.equal(await a.exited, 0, a.output()); // the run is done: they exit
  assert.equal(await trained.exited, 0, trained.output());
  assert.deepEqual(fingerprint(join(dir, "learner")), fingerprint(join(dir, "train")));
  const played = actors.map((a) => Number(/(\d+) episodes of run/.exec(a.stdout())?.[1]));
  assert.equal(played[0] + played[1], 6, "every episode played once");
  assert.match(learner.stdout(), /actors: 6 episodes received/);
  // the run's streams and weights are gone; its status says done
  assert.deepEqual(redis.cli("KEYS", "fleetrl:run:learner:*").split("\n").sort(), [
    "fleetrl:run:learner:config",
    "fleetrl:run:learner:status",
  ]);
  assert.equal(redis.cli("GET", "fleetrl:run:learner:status"), "done");
});

test("in one process, MAPPO (critic weights travel too): learner + 2 actors = train", {
  skip: SKIP_REDIS,
}, async () => {
  const raw = {
    environment: "tiny",
    env: { episodeSteps: 6 },
    train: { algo: "mappo", seed: 5, episodes: 6, rollouts: 3, evalEvery: 3, lr: 3e-3 },
  };
  const config = trainRunSchemaFor(raw, "test").parse(raw);
  const dir = tempDir("fleetrl-dist-");
  await train(config, join(dir, "train"));
  const log = () => {};
  const [result] = await Promise.all([
    runLearner({ url: redis.url, config, out: join(dir, "mappo"), settings: {}, log }),
    runActor({ url: redis.url, run: "mappo", log }),
    runActor({ url: redis.url, run: "mappo", log }),
  ]);
  assert.equal(result.transport.accepted, 6);
  assert.deepEqual(fingerprint(join(dir, "mappo")), fingerprint(join(dir, "train")));
});

test("a policy lag of 2 (actors play ahead while the learner updates): learner + 2 actors = train --policy-lag 2", {
  skip: SKIP_REDIS,
}, async () => {
  const raw = {
    environment: "tiny",
    env: { episodeSteps: 6 },
    train: {
      algo: "mappo",
      seed: 5,
      episodes: 8,
      rollouts: 2,
      policyLag: 2,
      evalEvery: 4,
      lr: 3e-3,
    },
  };
  const config = trainRunSchemaFor(raw, "test").parse(raw);
  const dir = tempDir("fleetrl-dist-");
  await train(config, join(dir, "train"));
  const log = () => {};
  const [result] = await Promise.all([
    runLearner({ url: redis.url, config, out: join(dir, "lagged"), settings: {}, log }),
    runActor({ url: redis.url, run: "lagged", log }),
    runActor({ url: redis.url, run: "lagged", log }),
  ]);
  assert.equal(result.transport.accepted, 8);
  assert.deepEqual(fingerprint(join(dir, "lagged")), fingerprint(join(dir, "train")));
  // and with 2 worker threads in one process: the same run again
  await train(config, join(dir, "workers"), {}, { workers: 2 });
  assert.deepEqual(fingerprint(join(dir, "workers")), fingerprint(join(dir, "train")));
});

test("in one process, on mapf (GRPO): learner + 2 actors = train", {
  skip: SKIP_REDIS,
}, async () => {
  const raw = {
    environment: "mapf",
    env: { width: 8, height: 8, agents: 6, steps: 8, window: 3 },
    train: { algo: "grpo", seed: 3, episodes: 4, rollouts: 2, evalEvery: 2, evalSeeds: [7] },
  };
  const config = trainRunSchemaFor(raw, "test").parse(raw);
  const dir = tempDir("fleetrl-dist-");
  await train(config, join(dir, "train"));
  const log = () => {};
  const [result] = await Promise.all([
    runLearner({ url: redis.url, config, out: join(dir, "mapf"), settings: {}, log }),
    runActor({ url: redis.url, run: "mapf", log }),
    runActor({ url: redis.url, run: "mapf", log }),
  ]);
  assert.equal(result.transport.accepted, 4);
  assert.deepEqual(fingerprint(join(dir, "mapf")), fingerprint(join(dir, "train")));
});

test("an actor waiting for a learner joins its run even if the run starts and ends between two polls", {
  skip: SKIP_REDIS,
  timeout: 60_000, // without the run-start log the waiting actor would wait forever
}, async () => {
  const raw = {
    environment: "tiny",
    env: { episodeSteps: 4 },
    train: { algo: "grpo", seed: 2, episodes: 2, rollouts: 2, evalEvery: 2 },
  };
  const config = trainRunSchemaFor(raw, "test").parse(raw);
  const dir = tempDir("fleetrl-dist-");
  let waiting!: () => void;
  const isWaiting = new Promise<void>((resolve) => {
    waiting = resolve;
  });
  const late = runActor({
    url: redis.url,
    pollMs: 10_000, // its next look comes after the short run below has ended
    log: (m) => {
      if (/waiting for a learner/.test(m)) waiting();
    },
  });
  await isWaiting;
  // a whole run, played by a named actor, between two of the waiting actor's polls
  const [result, named] = await Promise.all([
    runLearner({ url: redis.url, config, out: join(dir, "short"), settings: {}, log: () => {} }),
    runActor({ url: redis.url, run: "short", log: () => {} }),
  ]);
  const waited = await late; // it finds the run done, and ends
  assert.equal(waited.run, "short");
  assert.equal(named.episodes, 2);
  assert.equal(waited.episodes, 0);
  assert.equal(result.transport.accepted, 2);
});
