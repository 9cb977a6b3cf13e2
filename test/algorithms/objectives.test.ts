import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import {
  OSPO_OBJECTIVE,
  type PolicyBatch,
  type PolicyObjectiveConfig,
  policyLossAndGrad,
  type ValueBatch,
  valueLossAndGrad,
} from "../../src/algorithms/objectives.ts";
import { Rng } from "../../src/core/rng.ts";
import {
  Critic,
  initBackend,
  type MlpConfig,
  PairScorer,
  paramManifest,
} from "../../src/nn/index.ts";

before(() => initBackend());

const close = (got: number, want: number, tol: number, what: string) =>
  assert.ok(Math.abs(got - want) <= tol, `${what}: got ${got}, want ${want}`);

const plain: PolicyObjectiveConfig = {
  clipLow: 0.2,
  clipHigh: 0.28,
  klCoef: 0,
  klEstimator: "k3",
  entropyCoef: 0,
};

/** A scorer with all-zero weights: every logit is 0, so each row is uniform over its candidates. */
function uniformScorer(featureDim: number): PairScorer {
  const s = PairScorer.create(featureDim, new Rng(0), { hidden: [4] });
  s.params.fill(0);
  return s;
}

/** B rows × 4 slots, all real candidates, action 0, π_θ(a) = 1/4 under the uniform scorer. */
function uniformBatch(
  ratios: number[],
  advantages: number[],
  refLogProb?: Float32Array,
): PolicyBatch {
  const B = ratios.length;
  return {
    size: B,
    candidates: 4,
    featureDim: 3,
    features: new Float32Array(B * 4 * 3).fill(0.5),
    mask: new Uint8Array(B * 4).fill(1),
    action: new Int32Array(B),
    behaviourLogProb: Float32Array.from(ratios, (r) => Math.log(0.25 / r)),
    advantage: Float32Array.from(advantages),
    refLogProb,
  };
}

describe("clipped policy objective", () => {
  test("hand-computed value: ratio above / below the clip with positive / negative advantage", () => {
    // ρ=1.5,A=+1 → −min(1.5, 1.28) = −1.28;  ρ=1.5,A=−1 → −min(−1.5, −1.28) = 1.5
    // ρ=0.5,A=+1 → −min(0.5, 0.8) = −0.5;    ρ=0.5,A=−1 → −min(−0.5, −0.8) = 0.8;  ρ=1.1,A=2 → −2.2
    const batch = uniformBatch([1.5, 1.5, 0.5, 0.5, 1.1], [1, -1, 1, -1, 2]);
    const { stats } = policyLossAndGrad(uniformScorer(3), batch, plain);
    close(stats.loss, (-1.28 + 1.5 - 0.5 + 0.8 - 2.2) / 5, 1e-5, "loss");
    close(stats.meanRatio, (1.5 + 1.5 + 0.5 + 0.5 + 1.1) / 5, 1e-5, "mean ratio");
    close(stats.clipFraction, 4 / 5, 1e-6, "clip fraction");
    const k3 = (r: number) => r - 1 - Math.log(r);
    close(stats.approxKl, (2 * k3(1.5) + 2 * k3(0.5) + k3(1.1)) / 5, 1e-5, "approx KL");
    assert.ok(Number.isNaN(stats.refKl), "no reference → refKl NaN");
  });

  test("entropy of a uniform distribution over K real candidates is log K (padding ignored)", () => {
    // row 0: 4 real candidates; row 1: 2 real of 4 slots; row 2: 3 real
    const batch = uniformBatch([1, 1, 1], [0, 0, 0]);
    batch.mask = new Uint8Array([1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 1, 1]);
    batch.behaviourLogProb = new Float32Array([Math.log(1 / 4), Math.log(1 / 2), Math.log(1 / 3)]);
    const cfg = { ...plain, entropyCoef: 0.05 };
    const { stats } = policyLossAndGrad(uniformScorer(3), batch, cfg);
    const entropy = (Math.log(4) + Math.log(2) + Math.log(3)) / 3;
    close(stats.entropy, entropy, 1e-5, "entropy");
    close(stats.meanRatio, 1, 1e-5, "padding does not change π_θ(a)");
    close(stats.loss, -0.05 * entropy, 1e-5, "loss = −c_H·H");
  });

  test("KL k1 / k2 / k3 / full / mean against a hand-computed reference", () => {
    // π_θ uniform over 4 → π(a)=1/4; π_ref = [1/2, 1/4, 1/8, 1/8], a = 0 → log r = log 2
    // full = ¼(log ¼ − log ½) + ¼·0 + 2·¼(log ¼ − log ⅛) = ¼(−log 2 + 2 log 2) = ¼ log 2;
    // mean = full / 4 candidates = log 2 / 16 (OSPO's kl_mode 2).
    const ref = Float32Array.from([0.5, 0.25, 0.125, 0.125], Math.log);
    const batch = uniformBatch([1, 1], [0, 0], Float32Array.from([...ref, ...ref]));
    const l2 = Math.log(2);
    const expected = {
      k1: -l2,
      k2: 0.5 * l2 * l2,
      k3: 2 - 1 - l2,
      full: 0.25 * -l2 + 0.5 * l2,
      mean: (0.25 * -l2 + 0.5 * l2) / 4,
    };
    for (const [estimator, kl] of Object.entries(expected)) {
      const cfg = {
        ...plain,
        klCoef: 0.5,
        klEstimator: estimator as PolicyObjectiveConfig["klEstimator"],
      };
      const { stats } = policyLossAndGrad(uniformScorer(3), batch, cfg);
      close(stats.refKl, kl, 1e-5, estimator);
      close(stats.loss, 0.5 * kl, 1e-5, `${estimator} loss = β·KL`);
    }
  });

  test("mean KL divides each decision's full KL by its own candidate count (padding ignored)", () => {
    // row 0: 4 real candidates, π_ref = [1/2, 1/4, 1/8, 1/8] → full ¼ log 2, mean log 2 / 16;
    // row 1: 2 real of 4 slots, π = [½, ½], π_ref = [¾, ¼] →
    //   full = ½(log ½ − log ¾) + ½(log ½ − log ¼) = ½ log(4/3), mean = ¼ log(4/3).
    const l2 = Math.log(2);
    const ref = Float32Array.from([0.5, 0.25, 0.125, 0.125, 0.75, 0.25, 1, 1], Math.log);
    const batch = uniformBatch([1, 1], [0, 0], ref);
    batch.mask = new Uint8Array([1, 1, 1, 1, 1, 1, 0, 0]);
    batch.behaviourLogProb = Float32Array.of(Math.log(1 / 4), Math.log(1 / 2));
    const want = {
      full: (l2 / 4 + 0.5 * Math.log(4 / 3)) / 2,
      mean: (l2 / 16 + 0.25 * Math.log(4 / 3)) / 2,
    };
    for (const [estimator, kl] of Object.entries(want)) {
      const cfg = { ...plain, klCoef: 1, klEstimator: estimator as "full" | "mean" };
      const { stats } = policyLossAndGrad(uniformScorer(3), batch, cfg);
      close(stats.refKl, kl, 1e-6, estimator);
      close(stats.loss, kl, 1e-6, `${estimator} loss = β·KL`);
    }
  });

  test("bad batches are rejected with the field named", () => {
    const batch = uniformBatch([1], [0]);
    batch.mask = new Uint8Array([0, 1, 1, 1]);
    assert.throws(
      () => policyLossAndGrad(uniformScorer(3), batch, plain),
      /action\[0\] = 0 is not an unmasked candidate/,
    );
    assert.throws(
      () => policyLossAndGrad(uniformScorer(3), uniformBatch([1], [0]), { ...plain, klCoef: 0.1 }),
      /needs batch.refLogProb/,
    );
    assert.throws(
      () => policyLossAndGrad(uniformScorer(5), uniformBatch([1], [0]), plain),
      /featureDim 3/,
    );
  });
});

// ---- gradient against central finite differences of an independent float64 implementation ----

function forward64(config: MlpConfig, p: Float64Array, x: ArrayLike<number>): number[] {
  let h = Array.from(x);
  const m = paramManifest(config);
  for (let l = 0; l < m.length / 2; l++) {
    const w = m[2 * l];
    const b = m[2 * l + 1];
    const [nIn, nOut] = w.shape;
    const out: number[] = [];
    for (let j = 0; j < nOut; j++) {
      let s = p[b.offset + j];
      for (let i = 0; i < nIn; i++) s += h[i] * p[w.offset + i * nOut + j];
      out.push(l + 1 < m.length / 2 && s < 0 ? s * config.negativeSlope : s);
    }
    h = out;
  }
  return h;
}

/** Log-probabilities of one row's K candidates (masked softmax of the float64 logits). */
function rowLogProbs64(config: MlpConfig, p: Float64Array, b: PolicyBatch, i: number): number[] {
  const { candidates: K, featureDim: F } = b;
  const logits: number[] = [];
  for (let j = 0; j < K; j++)
    logits.push(forward64(config, p, b.features.subarray((i * K + j) * F, (i * K + j + 1) * F))[0]);
  const real = logits.map((_, j) => b.mask[i * K + j] !== 0);
  const max = Math.max(...logits.filter((_, j) => real[j]));
  const lse = max + Math.log(logits.reduce((s, z, j) => s + (real[j] ? Math.exp(z - max) : 0), 0));
  return logits.map((z, j) => (real[j] ? z - lse : Number.NEGATIVE_INFINITY));
}

/** KL(π_θ ‖ π_ref) of one decision in float64, for the estimators the gradient tests cover. */
function kl64(
  logp: number[],
  ref: ArrayLike<number>,
  a: number,
  estimator: PolicyObjectiveConfig["klEstimator"],
): number {
  if (estimator === "k3") {
    const logR = ref[a] - logp[a];
    return Math.exp(logR) - 1 - logR;
  }
  let full = 0;
  let count = 0;
  logp.forEach((lp, k) => {
    if (lp === Number.NEGATIVE_INFINITY) return;
    full += Math.exp(lp) * (lp - ref[k]);
    count++;
  });
  if (estimator === "full") return full;
  if (estimator === "mean") return full / count;
  throw new Error(`kl64: ${estimator} not covered`);
}

function policyLoss64(
  config: MlpConfig,
  p: Float64Array,
  b: PolicyBatch,
  c: PolicyObjectiveConfig,
): number {
  const K = b.candidates;
  let total = 0;
  for (let i = 0; i < b.size; i++) {
    const logp = rowLogProbs64(config, p, b, i);
    const a = b.action[i];
    const ratio = Math.exp(logp[a] - b.behaviourLogProb[i]);
    const A = b.advantage[i];
    const clipped = Math.min(Math.max(ratio, 1 - c.clipLow), 1 + c.clipHigh);
    let term = -Math.min(ratio * A, clipped * A);
    let entropy = 0;
    for (const lp of logp) if (lp > Number.NEGATIVE_INFINITY) entropy -= Math.exp(lp) * lp;
    term -= c.entropyCoef * entropy;
    term += c.klCoef * kl64(logp, b.refLogProb!.subarray(i * K, (i + 1) * K), a, c.klEstimator);
    total += term;
  }
  return total / b.size;
}

function randomPolicyBatch(
  rng: Rng,
  config: MlpConfig,
  p: Float64Array,
  B: number,
  K: number,
): PolicyBatch {
  const F = config.inputDim;
  const mask = new Uint8Array(B * K);
  const action = new Int32Array(B);
  const refLogProb = new Float32Array(B * K);
  for (let i = 0; i < B; i++) {
    const n = 1 + rng.int(K);
    for (let j = 0; j < n; j++) mask[i * K + j] = 1;
    action[i] = rng.int(n);
    for (let j = 0; j < n; j++)
      refLogProb[i * K + j] = Math.log(1 / n) + 0.3 * (rng.uniform() - 0.5);
  }
  const batch: PolicyBatch = {
    size: B,
    candidates: K,
    featureDim: F,
    features: Float32Array.from({ length: B * K * F }, () => rng.uniform()),
    mask,
    action,
    behaviourLogProb: new Float32Array(B),
    advantage: Float32Array.from({ length: B }, () => 2 * rng.normal()),
    refLogProb,
  };
  // behaviour probabilities that put ratios clearly inside and clearly outside the clip range
  const targetRatio = [0.6, 0.9, 1.05, 1.5];
  for (let i = 0; i < B; i++)
    batch.behaviourLogProb[i] =
      rowLogProbs64(config, p, batch, i)[action[i]] - Math.log(targetRatio[i % 4]);
  return batch;
}

describe("gradients against central finite differences (float64 reference)", () => {
  // Every estimator inside the whole loss, and the full-sum estimators alone (advantages and c_H
  // zero, β = 1), so that their gradient is not hidden behind the surrogate's.
  const cases = [
    { klEstimator: "k3", klOnly: false },
    { klEstimator: "full", klOnly: false },
    { klEstimator: "mean", klOnly: false },
    { klEstimator: "full", klOnly: true },
    { klEstimator: "mean", klOnly: true },
  ] as const;
  for (const { klEstimator, klOnly } of cases)
    test(`policy loss (${klOnly ? "" : "clip + entropy + "}${klEstimator} KL), padded candidates`, () => {
      const scorer = PairScorer.create(3, new Rng(11), { hidden: [5, 4] });
      const config = scorer.config;
      const p64 = Float64Array.from(scorer.params);
      const cfg: PolicyObjectiveConfig = klOnly
        ? { ...OSPO_OBJECTIVE, klCoef: 1, entropyCoef: 0, klEstimator }
        : { ...OSPO_OBJECTIVE, klCoef: 0.3, klEstimator };
      const batch = randomPolicyBatch(new Rng(12), config, p64, 12, 5);
      if (klOnly) {
        // π_ref far from π_θ (a log-softmax of 2·N(0, 1) logits per row), so the KL is O(1)
        batch.advantage.fill(0);
        const rng = new Rng(13);
        for (let i = 0; i < batch.size; i++) {
          const row = batch.refLogProb!.subarray(i * 5, (i + 1) * 5);
          const n = Array.from({ length: 5 }, (_, k) => batch.mask[i * 5 + k]).filter(
            Boolean,
          ).length;
          const z = Array.from({ length: n }, () => 2 * rng.normal());
          const lse = Math.log(z.reduce((acc, v) => acc + Math.exp(v), 0));
          z.forEach((v, k) => {
            row[k] = v - lse;
          });
        }
      }
      const { stats, grad } = policyLossAndGrad(scorer, batch, cfg);
      close(
        stats.loss,
        policyLoss64(config, p64, batch, cfg),
        1e-5,
        "loss value vs float64 reference",
      );
      const h = 1e-6;
      let maxErr = 0;
      let maxGrad = 0;
      for (let i = 0; i < p64.length; i++) {
        const plus = p64.slice();
        const minus = p64.slice();
        plus[i] += h;
        minus[i] -= h;
        const fd =
          (policyLoss64(config, plus, batch, cfg) - policyLoss64(config, minus, batch, cfg)) /
          (2 * h);
        maxErr = Math.max(maxErr, Math.abs(fd - grad[i]));
        maxGrad = Math.max(maxGrad, Math.abs(fd));
      }
      // float32 gradient vs float64 differences: absolute error well below 1e-3 of the largest entry
      assert.ok(maxGrad > 1e-2, "non-trivial gradient");
      assert.ok(
        maxErr <= 1e-4 * maxGrad + 1e-6,
        `max |jax − FD| = ${maxErr} (max |grad| ${maxGrad})`,
      );
    });

  test("value loss with clipping", () => {
    const critic = Critic.create(4, new Rng(21), { hidden: [6] });
    const config = critic.config;
    const p64 = Float64Array.from(critic.params);
    const rng = new Rng(22);
    const N = 20;
    const states = Float32Array.from({ length: N * 4 }, () => rng.uniform());
    const current = Array.from(
      { length: N },
      (_, i) => forward64(config, p64, states.subarray(i * 4, i * 4 + 4))[0],
    );
    const eps = 0.2;
    // old values 0.5 away (clip binding) or 0.05 away (not binding), returns on either side
    const oldValues = Float32Array.from(
      current,
      (v, i) => v + (i % 2 ? 0.5 : -0.05) * (i % 3 ? 1 : -1),
    );
    const returns = Float32Array.from(
      current,
      (v, i) => v + (i % 4 < 2 ? 1 : -1) * (0.3 + rng.uniform()),
    );
    const batch: ValueBatch = { size: N, stateDim: 4, states, returns, oldValues };
    const loss64 = (p: Float64Array) => {
      let s = 0;
      for (let i = 0; i < N; i++) {
        const v = forward64(config, p, states.subarray(i * 4, i * 4 + 4))[0];
        const vc = Math.min(Math.max(v, oldValues[i] - eps), oldValues[i] + eps);
        s += Math.max((v - returns[i]) ** 2, (vc - returns[i]) ** 2);
      }
      return (0.5 * s) / N;
    };
    const { stats, grad } = valueLossAndGrad(critic, batch, { valueClip: eps });
    close(stats.loss, loss64(p64), 1e-5, "value loss");
    const h = 1e-6;
    let maxErr = 0;
    let maxGrad = 0;
    for (let i = 0; i < p64.length; i++) {
      const plus = p64.slice();
      const minus = p64.slice();
      plus[i] += h;
      minus[i] -= h;
      const fd = (loss64(plus) - loss64(minus)) / (2 * h);
      maxErr = Math.max(maxErr, Math.abs(fd - grad[i]));
      maxGrad = Math.max(maxGrad, Math.abs(fd));
    }
    assert.ok(maxGrad > 1e-2, "non-trivial gradient");
    assert.ok(
      maxErr <= 1e-4 * maxGrad + 1e-6,
      `max |jax − FD| = ${maxErr} (max |grad| ${maxGrad})`,
    );
    const unclipped = valueLossAndGrad(critic, batch);
    const plainLoss = (0.5 * current.reduce((s, v, i) => s + (v - returns[i]) ** 2, 0)) / N;
    close(unclipped.stats.loss, plainLoss, 1e-5, "unclipped ½·MSE");
  });
});
