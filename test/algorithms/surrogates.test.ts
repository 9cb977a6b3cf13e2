/**
 * The surrogates beyond the clip (surrogates.ts) through the real policy loss: hand-computed
 * losses at chosen ratios and advantages, and one property each — ETR with zero elasticities is
 * PPO's clip; BPO pulls an overshooting ratio back where the clip is flat; MDPO's proximity term
 * has no gradient at ρ = 1 (the plain policy gradient) and a restoring one away from it.
 */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import {
  clippedSurrogate,
  type PolicyBatch,
  type PolicyObjectiveConfig,
  policyLossAndGrad,
  type Surrogate,
} from "../../src/algorithms/objectives.ts";
import {
  boundedRatioSurrogate,
  elasticSurrogate,
  mirrorDescentSurrogate,
  type SurrogateSettings,
  surrogateParams,
} from "../../src/algorithms/surrogates.ts";
import { Rng } from "../../src/core/rng.ts";
import { initBackend, PairScorer } from "../../src/nn/index.ts";

before(() => initBackend());

const close = (got: number, want: number, tol: number, what: string) =>
  assert.ok(Math.abs(got - want) <= tol, `${what}: got ${got}, want ${want}`);

const SETTINGS: SurrogateSettings = {
  etrMicro: 0.5,
  etrMacro: 0.5,
  bpoTemperature: 1e-4,
  mdpoKlCoef: 3,
};
const config = (s: Partial<SurrogateSettings> = {}): PolicyObjectiveConfig => ({
  clipLow: 0.2,
  clipHigh: 0.28,
  klCoef: 0,
  klEstimator: "k3",
  entropyCoef: 0,
  params: surrogateParams({ ...SETTINGS, ...s }),
});

/** All-zero scorer: π_θ(a) = 1/4 on 4 candidates, so the stored log-prob sets ρ exactly. */
function uniformScorer(): PairScorer {
  const s = PairScorer.create(3, new Rng(0), { hidden: [4] });
  s.params.fill(0);
  return s;
}

function batch(ratios: number[], advantages: number[], spread?: number[]): PolicyBatch {
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
    groupSpread: spread ? Float32Array.from(spread) : undefined,
  };
}

/** A random scorer with distinct candidate features: its gradient is not zero. */
function liveBatch(ratio: number, advantage: number): { scorer: PairScorer; b: PolicyBatch } {
  const scorer = PairScorer.create(3, new Rng(7), { hidden: [8] });
  const rng = new Rng(3);
  const features = Float32Array.from({ length: 4 * 3 }, () => rng.uniform());
  const mask = new Uint8Array(4).fill(1);
  const logPi = scorer.policy(features, mask, 1, 4).logProbs[0];
  const b: PolicyBatch = {
    size: 1,
    candidates: 4,
    featureDim: 3,
    features,
    mask,
    action: new Int32Array(1),
    behaviourLogProb: Float32Array.of(logPi - Math.log(ratio)),
    advantage: Float32Array.of(advantage),
  };
  return { scorer, b };
}

/** ρ after one plain gradient step on `surrogate`'s loss. */
function ratioAfterStep(surrogate: Surrogate, ratio: number, advantage: number): number {
  const { scorer, b } = liveBatch(ratio, advantage);
  const { grad } = policyLossAndGrad(scorer, b, config(), surrogate);
  for (let i = 0; i < grad.length; i++) scorer.params[i] -= 0.05 * grad[i];
  const logPi = scorer.policy(b.features, b.mask, 1, 4).logProbs[0];
  return Math.exp(logPi - b.behaviourLogProb[0]);
}

describe("elastic trust regions (etr)", () => {
  test("hand-computed: the bounds widen with |A| (micro) and with the group spread (macro)", () => {
    // ρ=1.5, A=1, s=1: e = (1 + 0.5·½)(1 + 0.5) = 1.875 → upper 1.525 → −1.5 (the clip: −1.28)
    // ρ=1.5, A=1, s=0: e = 1.25 → upper 1.35 → −1.35
    // ρ=0.5, A=−1, s=0: e = 1.25 → lower 0.75 → −min(−0.5, −0.75) = 0.75
    // A = 0 → 0
    const b = batch([1.5, 1.5, 0.5, 1.1], [1, 1, -1, 0], [1, 0, 0, 1]);
    const { stats } = policyLossAndGrad(uniformScorer(), b, config(), elasticSurrogate);
    close(stats.loss, (-1.5 - 1.35 + 0.75 + 0) / 4, 1e-5, "loss");
  });

  test("property: with both elasticities 0 it is PPO's clipped surrogate", () => {
    const rng = new Rng(11);
    const ratios = Array.from({ length: 16 }, () => 0.3 + 1.4 * rng.uniform());
    const advs = Array.from({ length: 16 }, () => 4 * rng.uniform() - 2);
    const spread = Array.from({ length: 16 }, () => rng.uniform());
    const b = batch(ratios, advs, spread);
    const flat = config({ etrMicro: 0, etrMacro: 0 });
    const etr = policyLossAndGrad(uniformScorer(), b, flat, elasticSurrogate).stats.loss;
    const clip = policyLossAndGrad(uniformScorer(), b, flat, clippedSurrogate).stats.loss;
    close(etr, clip, 1e-6, "loss");
  });
});

describe("bounded policy optimization (bpo)", () => {
  test("hand-computed: |A|·|ρ − ρ*|, ρ* = 1.28 above the baseline, 0.8 below, weight 0 at the pivot", () => {
    // A=2, ρ=1 → 2·0.28 = 0.56; A=−1, ρ=1 → 0.2; A=1, ρ=1.5 → 0.22; A=0 → 0
    const b = batch([1, 1, 1.5, 1.3], [2, -1, 1, 0]);
    const { stats } = policyLossAndGrad(uniformScorer(), b, config(), boundedRatioSurrogate);
    close(stats.loss, (0.56 + 0.2 + 0.22 + 0) / 4, 1e-5, "loss");
  });

  test("property: the loss is 0 exactly at the bounded-ratio optimum", () => {
    const b = batch([1.28, 0.8], [3, -2]);
    const { stats } = policyLossAndGrad(uniformScorer(), b, config(), boundedRatioSurrogate);
    close(stats.loss, 0, 1e-6, "loss");
  });

  test("property: an overshooting ratio is pulled back (the clip's gradient there is 0)", () => {
    const clipped = ratioAfterStep(clippedSurrogate, 1.6, 1);
    close(clipped, 1.6, 1e-6, "clip: no gradient beyond the bound");
    assert.ok(ratioAfterStep(boundedRatioSurrogate, 1.6, 1) < 1.6, "bpo moves ρ back towards 1.28");
    assert.ok(ratioAfterStep(boundedRatioSurrogate, 1.0, 1) > 1.0, "and up towards it from below");
  });
});

describe("mirror descent policy optimization (mdpo)", () => {
  test("hand-computed: −ρA + (1/t)(ρ log ρ − ρ + 1) with 1/t = 3", () => {
    const e = Math.E;
    const want = [-1, -e + 3, 0.5 + 3 * (0.5 * Math.log(0.5) - 0.5 + 1)];
    const b = batch([1, e, 0.5], [1, 1, -1]);
    const { stats } = policyLossAndGrad(uniformScorer(), b, config(), mirrorDescentSurrogate);
    close(stats.loss, (want[0] + want[1] + want[2]) / 3, 1e-5, "loss");
  });

  test("property: at ρ = 1 the gradient is the plain policy gradient; far beyond, it restores", () => {
    const at1 = liveBatch(1, 1);
    const g = policyLossAndGrad(at1.scorer, at1.b, config(), mirrorDescentSurrogate).grad;
    const pg = policyLossAndGrad(at1.scorer, at1.b, config(), clippedSurrogate).grad;
    for (let i = 0; i < g.length; i++) close(g[i], pg[i], 1e-5, `grad[${i}]`);
    // per-sample optimum ρ* = exp(A·t) = e^(1/3) ≈ 1.40: from ρ = 3 a step lowers ρ
    assert.ok(ratioAfterStep(mirrorDescentSurrogate, 3, 1) < 3);
  });
});
