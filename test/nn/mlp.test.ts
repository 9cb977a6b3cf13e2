import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { Rng } from "../../src/core/rng.ts";
import { forwardJax } from "../../src/nn/forward-jax.ts";
import {
  Critic,
  forwardJs,
  initBackend,
  initParams,
  maskedSoftmaxRows,
  mlpConfig,
  PairScorer,
  paramCount,
  paramManifest,
} from "../../src/nn/index.ts";

before(() => initBackend());

/** 2 → 2 → 1 with slope 0.1, weights set by hand. */
const tiny = mlpConfig({ inputDim: 2, hidden: [2], outputDim: 1, negativeSlope: 0.1 });
// layer0.weight [[1, -1], [2, 0.5]], layer0.bias [0.5, -1], layer1.weight [[2], [3]], layer1.bias [0.25]
const tinyParams = new Float32Array([1, -1, 2, 0.5, 0.5, -1, 2, 3, 0.25]);
// x = [1, 2]: pre = [1+4+0.5, -1+1-1] = [5.5, -1] → leaky → [5.5, -0.1] → 11 - 0.3 + 0.25 = 10.95
// x = [0, -1]: pre = [-2+0.5, -0.5-1] = [-1.5, -1.5] → [-0.15, -0.15] → -0.3 - 0.45 + 0.25 = -0.5
const tinyX = new Float32Array([1, 2, 0, -1]);

function randomInputs(n: number, dim: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n * dim }, () => rng.uniform());
}

describe("MLP", () => {
  test("manifest: layer-by-layer weight [in, out] then bias, OSPO size 28→128→128→1", () => {
    assert.deepEqual(
      paramManifest(tiny).map((e) => [e.name, e.shape, e.offset]),
      [
        ["layer0.weight", [2, 2], 0],
        ["layer0.bias", [2], 4],
        ["layer1.weight", [2, 1], 6],
        ["layer1.bias", [1], 8],
      ],
    );
    assert.equal(
      paramCount(mlpConfig({ inputDim: 28 })),
      28 * 128 + 128 + 128 * 128 + 128 + 128 + 1,
    );
  });

  test("hand-set network: JS and jax forward give the hand-computed outputs", () => {
    const js = forwardJs(tiny, tinyParams, tinyX, 2);
    const jax = forwardJax(tiny, tinyParams, tinyX, 2);
    for (const out of [js, jax]) {
      assert.ok(Math.abs(out[0] - 10.95) < 1e-5, `got ${out[0]}`);
      assert.ok(Math.abs(out[1] - -0.5) < 1e-6, `got ${out[1]}`);
    }
  });

  test("JS and jax forward agree on random networks and row counts (incl. chunk boundaries)", () => {
    const config = mlpConfig({ inputDim: 28, hidden: [32, 16], outputDim: 2 });
    const params = initParams(config, new Rng(7));
    for (const n of [1, 3, 65, 4097]) {
      const x = randomInputs(n, 28, n);
      const a = forwardJs(config, params, x, n);
      const b = forwardJax(config, params, x, n);
      assert.equal(b.length, n * 2);
      for (let i = 0; i < a.length; i++)
        assert.ok(
          Math.abs(a[i] - b[i]) <= 1e-5 * (1 + Math.abs(a[i])),
          `n=${n} row ${i}: ${a[i]} vs ${b[i]}`,
        );
    }
  });

  test("seeded init is reproducible and within torch's ±1/√fan_in bounds", () => {
    const config = mlpConfig({ inputDim: 28 });
    const a = initParams(config, new Rng(42).split("policy"));
    const b = initParams(config, new Rng(42).split("policy"));
    const c = initParams(config, new Rng(43).split("policy"));
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    for (const e of paramManifest(config)) {
      const fanIn = e.name.startsWith("layer0") ? 28 : 128;
      const bound = 1 / Math.sqrt(fanIn);
      const block = a.subarray(e.offset, e.offset + e.size);
      assert.ok(
        block.every((v) => Math.abs(v) <= bound),
        e.name,
      );
      if (e.size >= 16)
        assert.ok(Math.max(...block.map(Math.abs)) > 0.8 * bound, `${e.name} uses its range`);
    }
    const he = initParams(mlpConfig({ inputDim: 28, init: "he" }), new Rng(1));
    assert.ok(
      he.subarray(28 * 128, 28 * 128 + 128).every((v) => v === 0),
      "he: zero biases",
    );
  });

  test("bad layer sizes are rejected", () => {
    assert.throws(() => mlpConfig({ inputDim: 0 }), /positive integers/);
    assert.throws(() => mlpConfig({ inputDim: 4, hidden: [3.5] }), /positive integers/);
  });
});

describe("masked softmax", () => {
  test("padded candidates get probability 0 and do not affect the others", () => {
    const mask = [1, 1, 0, 1, 0, 0, 0, 0];
    const a = maskedSoftmaxRows(new Float32Array([1, 2, 100, 3, 0, 0, 0, 0]), mask, 2, 4);
    const b = maskedSoftmaxRows(new Float32Array([1, 2, -7, 3, 0, 0, 0, 0]), mask, 2, 4);
    assert.deepEqual(a, b);
    const z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    assert.ok(Math.abs(a.probs[0] - Math.exp(1) / z) < 1e-6);
    assert.ok(Math.abs(a.probs[3] - Math.exp(3) / z) < 1e-6);
    assert.equal(a.probs[2], 0);
    assert.equal(a.logProbs[2], Number.NEGATIVE_INFINITY);
    assert.deepEqual([...a.probs.subarray(4)], [0, 0, 0, 0], "row without candidates");
  });

  test("PairScorer.policy: per-row distributions over unmasked candidates", () => {
    const scorer = PairScorer.create(5, new Rng(3), { hidden: [8] });
    const rows = 3;
    const k = 4;
    const features = randomInputs(rows * k, 5, 9);
    const mask = new Uint8Array([1, 1, 1, 1, 1, 0, 1, 0, 1, 0, 0, 0]);
    const { logits, probs, logProbs } = scorer.policy(features, mask, rows, k);
    assert.deepEqual(logits, scorer.scores(features, rows * k));
    for (let r = 0; r < rows; r++) {
      const row = probs.subarray(r * k, (r + 1) * k);
      assert.ok(Math.abs(row.reduce((s, p) => s + p, 0) - 1) < 1e-6);
      for (let j = 0; j < k; j++) {
        if (!mask[r * k + j]) assert.equal(row[j], 0);
        else assert.ok(Math.abs(Math.log(row[j]) - logProbs[r * k + j]) < 1e-5);
      }
    }
    assert.equal(probs[8], 1, "single candidate is certain");
  });

  test("Critic: one value per state row, equal to the JS forward", () => {
    const critic = Critic.create(6, new Rng(5));
    const states = randomInputs(10, 6, 1);
    const v = critic.values(states, 10);
    const ref = forwardJs(critic.config, critic.params, states, 10);
    assert.equal(v.length, 10);
    for (let i = 0; i < 10; i++) assert.ok(Math.abs(v[i] - ref[i]) < 1e-5);
  });
});
