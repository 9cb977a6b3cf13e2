/**
 * The learner's pool against a real server, with the test in the actors' place: what arrives
 * is judged (the weights the job named: used; a second copy or a finished episode: dropped;
 * other weights: dropped and the episode handed out again), results come back in job order,
 * episodes of the next update played ahead are kept for it, and streams stay bounded. Two runs
 * share one server under their own key prefixes.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { Rng } from "../../src/core/rng.ts";
import { runActor } from "../../src/distributed/actor.ts";
import { encodeExperience } from "../../src/distributed/codec.ts";
import { Redis } from "../../src/distributed/connection.ts";
import { runLearner } from "../../src/distributed/learner.ts";
import { RedisRolloutPool } from "../../src/distributed/redis-pool.ts";
import { ACTOR_GROUP, LEARNER_GROUP, runKeys } from "../../src/distributed/run-keys.ts";
import { append, ensureGroup, readGroup } from "../../src/distributed/streams.ts";
import { runPlayer } from "../../src/experiments/rollout-pool.ts";
import { trainRunSchemaFor } from "../../src/experiments/run-config.ts";
import type { RolloutJob } from "../../src/training/rollout.ts";
import { tempDir } from "../cli/run-cli.ts";
import { type RedisServer, SKIP_REDIS, startRedis } from "./redis-server.ts";

const skip = SKIP_REDIS;
let server: RedisServer;
let redis: Redis;
before(async () => {
  if (skip) return;
  server = await startRedis();
  redis = await Redis.connect(server.url, { lostAfterMs: 5000 });
});
after(async () => {
  redis?.close();
  await server?.stop();
});

const tiny = (seed: number, episodes = 4) => {
  const raw = {
    environment: "tiny",
    env: { episodeSteps: 4 },
    train: { algo: "ospo", seed, episodes, rollouts: 2, evalEvery: 2 },
  };
  return trainRunSchemaFor(raw, "test").parse(raw);
};
const job = (episode: number): RolloutJob => ({
  episode,
  seed: 1000 + episode,
  epsilon: 0.5,
  exploration: new Rng(episode).getState(),
});

test("stale and unwanted experience is dropped (stale: handed out again); results in job order", {
  skip,
}, async () => {
  const keys = runKeys("judged");
  await ensureGroup(redis, keys.jobs, ACTOR_GROUP);
  await ensureGroup(redis, keys.experience, LEARNER_GROUP);
  const player = await runPlayer(tiny(1));
  const messages: string[] = [];
  const pool = new RedisRolloutPool(redis, keys, {
    rollouts: 2,
    policyLag: 0,
    log: (m) => messages.push(m),
  });
  const send = (episode: number, version: number) =>
    append(redis, keys.experience, 100, {
      data: encodeExperience({
        episode,
        version,
        actor: "test",
        played: player.play(job(episode)),
      }),
    });
  // the update of episodes 2 and 3, weights at version 2 (2 episodes trained)
  await send(0, 0); // an episode of the previous update: unwanted
  await send(3, 0); // the right episode, weights one update too old: stale
  await send(3, 2);
  await send(3, 2); // a second copy (a slow actor's and its replacement's): unwanted
  const weights = { policy: player.player.policy.params.slice(), critic: null };
  const collecting = pool.collect([{ jobs: [job(2), job(3)], version: 2, weights }]);
  // the actors' view: the two jobs, then episode 3 once more (re-handed after the stale copy)
  const handed: number[] = [];
  while (handed.length < 3) {
    const entries = await readGroup(redis, keys.jobs, ACTOR_GROUP, "t", {
      count: 8,
      blockMs: 200,
      from: ">",
    });
    handed.push(...entries.map((e) => JSON.parse(String(e.fields.get("job"))).episode));
  }
  assert.deepEqual(handed, [2, 3, 3]);
  await send(2, 2);
  const played = await collecting;
  assert.deepEqual(
    played.map((p) => p.totals),
    [player.play(job(2)).totals, player.play(job(3)).totals],
  );
  assert.deepEqual(
    { ...pool.counters, bytes: 0, decodeMs: 0 },
    { accepted: 2, unwanted: 2, stale: 1, bytes: 0, decodeMs: 0 },
  );
  assert.ok(
    messages.some((m) =>
      /episode 4: .*weights of episode 0, not 2: dropped, handed out again/.test(m),
    ),
    messages.join("\n"),
  );
  // dropped entries are gone at once; used ones once the next update starts (after its checkpoint)
  assert.equal(await redis.call(["XLEN", keys.experience]), 2);
  await pool.acknowledge();
  assert.equal(await redis.call(["XLEN", keys.experience]), 0);
});

test("a policy lag: the next update's jobs are handed out at once; its episodes, played ahead, are kept for it", {
  skip,
}, async () => {
  const keys = runKeys("ahead");
  await ensureGroup(redis, keys.jobs, ACTOR_GROUP);
  await ensureGroup(redis, keys.experience, LEARNER_GROUP);
  const player = await runPlayer(tiny(1));
  const pool = new RedisRolloutPool(redis, keys, { rollouts: 2, policyLag: 1, log: () => {} });
  const send = (episode: number, version: number) =>
    append(redis, keys.experience, 100, {
      data: encodeExperience({ episode, version, actor: "t", played: player.play(job(episode)) }),
    });
  const handedOut = async (count: number) => {
    const out: [number, number][] = [];
    while (out.length < count) {
      const entries = await readGroup(redis, keys.jobs, ACTOR_GROUP, "t", {
        count: 8,
        blockMs: 200,
        from: ">",
      });
      for (const e of entries) {
        const j = JSON.parse(String(e.fields.get("job")));
        out.push([j.episode, j.version]);
      }
    }
    return out;
  };
  const versions = async () =>
    (await redis.call<Buffer[]>(["HKEYS", keys.weights])).map(Number).sort((a, b) => a - b);
  const weights = (v: number) => ({
    policy: player.player.policy.params.map((x) => x + v),
    critic: null,
  });
  const batch = (first: number, version: number) => ({
    jobs: [job(first), job(first + 1)],
    version,
    weights: weights(version),
  });
  // update 1 (episodes 0, 1) and, ahead, update 2 (2, 3): both with the initial weights
  const first = pool.collect([batch(0, 0), batch(2, 0)]);
  assert.deepEqual(await handedOut(4), [
    [0, 0],
    [1, 0],
    [2, 0],
    [3, 0],
  ]);
  await send(3, 0); // played ahead, before this update's episodes
  await send(2, 0);
  await send(2, 0); // a second copy of an early episode: unwanted
  await send(1, 0);
  await send(0, 0);
  assert.deepEqual(
    (await first).map((p) => p.totals),
    [player.play(job(0)).totals, player.play(job(1)).totals],
  );
  // update 2 is in already: it returns without a read; update 3 (weights of episode 2) goes out
  const second = await pool.collect([batch(2, 0), batch(4, 2)]);
  assert.deepEqual(
    second.map((p) => p.totals),
    [player.play(job(2)).totals, player.play(job(3)).totals],
  );
  assert.deepEqual(await handedOut(2), [
    [4, 2],
    [5, 2],
  ]);
  assert.deepEqual(await versions(), [0, 2]);
  assert.deepEqual(
    { ...pool.counters, bytes: 0, decodeMs: 0 },
    { accepted: 4, unwanted: 1, stale: 0, bytes: 0, decodeMs: 0 },
  );
  // update 3: once it is in, the initial weights leave the hash (no job names them any more)
  await send(4, 2);
  await send(5, 2);
  await pool.collect([batch(4, 2), batch(6, 4)]);
  assert.deepEqual(await versions(), [2, 4]);
});

test("appending trims a stream to about its cap (memory stays bounded)", { skip }, async () => {
  const key = "fleetrl:run:trim:experience";
  await ensureGroup(redis, key, LEARNER_GROUP);
  for (let i = 0; i < 1000; i++) await append(redis, key, 10, { data: Buffer.alloc(64, i) });
  // approximate trimming removes whole nodes of 100 entries
  const length = await redis.call<number>(["XLEN", key]);
  assert.ok(length <= 110, `XLEN ${length}`);
  // and never brings back a stream that is gone (an actor's late result after the run)
  await redis.call(["DEL", key]);
  assert.equal(await append(redis, key, 10, { data: "late" }), null);
  assert.equal(await redis.call(["EXISTS", key]), 0);
});

test("two runs on one server, each under its own prefix; an actor without --run must choose", {
  skip,
}, async () => {
  const dir = tempDir("fleetrl-shared-");
  const log = () => {};
  const a = runLearner({
    url: server.url,
    config: tiny(1),
    out: join(dir, "a"),
    settings: { run: "run-a" },
    log,
  });
  const b = runLearner({
    url: server.url,
    config: tiny(2),
    out: join(dir, "b"),
    settings: { run: "run-b" },
    log,
  });
  // wait until both are published
  for (let i = 0; (await redis.call<number>(["SCARD", "fleetrl:runs"])) < 2; i++) {
    assert.ok(i < 300, "both runs published");
    await new Promise((r) => setTimeout(r, 50));
  }
  await assert.rejects(
    runActor({ url: server.url, log }),
    /2 runs are in progress .*run-a, run-b.*--run NAME/,
  );
  const actors = [
    runActor({ url: server.url, run: "run-a", log }),
    runActor({ url: server.url, run: "run-b", log }),
  ];
  const [ra, rb] = await Promise.all([a, b]);
  const [xa, xb] = await Promise.all(actors);
  assert.equal(ra.transport.accepted, 4);
  assert.equal(rb.transport.accepted, 4);
  assert.equal(xa.episodes + xb.episodes, 8);
  assert.equal(xa.run, "run-a");
  const keys = server.cli("KEYS", "fleetrl:run:run-*").split("\n").sort();
  assert.deepEqual(keys, [
    "fleetrl:run:run-a:config",
    "fleetrl:run:run-a:status",
    "fleetrl:run:run-b:config",
    "fleetrl:run:run-b:status",
  ]);
  // a new run may not take a name in progress
  await redis.call(["SET", "fleetrl:run:busy:status", "running"]);
  await assert.rejects(
    runLearner({
      url: server.url,
      config: tiny(3),
      out: join(dir, "c"),
      settings: { run: "busy" },
      log,
    }),
    /run busy is in progress on .*--resume DIR, or choose another --run/,
  );
});
