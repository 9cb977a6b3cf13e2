import assert from "node:assert/strict";
import { test } from "node:test";
import { Rng } from "../../src/core/rng.ts";

test("same seed gives the same stream; different seeds differ", () => {
  const a = new Rng(7);
  const b = new Rng(7);
  const c = new Rng(8);
  const xa = Array.from({ length: 20 }, () => a.nextU32());
  const xb = Array.from({ length: 20 }, () => b.nextU32());
  const xc = Array.from({ length: 20 }, () => c.nextU32());
  assert.deepEqual(xa, xb);
  assert.notDeepEqual(xa, xc);
});

test("the stream is the same on every machine (pinned values)", () => {
  const r = new Rng(42);
  // Pinned once: a change here breaks every recorded result, so it must be deliberate.
  assert.deepEqual(
    Array.from({ length: 4 }, () => r.nextU32()),
    PINNED_42,
  );
});

test("split streams depend on name and parent key, not on parent position", () => {
  const root = new Rng(1);
  const d1 = root.split("demand").nextU32();
  root.nextU32();
  root.nextU32();
  const d2 = root.split("demand").nextU32();
  assert.equal(d1, d2);
  assert.notEqual(root.split("demand").nextU32(), root.split("fleet").nextU32());
  assert.notEqual(new Rng(2).split("demand").nextU32(), d1);
});

test("uniform is in [0,1) with a plausible mean; int covers its range", () => {
  const r = new Rng(3);
  let sum = 0;
  const counts = new Array(5).fill(0);
  for (let i = 0; i < 20000; i++) {
    const u = r.uniform();
    assert.ok(u >= 0 && u < 1);
    sum += u;
    counts[r.int(5)]++;
  }
  assert.ok(Math.abs(sum / 20000 - 0.5) < 0.01);
  for (const c of counts) assert.ok(c > 3600 && c < 4400);
});

test("state round-trips for checkpoints", () => {
  const r = new Rng(9);
  r.nextU32();
  const s = r.getState();
  const expected = [r.nextU32(), r.nextU32()];
  const q = new Rng(0);
  q.setState(s);
  assert.deepEqual([q.nextU32(), q.nextU32()], expected);
  assert.throws(() => q.setState([1, 2, 3]), /four 32-bit/);
});

test("weightedIndex follows the weights", () => {
  const r = new Rng(11);
  const counts = [0, 0, 0];
  for (let i = 0; i < 10000; i++) counts[r.weightedIndex([1, 0, 3])]++;
  assert.equal(counts[1], 0);
  assert.ok(Math.abs(counts[2] / 10000 - 0.75) < 0.02);
});

const PINNED_42 = [2837322924, 544945897, 479756282, 3500138142];
