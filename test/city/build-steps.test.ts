/** The pure steps of the data build: time repair, hour-offset search, and the row cache. */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  hourOffsetCorrelations,
  pearson,
  rawColumnForLocalHour,
} from "../../src/city/hour-offset.ts";
import {
  FALLBACK_SPEED_MPS,
  median,
  repairDayTimes,
  SPEED_CAP_MPS,
} from "../../src/city/repair.ts";
import { RowCache } from "../../src/city/row-cache.ts";

test("repair: zeros and too-fast times take the edge's median valid time", () => {
  // 3 hours × 2 edges of 100 m; the cap allows >= 4 s.
  const t = Float32Array.of(0, 20, 30, 3, 40, 24);
  const stats = repairDayTimes(t, Float32Array.of(100, 100), 3);
  assert.deepEqual([...t], [35, 20, 30, 22, 40, 24]);
  assert.deepEqual(stats, { zero: 1, tooFast: 1, byEdgeMedian: 2, byFallbackSpeed: 0 });
});

test("repair: an edge with no valid time falls back to length / fallback speed", () => {
  const len = 260;
  const t = Float32Array.of(0, 1, 2); // 1 edge, 3 hours: 0, 260 m/s, 130 m/s
  const stats = repairDayTimes(t, Float32Array.of(len), 3);
  for (const x of t) assert.ok(Math.abs(x - len / FALLBACK_SPEED_MPS) < 1e-5);
  assert.equal(stats.byFallbackSpeed, 3);
  assert.ok(len / t[0] < SPEED_CAP_MPS);
});

test("repair: valid times, including slow outliers, are kept", () => {
  const t = Float32Array.of(10, 500, 4);
  repairDayTimes(t, Float32Array.of(100), 3);
  assert.deepEqual([...t], [10, 500, 4]);
});

test("median of odd and even counts", () => {
  assert.equal(median(Float64Array.of(5, 1, 3)), 3);
  assert.equal(median(Float64Array.of(3, 1, 2, 10)), 2.5);
  assert.ok(Number.isNaN(median(new Float64Array(0))));
});

test("hour offset: a profile shifted by k is recovered, with r = 1 at k", () => {
  const network = Array.from(
    { length: 24 },
    (_, c) => 150 + 100 * Math.sin((2 * Math.PI * c) / 24) + (c % 5),
  );
  for (const k of [0, 6, 19]) {
    const observed = Array.from(
      { length: 24 },
      (_, h) => 0.8 * network[rawColumnForLocalHour(h, k)],
    );
    const { best, correlations } = hourOffsetCorrelations(observed, network);
    assert.equal(best, k);
    assert.ok(Math.abs(correlations[k] - 1) < 1e-12);
  }
  assert.equal(rawColumnForLocalHour(3, 6), 21);
  assert.equal(rawColumnForLocalHour(8, 6), 2);
  assert.ok(Math.abs(pearson([1, 2, 3], [3, 2, 1]) + 1) < 1e-12);
});

test("row cache keeps recently used rows and evicts the others (CLOCK)", () => {
  const c = new RowCache<string>(10, 2);
  c.set(1, "a");
  c.set(2, "b");
  assert.equal(c.get(1), "a");
  c.set(3, "c");
  assert.equal(c.get(2), undefined);
  assert.equal(c.get(1), "a");
  assert.equal(c.get(3), "c");
  assert.equal(c.count, 2);
  c.clear();
  assert.equal(c.get(1), undefined);
  assert.equal(c.count, 0);
});
