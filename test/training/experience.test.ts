import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { PASS } from "../../src/core/env.ts";
import { EpisodeBuffer } from "../../src/training/experience.ts";

/** A decision of `agent` with K candidates whose features are agent·10 + k (pairDim 1). */
const decision = (step: number, agent: number, k: number, action: number) => ({
  step,
  agent,
  time: step * 1.5,
  action,
  logProb: -agent,
  value: agent / 10,
  candidates: Float32Array.from({ length: k }, (_, j) => agent * 10 + j),
  criticInput: Float32Array.of(agent, step),
});

describe("EpisodeBuffer", () => {
  test("settle keeps the decisions that took effect, compacts the CSR rows, stores rewards", () => {
    const b = new EpisodeBuffer(4, 1, 2);
    b.add(decision(0, 1, 2, 1)); // step 0
    b.settle(0, Int32Array.of(PASS, 1, PASS, PASS), Float32Array.of(0, 5, 0, 0));
    const first = b.size; // step 1
    b.add(decision(1, 0, 3, 2));
    b.add(decision(1, 2, 1, 0)); // loses its conflict: effective PASS
    b.add(decision(1, 3, 2, 0));
    b.settle(first, Int32Array.of(2, PASS, PASS, 0), Float32Array.of(7, 0, 9, 8));
    b.finish({ time: 3, value: new Float32Array(4), terminated: new Uint8Array(4).fill(1) });
    const log = b.log();
    assert.deepEqual([...log.agent], [1, 0, 3]);
    assert.deepEqual([...log.step], [0, 1, 1]);
    assert.deepEqual([...log.reward], [5, 7, 8]);
    assert.deepEqual([...log.time], [0, 1.5, 1.5]);
    assert.deepEqual([...b.candidates(0)], [10, 11]);
    assert.deepEqual([...b.candidates(1)], [0, 1, 2]);
    assert.deepEqual([...b.candidates(2)], [30, 31]);
    assert.deepEqual([b.candidateCount(2), b.action(2), b.behaviourLogProb(2)], [2, 0, -3]);
    assert.deepEqual([...b.criticInput(2)], [3, 1]);
    assert.ok(Math.abs(b.value(2) - 0.3) < 1e-7);
  });

  test("post-decision rows: the prefix then the agent's own features, kept through settle and records", () => {
    // 3 agents, post-decision features of width 2, prefix (a global state) of width 1
    const b = new EpisodeBuffer(3, 1, 2, [], 3);
    const post = { features: Float32Array.of(0, 1, 10, 11, 20, 21), prefix: Float32Array.of(-1) };
    b.add(decision(0, 0, 2, 0)); // loses its conflict: dropped with its row
    b.add(decision(0, 2, 1, 0));
    b.settle(0, Int32Array.of(PASS, PASS, 0), Float32Array.of(0, 0, 4), undefined, post);
    assert.equal(b.size, 1);
    assert.deepEqual([...b.postInput(0)], [-1, 20, 21]);
    assert.throws(
      () => b.settle(0, Int32Array.of(PASS, PASS, 0), new Float32Array(3)),
      /post-decision/,
    );
    b.finish({ time: 1, value: new Float32Array(3), terminated: new Uint8Array(3) });
    const record = b.toRecord();
    assert.deepEqual([record.postDim, [...record.post!]], [3, [-1, 20, 21]]);
    const again = new EpisodeBuffer(3, 1, 2, [], 3);
    again.append(record);
    again.append(record);
    assert.deepEqual([...again.postInput(1)], [-1, 20, 21]);
    const { post: _, ...without } = record;
    assert.throws(() => again.append(without), /carries no post-decision rows/);
  });

  test("grows past its initial capacity and clears for the next episode", () => {
    const b = new EpisodeBuffer(2, 3);
    for (let s = 0; s < 500; s++) {
      const from = b.size;
      b.add({
        ...decision(s, s % 2, 40, 39),
        candidates: new Float32Array(120).fill(s),
        criticInput: new Float32Array(0),
      });
      b.settle(from, Int32Array.of(39, 39), Float32Array.of(s, s));
    }
    assert.equal(b.size, 500);
    assert.deepEqual([...b.candidates(499).subarray(0, 2)], [499, 499]);
    assert.throws(() => b.log(), /finish/);
    b.clear();
    assert.equal(b.size, 0);
  });

  test("rejects malformed decisions", () => {
    const b = new EpisodeBuffer(2, 2, 1);
    assert.throws(
      () => b.add({ ...decision(0, 0, 1, 0), criticInput: Float32Array.of(1) }),
      /K × 2/,
    );
    assert.throws(
      () =>
        b.add({
          ...decision(0, 0, 2, 5),
          candidates: new Float32Array(4),
          criticInput: Float32Array.of(1),
        }),
      /action 5/,
    );
  });
});
