import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  Adam,
  clipGradNorm,
  exponentialDecay,
  globalNorm,
  OptimizerChain,
} from "../../src/algorithms/optim.ts";
import { Rng } from "../../src/core/rng.ts";

const close = (got: number, want: number, tol: number, what = "") =>
  assert.ok(Math.abs(got - want) <= tol, `${what} got ${got}, want ${want}`);

describe("Adam", () => {
  test("two steps match the hand computation", () => {
    // step 1: m̂ = g, v̂ = g² → θ −= lr·sign(g): [1, −2] → [0.9, −1.9]
    // step 2 (g = [−1, 0.2]): m = 0.9·0.05 + 0.1·(−1) = −0.055, v = 0.999·0.00025 + 0.001·1 = 0.00124975,
    // m̂ = m/0.19, v̂ = v/0.001999 → θ0 = 0.9 − 0.1·m̂/√v̂ = 0.93661035
    const params = new Float32Array([1, -2]);
    const adam = new Adam(2, { lr: 0.1 });
    adam.step(params, new Float32Array([0.5, -0.1]));
    close(params[0], 0.9, 1e-6, "θ0 after 1");
    close(params[1], -1.9, 1e-6, "θ1 after 1");
    adam.step(params, new Float32Array([-1, 0.2]));
    close(params[0], 0.9366103542, 1e-6, "θ0 after 2");
    close(params[1], -1.9366103604, 1e-6, "θ1 after 2");
    const s = adam.getState();
    assert.equal(s.step, 2);
    close(s.m[0], -0.055, 1e-8, "m0");
    close(s.v[0], 0.00124975, 1e-9, "v0");
  });

  test("state save / restore continues exactly as an uninterrupted run", () => {
    const rng = new Rng(1);
    const grads = Array.from({ length: 6 }, () =>
      Float32Array.from({ length: 50 }, () => rng.normal()),
    );
    const init = Float32Array.from({ length: 50 }, () => rng.uniform());
    const a = init.slice();
    const adamA = new Adam(50, { lr: 1e-2 });
    for (const g of grads) adamA.step(a, g);
    const b = init.slice();
    const first = new Adam(50, { lr: 1e-2 });
    for (const g of grads.slice(0, 3)) first.step(b, g);
    const resumed = new Adam(50, { lr: 1e-2 });
    resumed.setState(first.getState());
    for (const g of grads.slice(3)) resumed.step(b, g);
    assert.deepEqual(b, a);
  });

  test("mismatched sizes are rejected", () => {
    const adam = new Adam(3);
    assert.throws(() => adam.step(new Float32Array(2), new Float32Array(2)), /sized for 3/);
    assert.throws(
      () => adam.setState({ step: 1, m: new Float32Array(2), v: new Float32Array(2) }),
      /state for 2/,
    );
  });
});

describe("gradient-norm clipping", () => {
  test("scales down to the max norm and reports the norm before clipping", () => {
    const g = new Float32Array([3, 4]);
    assert.equal(clipGradNorm(g, 1), 5);
    close(g[0], 0.6, 1e-6);
    close(g[1], 0.8, 1e-6);
    close(globalNorm(g), 1, 1e-6, "norm after");
  });

  test("leaves small gradients unchanged", () => {
    const g = new Float32Array([0.3, -0.4]);
    close(clipGradNorm(g), 0.5, 1e-7);
    assert.deepEqual(g, new Float32Array([0.3, -0.4]));
  });
});

describe("learning-rate schedule", () => {
  test("exponential decay per episode with an optional floor", () => {
    const lr = exponentialDecay(1e-5, 0.99);
    assert.equal(lr(0), 1e-5);
    close(lr(2), 9.801e-6, 1e-15);
    close(lr(100), 1e-5 * 0.99 ** 100, 1e-18);
    assert.equal(exponentialDecay(1, 0.5, 0.2)(10), 0.2);
  });
});

describe("optimizer chain (clip → Adam → schedule)", () => {
  test("equals clipping by hand, then Adam at the scheduled learning rate", () => {
    const schedule = exponentialDecay(0.1, 0.5);
    const chain = new OptimizerChain(2, { maxGradNorm: 1, schedule });
    const byHand = new Adam(2, { lr: 0.1 });
    const a = new Float32Array([1, -2]);
    const b = new Float32Array([1, -2]);
    assert.equal(chain.lr, 0.1);
    // episode 0: gradient [3, 4] (norm 5) is clipped to ≈ [0.6, 0.8]
    assert.equal(chain.step(a, new Float32Array([3, 4])), 5);
    const g = new Float32Array([3, 4]);
    clipGradNorm(g, 1);
    byHand.step(b, g);
    assert.deepEqual(a, b);
    // episode 2: lr = 0.1 · 0.5² = 0.025; a small gradient is not clipped
    assert.equal(chain.startEpisode(2), 0.025);
    byHand.lr = 0.025;
    chain.step(a, new Float32Array([0.3, -0.4]));
    byHand.step(b, new Float32Array([0.3, -0.4]));
    assert.deepEqual(a, b);
    assert.deepEqual(chain.getState(), byHand.getState());
  });
});
