/**
 * Parallel rollouts: an update's episodes played by worker threads give the same run, byte for
 * byte, as the same episodes played by the learner itself — results depend on the seed and
 * `rollouts`, never on `workers`.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { trainRunSchemaFor } from "../../src/experiments/run-config.ts";
import { resume, train } from "../../src/experiments/train.ts";
import { readRows } from "../../src/training/train-log.ts";
import { tempDir } from "../cli/run-cli.ts";

const run = (algo: string, rollouts: number, episodes = 6) => {
  const raw = {
    environment: "tiny",
    env: { episodeSteps: 6 },
    train: {
      algo,
      seed: 7,
      episodes,
      rollouts,
      evalEvery: 4,
      lr: 3e-3,
      batchSize: 16,
      updatesPerEpisode: 3,
      policyHidden: [16, 16],
      criticHidden: [16, 16],
    },
  };
  return trainRunSchemaFor(raw, "test").parse(raw);
};

/** What a run leaves that must not depend on who played: weights, logs without clock fields. */
function fingerprint(dir: string) {
  const timeless = (rows: Record<string, unknown>[]) =>
    rows.map((r) =>
      Object.fromEntries(Object.entries(r).filter(([k]) => !/(Seconds|PerSecond)$/.test(k))),
    );
  return {
    checkpoint: readFileSync(join(dir, "checkpoint.safetensors")).toString("hex"),
    best: readFileSync(join(dir, "best.safetensors")).toString("hex"),
    train: timeless(readRows(join(dir, "train.jsonl"))),
    eval: timeless(readRows(join(dir, "eval.jsonl"))),
  };
}

for (const algo of ["ospo", "mappo"]) {
  test(`${algo}: --rollouts 3 with 1 and 2 workers give identical weights and logs`, async () => {
    const one = join(tempDir(), "one");
    const two = join(tempDir(), "two");
    await train(run(algo, 3), one, {}, { workers: 1 });
    await train(run(algo, 3), two, {}, { workers: 2 });
    const a = fingerprint(one);
    assert.deepEqual(fingerprint(two), a);
    // 6 episodes in updates of 3: two rows, after episodes 3 and 6; evaluations of the
    // untrained policy (episode 0) and when 4 is passed
    assert.deepEqual(
      a.train.map((r) => r.episode),
      [3, 6],
    );
    assert.deepEqual(
      a.eval.map((r) => r.episode),
      [0, 6],
    );
  });
}

test("rollouts change the run (more episodes per update), workers do not", async () => {
  const k1 = join(tempDir(), "k1");
  const k2 = join(tempDir(), "k2");
  await train(run("grpo", 1, 4), k1, {}, {});
  await train(run("grpo", 2, 4), k2, {}, { workers: 2 });
  const a = readRows(join(k1, "train.jsonl"));
  const b = readRows(join(k2, "train.jsonl"));
  assert.equal(a.length, 4);
  assert.equal(b.length, 2);
  // the first update of k2 averages the episodes 0 and 1 that k1 played one by one (same seeds,
  // same initial weights, so the first episode is the same; the second differs by k1's update)
  assert.equal(b[0].envSeed, a[0].envSeed);
  assert.notEqual(
    readFileSync(join(k1, "checkpoint.safetensors")).toString("hex"),
    readFileSync(join(k2, "checkpoint.safetensors")).toString("hex"),
  );
});

test("a run trained on workers resumes (on another number of workers) to the same result", async () => {
  const straight = join(tempDir(), "straight");
  await train(run("ospo", 2, 8), straight, {}, { workers: 2 });
  const split = join(tempDir(), "split");
  const first = run("ospo", 2, 8);
  first.train.episodes = 4;
  await train(first, split, {}, { workers: 2 });
  await resume(split, 8, {}, { workers: 1 });
  const a = fingerprint(straight);
  const b = fingerprint(split);
  assert.deepEqual(b.train, a.train);
  assert.deepEqual(b.eval, a.eval);
  // the checkpoints differ only in the stored total (4 → 8 is written by resume): compare weights
  assert.equal(b.best, a.best);
});
