import assert from "node:assert/strict";
import { test } from "node:test";
import { gini, mean, meanCi95, percentile, std, tCritical } from "../../src/core/stats.ts";

test("mean, std, percentile on worked examples", () => {
  assert.equal(mean([1, 2, 3]), 2);
  assert.equal(std([1, 3]), 1);
  assert.equal(percentile([4, 1, 3, 2], 50), 2.5);
  assert.equal(percentile([4, 1, 3, 2], 100), 4);
  assert.ok(Number.isNaN(mean([])));
});

test("gini: equal is 0, one holder of four is 0.75, shift for negatives", () => {
  assert.equal(gini([1, 1, 1]), 0);
  assert.ok(Math.abs(gini([0, 0, 0, 4]) - 0.75) < 1e-12);
  // shifted by +1: [0, 0, 0, 4] again
  assert.ok(Math.abs(gini([-1, -1, -1, 3]) - 0.75) < 1e-12);
});

test("95% CI of [1,2,3]: t(2)=4.303, sd=1 → half = 4.303/√3", () => {
  const ci = meanCi95([1, 2, 3]);
  assert.equal(ci.mean, 2);
  assert.ok(Math.abs(ci.half - 4.302652729749464 / Math.sqrt(3)) < 1e-12);
});

test("t critical values for n = 2…30 match the printed two-sided 95% table to 3 decimals", () => {
  // df 1..29 (n = 2..30), then 30, 40, 60, 120: the standard table (e.g. NIST/SEMATECH 1.3.6.7.2)
  const table = [
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16,
    2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052,
    2.048, 2.045,
  ];
  table.forEach((t, i) => {
    const df = i + 1;
    assert.ok(Math.abs(tCritical(df) - t) < 5e-4, `df ${df}: ${tCritical(df)} vs ${t}`);
    // and meanCi95 of a sample of n = df + 1 uses it
    const xs = Array.from({ length: df + 1 }, (_, k) => k);
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - df / 2) ** 2, 0) / df);
    assert.ok(Math.abs(meanCi95(xs).half - tCritical(df) * (sd / Math.sqrt(df + 1))) < 1e-12);
  });
  for (const [df, t] of [
    [30, 2.042],
    [40, 2.021],
    [60, 2.0],
    [120, 1.98],
  ]) {
    assert.ok(Math.abs(tCritical(df) - t) < 5e-4, `df ${df}: ${tCritical(df)}`);
  }
  assert.ok(Math.abs(tCritical(10, 0.9) - 1.812) < 5e-4);
  assert.ok(Math.abs(tCritical(100000) - 1.95998) < 1e-4, "→ the normal 1.960");
  assert.throws(() => tCritical(0), /df must be an integer/);
});
