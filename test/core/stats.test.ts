import assert from "node:assert/strict";
import { test } from "node:test";
import { gini, mean, meanCi95, percentile, std } from "../../src/core/stats.ts";

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
  assert.ok(Math.abs(ci.half - 4.303 / Math.sqrt(3)) < 1e-9);
});
