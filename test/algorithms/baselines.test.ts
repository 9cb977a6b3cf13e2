/**
 * Group baselines (baselines.ts) and the MC-GRPO composition: hand-computed median-centred
 * advantages, the outlier and pivot properties, and that the mean baseline is exactly what the
 * estimators computed before baselines were pieces.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  groupRelativeRewardToGo,
  oneStepGroupRelative,
  stepGroupRelativeReturn,
} from "../../src/algorithms/advantages.ts";
import {
  groupSpread,
  meanStd,
  median,
  medianCentred,
  normalizeByGroup,
} from "../../src/algorithms/baselines.ts";
import type { DecisionLog } from "../../src/algorithms/recipe.ts";
import { algorithmByName } from "../../src/algorithms/registry.ts";

const close = (got: ArrayLike<number>, want: number[], tol = 1e-6) => {
  assert.equal(got.length, want.length);
  for (let i = 0; i < want.length; i++)
    assert.ok(Math.abs(got[i] - want[i]) <= tol, `[${i}]: got ${got[i]}, want ${want[i]}`);
};

describe("median-centred baseline (MC-GRPO)", () => {
  test("hand-computed: median 3, MAD 1 → (x − 3)/1.4826; the pivot gets exactly 0", () => {
    const a = medianCentred(Float64Array.of(4, 1, 10, 3, 2), 1e-8);
    close(a, [1 / 1.4826, -2 / 1.4826, 7 / 1.4826, 0, -1 / 1.4826]);
    assert.equal(a[3], 0, "the median sample (pivot) has advantage 0");
  });

  test("property: one outlier beyond the median leaves every other advantage unchanged", () => {
    const others = (a: Float64Array) => [a[0], a[1], a[3], a[4]];
    const base = medianCentred(Float64Array.of(4, 1, 10, 3, 2), 1e-8);
    for (const outlier of [100, 1e4, 1e6])
      assert.deepEqual(
        others(medianCentred(Float64Array.of(4, 1, outlier, 3, 2), 1e-8)),
        others(base),
      );
    // the mean baseline is not robust: the same outlier moves every advantage
    const m1 = meanStd(Float64Array.of(4, 1, 10, 3, 2), 1e-8);
    const m2 = meanStd(Float64Array.of(4, 1, 1000, 3, 2), 1e-8);
    assert.ok(Math.abs(m1[0] - m2[0]) > 0.1);
  });

  test("MAD 0 falls back to the mean absolute deviation × 1.2533; constant groups get 0", () => {
    // [0, 0, 0, 3]: median 0, deviations [0, 0, 0, 3] → MAD 0, mean |dev| 0.75 → scale 0.939975
    close(medianCentred(Float64Array.of(0, 0, 0, 3), 1e-8), [0, 0, 0, 3 / (1.2533 * 0.75)]);
    close(medianCentred(Float64Array.of(2, 2, 2), 1e-8), [0, 0, 0]);
  });

  test("even groups: the median is the mean of the two middle values", () => {
    assert.equal(median(Float64Array.of(4, 1, 3, 2)), 2.5);
    // deviations [1.5, 1.5, 0.5, 0.5] → MAD 1 → scale 1.4826
    close(
      medianCentred(Float64Array.of(4, 1, 3, 2), 1e-8),
      [1.5, -1.5, 0.5, -0.5].map((d) => d / 1.4826),
    );
  });

  test("OSPO's per-epoch groups: one outlier in epoch 0 changes nothing else in it", () => {
    const epoch = Int32Array.of(0, 0, 0, 1, 1);
    const agent = Int32Array.of(0, 1, 2, 0, 1);
    const run = (outlier: number) =>
      oneStepGroupRelative(
        { epoch, agent, reward: Float32Array.of(1, 2, outlier, 5, 5) },
        { numAgents: 3, fairnessCoef: 0, baseline: medianCentred },
      );
    // epoch 0: median 2, deviations [1, 0, 1] → MAD 1; epoch 1 constant → 0
    close(run(3), [-1 / 1.4826, 0, 1 / 1.4826, 0, 0]);
    close(run(300).subarray(0, 2), [-1 / 1.4826, 0]);
  });

  test("GRPO's groups: step-returns per step, z-rewards over the whole episode", () => {
    const samples = {
      agent: Int32Array.of(0, 1, 2),
      step: Int32Array.of(0, 0, 0),
      time: Float32Array.of(0, 0, 0),
      reward: Float32Array.of(1, 2, 4),
    };
    const want = [-1 / 1.4826, 0, 2 / 1.4826]; // median 2, MAD 1
    close(stepGroupRelativeReturn(samples, { baseline: medianCentred }), want);
    close(groupRelativeRewardToGo(samples, { baseline: medianCentred }), want);
  });

  test("the mc-grpo recipe is GRPO with the median baseline unless the config names one", () => {
    const log: DecisionLog = {
      numAgents: 3,
      step: Int32Array.of(0, 0, 0),
      agent: Int32Array.of(0, 1, 2),
      time: Float64Array.of(0, 0, 0),
      reward: Float32Array.of(1, 2, 4),
      value: new Float32Array(3),
      end: { time: 1, value: new Float32Array(3), terminated: new Uint8Array(3) },
    };
    const s = {
      gamma: 0.99,
      gaeLambda: 0.95,
      fairnessCoef: 1,
      grpoAdvantage: "step-returns" as const,
    };
    close(algorithmByName("mc-grpo").advantages(log, s).advantages, [-1 / 1.4826, 0, 2 / 1.4826]);
    const mean = algorithmByName("mc-grpo").advantages(log, { ...s, baseline: "mean" });
    assert.deepEqual(mean.advantages, algorithmByName("grpo").advantages(log, s).advantages);
  });
});

describe("mean baseline and group helpers", () => {
  test("meanStd is OSPO's z-score, bit for bit", () => {
    const r = Float32Array.of(0.3, 1.7, 2.9, -0.4, 5.1);
    const mean = r.reduce((a, b) => a + b, 0) / r.length;
    const std = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / r.length);
    const want = Array.from(r, (x) => (x - mean) / (std + 1e-8));
    assert.deepEqual(Array.from(meanStd(Float64Array.from(r), 1e-8)), want);
  });

  test("normalizeByGroup keeps the input order; groupSpread is each group's std over the largest", () => {
    close(
      normalizeByGroup(Int32Array.of(0, 1, 0, 1), Float64Array.of(1, 5, 3, 9), meanStd, 1e-8),
      [-1, -1, 1, 1],
    );
    close(groupSpread(Int32Array.of(0, 0, 1, 1), Float64Array.of(0, 2, 0, 4)), [0.5, 0.5, 1, 1]);
    close(groupSpread(Int32Array.of(0, 0), Float64Array.of(3, 3)), [0, 0]);
  });
});
