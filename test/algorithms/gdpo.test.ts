/**
 * GDPO's decoupled normalisation (gdpo.ts): hand-computed advantages where the summed reward
 * hides a component, and the property that equal components reduce to GRPO's normalisation.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { stepGroupRelativeReturn } from "../../src/algorithms/advantages.ts";
import { decoupledStepAdvantage } from "../../src/algorithms/gdpo.ts";
import type { DecisionLog } from "../../src/algorithms/recipe.ts";
import { Rng } from "../../src/core/rng.ts";

const close = (got: ArrayLike<number>, want: number[], tol = 1e-6) => {
  assert.equal(got.length, want.length);
  for (let i = 0; i < want.length; i++)
    assert.ok(Math.abs(got[i] - want[i]) <= tol, `[${i}]: got ${got[i]}, want ${want[i]}`);
};

function log(
  step: number[],
  agent: number[],
  time: number[],
  weights: number[],
  components: number[][],
): DecisionLog {
  const m = step.length;
  const reward = Float32Array.from(components, (c) => c.reduce((s, x, j) => s + weights[j] * x, 0));
  return {
    numAgents: Math.max(...agent) + 1,
    step: Int32Array.from(step),
    agent: Int32Array.from(agent),
    time: Float64Array.from(time),
    reward,
    value: new Float32Array(m),
    end: { time: 10, value: new Float32Array(8), terminated: new Uint8Array(8) },
    rewardComponents: { weights, values: Float32Array.from(components.flat()) },
  };
}

describe("gdpo: group reward-decoupled normalisation", () => {
  test("hand-computed: a small component the sum hides still ranks the decisions", () => {
    // one step, three vehicles; components [distance, pickup], weights [1, −1]:
    // distance [10, 10, 20] → z = [−1/√2, −1/√2, √2]; pickup [0, 2, 2] → z = [−√2, 1/√2, 1/√2]
    // Σ w·z = [−0.7071 + 1.4142, −0.7071 − 0.7071, 1.4142 − 0.7071] = [0.7071, −1.4142, 0.7071]
    // batch z-score (mean 0, std 1): the same; the summed rewards [10, 8, 18] would rank 1 < 0 < 2
    const l = log(
      [0, 0, 0],
      [0, 1, 2],
      [0, 0, 0],
      [1, -1],
      [
        [10, 0],
        [10, 2],
        [20, 2],
      ],
    );
    const { advantages } = decoupledStepAdvantage(l, 0.99);
    close(advantages, [Math.SQRT1_2, -Math.SQRT2, Math.SQRT1_2]);
  });

  test("property: P equal components reduce to GRPO's step-returns normalisation", () => {
    const rng = new Rng(5);
    const step = [0, 0, 0, 1, 1, 1, 2, 2];
    const agent = [0, 1, 2, 0, 1, 2, 0, 1];
    const time = step.map((s) => s * 1);
    const x = step.map(() => 5 * rng.uniform());
    const l = log(
      step,
      agent,
      time,
      [0.5, 2, 1.5],
      x.map((v) => [v, v, v]),
    );
    const grpoA = stepGroupRelativeReturn(
      { agent: l.agent, step: l.step, time: l.time, reward: Float32Array.from(x) },
      { gamma: 0.9 },
    );
    close(decoupledStepAdvantage(l, 0.9).advantages, Array.from(grpoA), 1e-5);
  });

  test("without declared components the reward is the only one", () => {
    const l = log([0, 0, 0], [0, 1, 2], [0, 0, 0], [1], [[1], [2], [4]]);
    const bare = { ...l, rewardComponents: undefined };
    assert.deepEqual(decoupledStepAdvantage(bare, 0.99), decoupledStepAdvantage(l, 0.99));
  });
});
