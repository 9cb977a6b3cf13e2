/**
 * SAPO swarm nodes on a real server: a node alone is `train --rollouts I`, byte for byte; a
 * node's update is its I episodes then the newest ≤ J other nodes published since it last
 * looked (never its own, never twice, never from before it joined, never of another shape);
 * a node of another environment is refused; two nodes training at once learn from each other.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { Rng } from "../../src/core/rng.ts";
import { encodeExperience } from "../../src/distributed/codec.ts";
import { Redis } from "../../src/distributed/connection.ts";
import { append } from "../../src/distributed/streams.ts";
import { SwarmPool, swarmKeys } from "../../src/distributed/swarm.ts";
import { runSwarmNode } from "../../src/distributed/swarm-node.ts";
import { runPlayer } from "../../src/experiments/rollout-pool.ts";
import { trainRunSchemaFor } from "../../src/experiments/run-config.ts";
import { train } from "../../src/experiments/train.ts";
import type { RolloutJob } from "../../src/training/rollout.ts";
import { tempDir } from "../cli/run-cli.ts";
import { fingerprint, fleetrl, killAll, TINY_RUN } from "./processes.ts";
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
  killAll();
  redis?.close();
  await server?.stop();
});

const tiny = (seed: number, env: Record<string, unknown> = { episodeSteps: 4 }) => {
  const raw = {
    environment: "tiny",
    env,
    train: { algo: "ospo", seed, episodes: 6, rollouts: 2, evalEvery: 2 },
  };
  return trainRunSchemaFor(raw, "test").parse(raw);
};
const job = (episode: number): RolloutJob => ({
  episode,
  seed: 500 + episode,
  epsilon: 0.3,
  exploration: new Rng(episode).getState(),
});
const log = () => {};

test("a node alone learns exactly as train --rollouts I", { skip }, async () => {
  const dir = tempDir("fleetrl-swarm-");
  await train(tiny(4), join(dir, "train"));
  const r = await runSwarmNode({
    url: server.url,
    config: tiny(4),
    out: join(dir, "alone"),
    settings: { swarm: "solo", node: "n1" },
    log,
  });
  assert.deepEqual(r.sharing, { local: 6, shared: 0, skipped: 0 });
  assert.deepEqual(fingerprint(join(dir, "alone")), fingerprint(join(dir, "train")));
});

test("an update: own episodes, then the newest J of other nodes' since the last look", {
  skip,
}, async () => {
  const keys = swarmKeys("picked");
  const other = await runPlayer(tiny(9));
  const publish = (episode: number, node: string) =>
    append(
      redis,
      keys.rollouts,
      100,
      {
        data: encodeExperience({
          episode,
          version: 0,
          actor: node,
          played: other.play(job(episode)),
        }),
      },
      true,
    );
  await publish(90, "before"); // published before the node joined: not used
  const pool = await SwarmPool.start(redis, keys, tiny(1), {
    node: "me",
    shared: 2,
    cap: 100,
    log,
  });
  await publish(1, "a");
  await publish(2, "b");
  await publish(3, "a");
  const wide = await runPlayer(tiny(9, { episodeSteps: 4, numVehicles: 5 }));
  await append(
    redis,
    keys.rollouts,
    100,
    { data: encodeExperience({ episode: 4, version: 0, actor: "c", played: wide.play(job(4)) }) },
    true,
  );
  const weights = { policy: other.player.policy.params.slice(), critic: null };
  const here = (j: RolloutJob) => other.play(j); // the node's trainer plays its own episodes
  const first = await pool.collect([{ jobs: [job(10), job(11)], version: 10, weights }], here);
  // 2 own (played here, in job order), then b's 2 and a's 3 (the newest two that fit, oldest first)
  assert.equal(first.length, 4);
  assert.deepEqual(first[0].totals, other.play(job(10)).totals);
  assert.deepEqual(first[1].totals, other.play(job(11)).totals);
  assert.deepEqual(first[2].totals, other.play(job(2)).totals);
  assert.deepEqual(first[3].totals, other.play(job(3)).totals);
  assert.deepEqual(pool.counters, { local: 2, shared: 2, skipped: 1 });
  // next update: nothing new from others (its own two published episodes are not shared back)
  const second = await pool.collect([{ jobs: [job(12), job(13)], version: 12, weights }], here);
  assert.equal(second.length, 2);
  await assert.rejects(
    SwarmPool.start(redis, keys, tiny(1, { episodeSteps: 5 }), {
      node: "x",
      shared: 2,
      cap: 100,
      log,
    }),
    /swarm picked plays another environment/,
  );
});

test("CLI: two nodes training at once; the shorter one learns from the other's episodes", {
  skip,
}, async () => {
  const dir = tempDir("fleetrl-swarm-");
  const node = (name: string, episodes: number) =>
    fleetrl([
      "swarm",
      "--redis",
      server.url,
      "--swarm",
      "pair",
      "--node",
      name,
      ...TINY_RUN,
      "--episodes",
      String(episodes),
      "--out",
      join(dir, name),
    ]);
  // the long node trains before and while the short one does, then leaves
  const long = node("long", 100_000);
  await long.waitFor(/episodes [1-9]/);
  const short = node("short", 6);
  assert.equal(await short.exited, 0, short.output());
  long.child.kill("SIGINT"); // a node leaves when it likes: Ctrl-C stops it after a checkpoint
  assert.equal(await long.exited, 130, long.output());
  const shared = Number(/learned from 6 own and (\d+) shared/.exec(short.stdout())?.[1]);
  assert.ok(shared > 0, `${short.stdout()}\n${long.output().slice(-3000)}`);
  assert.match(long.stdout(), /learned from \d+ own and \d+ shared/);
});
