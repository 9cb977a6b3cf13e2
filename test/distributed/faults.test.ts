/**
 * Faults against a real server, each ending in the run an uninterrupted `train` gives:
 * an actor killed mid-episode (its episode goes to another actor after the claim timeout), the
 * learner killed (resumed, its actors waiting meanwhile; also with a policy lag, episodes played
 * ahead in the stream), every connection dropped by the server
 * (reconnect), and the server gone for good (a clear error after --redis-timeout, the checkpoint
 * intact: a new server and `--resume` finish the run).
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { runActor } from "../../src/distributed/actor.ts";
import { RedisLostError } from "../../src/distributed/connection.ts";
import { trainRunSchemaFor } from "../../src/experiments/run-config.ts";
import { train } from "../../src/experiments/train.ts";
import { tempDir } from "../cli/run-cli.ts";
import { fingerprint, fleetrl, killAll, TINY_RUN } from "./processes.ts";
import { type RedisServer, SKIP_REDIS, startRedis } from "./redis-server.ts";

const skip = SKIP_REDIS;
const dir = tempDir("fleetrl-faults-");
/** An actor in this process (the test waits for it; it is not the one killed). */
const actorHere = (url: string, run: string) => runActor({ url, run, log: () => {} });

/** Episodes long enough to be caught in the middle (~0.3–1 s each on this machine). */
const config = join(dir, "long-episodes.json");
writeFileSync(config, JSON.stringify({ env: { episodeSteps: 200 } }));
const RUN = [...TINY_RUN, "--config", config];
let expected: ReturnType<typeof fingerprint>;

let redis: RedisServer;
before(async () => {
  if (skip) return;
  redis = await startRedis();
  // what `fleetrl train ...RUN` runs (TINY_RUN's flags, the config file's env)
  const raw = {
    environment: "tiny",
    env: { episodeSteps: 200 },
    train: { algo: "ospo", episodes: 6, rollouts: 2, seed: 3, evalEvery: 2, epsilonDecay: "auto" },
  };
  await train(trainRunSchemaFor(raw, "test").parse(raw), join(dir, "train"));
  expected = fingerprint(join(dir, "train"));
});
after(async () => {
  killAll();
  await redis?.stop();
});

const rows = (runDir: string) => {
  const path = join(runDir, "train.jsonl");
  return existsSync(path)
    ? readFileSync(path, "utf8").trim().split("\n").filter(Boolean).length
    : 0;
};
const until = async (check: () => boolean, timeoutMs = 60_000) => {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > timeoutMs) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
};

test("an actor killed mid-episode: another actor takes its episode after the claim timeout", {
  skip,
}, async () => {
  const out = join(dir, "actor-killed");
  const learner = fleetrl([
    "learner",
    "--redis",
    redis.url,
    ...RUN,
    "--run",
    "killed-actor",
    "--claim-timeout",
    "1",
    "--out",
    out,
  ]);
  const doomed = fleetrl(["actor", "--redis", redis.url, "--run", "killed-actor"]);
  await doomed.waitFor(/playing episode 1\b/);
  doomed.child.kill("SIGKILL");
  assert.equal(await doomed.exited, "SIGKILL");
  const rescuer = actorHere(redis.url, "killed-actor");
  assert.equal(await learner.exited, 0, learner.output());
  assert.equal((await rescuer).reclaimed, 1, "the killed actor's episode was taken over");
  assert.deepEqual(fingerprint(out), expected);
});

test("the learner killed: actors keep waiting, learner --resume finishes the same run", {
  skip,
}, async () => {
  const out = join(dir, "learner-killed");
  const first = fleetrl([
    "learner",
    "--redis",
    redis.url,
    ...RUN,
    "--run",
    "killed-learner",
    "--out",
    out,
  ]);
  let finished = 0;
  const actors = [1, 2].map(() =>
    actorHere(redis.url, "killed-learner").then((r) => {
      finished++;
      return r;
    }),
  );
  await until(() => existsSync(join(out, "checkpoint.safetensors")));
  first.child.kill("SIGKILL");
  assert.equal(await first.exited, "SIGKILL");
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(finished, 0, "actors wait for the learner");
  const second = fleetrl(["learner", "--redis", redis.url, "--resume", out]);
  assert.equal(await second.exited, 0, second.output());
  const played = (await Promise.all(actors)).reduce((n, r) => n + r.episodes, 0);
  assert.ok(played >= 6, `every episode played (some twice across the restart): ${played}`);
  assert.deepEqual(fingerprint(out), expected);
});

test("a policy lag of 1, the learner killed with episodes played ahead: --resume finishes the run train --policy-lag 1 gives", {
  skip,
}, async () => {
  const raw = {
    environment: "tiny",
    env: { episodeSteps: 200 },
    train: {
      algo: "ospo",
      episodes: 6,
      rollouts: 2,
      seed: 3,
      evalEvery: 2,
      epsilonDecay: "auto",
      policyLag: 1,
    },
  };
  await train(trainRunSchemaFor(raw, "test").parse(raw), join(dir, "train-lag"));
  const out = join(dir, "learner-killed-lag");
  const args = [...RUN, "--policy-lag", "1", "--run", "killed-lag", "--out", out];
  const first = fleetrl(["learner", "--redis", redis.url, ...args]);
  const actors = [1, 2].map(() => actorHere(redis.url, "killed-lag"));
  await until(() => existsSync(join(out, "checkpoint.safetensors")));
  first.child.kill("SIGKILL");
  assert.equal(await first.exited, "SIGKILL");
  const second = fleetrl(["learner", "--redis", redis.url, "--resume", out]);
  assert.equal(await second.exited, 0, second.output());
  await Promise.all(actors);
  assert.deepEqual(fingerprint(out), fingerprint(join(dir, "train-lag")));
});

test("the learner killed before its first checkpoint: the same command takes the run back", {
  skip,
}, async () => {
  const out = join(dir, "early");
  const args = ["learner", "--redis", redis.url, ...RUN, "--run", "early", "--out", out];
  const first = fleetrl(args);
  await first.waitFor(/learner: run early on/); // published; no actor yet, so no checkpoint
  first.child.kill("SIGKILL");
  assert.equal(await first.exited, "SIGKILL");
  assert.equal(existsSync(join(out, "checkpoint.safetensors")), false);
  const again = fleetrl(args);
  const actor = actorHere(redis.url, "early");
  assert.equal(await again.exited, 0, again.output());
  assert.equal((await actor).run, "early");
  assert.deepEqual(fingerprint(out), expected);
});

test("every connection dropped by the server mid-run: learner and actors reconnect and finish", {
  skip,
}, async () => {
  const out = join(dir, "dropped");
  const learner = fleetrl([
    "learner",
    "--redis",
    redis.url,
    ...RUN,
    "--run",
    "dropped",
    "--out",
    out,
  ]);
  const actor = fleetrl(["actor", "--redis", redis.url, "--run", "dropped"]);
  await until(() => rows(out) >= 1);
  assert.match(redis.cli("CLIENT", "KILL", "TYPE", "normal"), /^[1-9]/, "clients were dropped");
  assert.equal(await learner.exited, 0, learner.output());
  assert.equal(await actor.exited, 0, actor.output());
  assert.match(learner.output(), /connection lost .*reconnecting/);
  assert.match(learner.output(), /connected again/);
  assert.deepEqual(fingerprint(out), expected);
});

test("the server gone mid-run: a clear error after --redis-timeout, the checkpoint intact", {
  skip,
}, async () => {
  const doomed = await startRedis();
  const out = join(dir, "server-gone");
  const learner = fleetrl([
    "learner",
    "--redis",
    doomed.url,
    ...RUN,
    "--run",
    "gone",
    "--redis-timeout",
    "2",
    "--out",
    out,
  ]);
  const actor = actorHere(doomed.url, "gone").catch((e) => e);
  await until(() => rows(out) >= 1);
  await doomed.stop();
  const t0 = Date.now();
  assert.equal(await learner.exited, 2, learner.output());
  assert.ok(Date.now() - t0 < 15_000, "gives up in bounded time");
  assert.match(
    learner.output(),
    new RegExp(`lost the connection to Redis at ${doomed.url} for 2 s`),
  );
  assert.match(
    learner.output(),
    /the last checkpoint in .* is intact: continue with fleetrl learner --redis URL --resume/,
  );
  assert.doesNotMatch(learner.output(), /\n\s+at /, "no stack trace");
  const lost = await actor;
  assert.ok(lost instanceof RedisLostError, String(lost)); // the CLI: exit 2, this message
  // a new server: the resumed learner and a new actor finish the run as if nothing happened
  const resumed = fleetrl(["learner", "--redis", redis.url, "--resume", out]);
  const rescuer = actorHere(redis.url, "gone");
  assert.equal(await resumed.exited, 0, resumed.output());
  assert.equal((await rescuer).run, "gone");
  assert.deepEqual(fingerprint(out), expected);
});
