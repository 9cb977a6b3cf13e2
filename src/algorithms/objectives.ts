/**
 * Policy and value objectives as small composable pieces on the nn/ Tensor facade. The policy
 * loss (OSPO / GRPO / PPO) per sample i with ratio ρ = π_θ(a)/π_behaviour(a) and advantage A:
 *
 *   L = −min(ρA, clip(ρ, 1−ε_low, 1+ε_high)·A) + β·KL_k(π_θ ‖ π_ref) − c_H·H(π_θ(·|s))
 *
 * averaged over the minibatch. A variant (bounded ratio, elastic clip, …) is one `Surrogate`
 * function passed to `policyLossAndGrad`; advantage variants live in advantages.ts.
 */
import {
  type HostTensor,
  type LossFn,
  lossAndGrad,
  type Mlp,
  type Tensor,
  ops as t,
} from "../nn/index.ts";

/**
 * Estimators of KL(π_θ ‖ π_ref) per decision: Schulman's k1 / k2 / k3 at the taken action, the
 * exact sum over the decision's candidates ("full"), or that sum divided by the number of
 * candidates ("mean", OSPO's published kl_mode 2).
 */
export type KlEstimator = "k1" | "k2" | "k3" | "full" | "mean";

export interface PolicyObjectiveConfig {
  /** ε_low: the ratio is clipped below at 1 − clipLow. */
  clipLow: number;
  /** ε_high: the ratio is clipped above at 1 + clipHigh. */
  clipHigh: number;
  /** β, weight of the KL penalty to the reference policy (needs `refLogProb` when > 0). */
  klCoef: number;
  /** Estimator of KL(π_θ ‖ π_ref) (k1/k2/k3 at the taken action, the full sum, or its mean). */
  klEstimator: KlEstimator;
  /** c_H, weight of the entropy bonus. */
  entropyCoef: number;
  /** Named constants of the surrogate (e.g. ETR's elasticities, surrogates.ts); none by default. */
  params?: Readonly<Record<string, number>>;
}

/** OSPO's published defaults (DESIGN §3); β starts at 0 and is raised by the trainer. */
export const OSPO_OBJECTIVE: PolicyObjectiveConfig = {
  clipLow: 0.2,
  clipHigh: 0.28,
  klCoef: 0,
  klEstimator: "k3",
  entropyCoef: 0.05,
};

/** Coefficients as tensors, so changing them (e.g. adaptive β) reuses the compiled loss. */
export interface Coefficients {
  clipLow: Tensor;
  clipHigh: Tensor;
  klCoef: Tensor;
  entropyCoef: Tensor;
  /** [B]: the decision's group spread in [0, 1] (PolicyBatch.groupSpread; 0 when not given). */
  groupSpread: Tensor;
  /** The scalar tensors of PolicyObjectiveConfig.params, by name. */
  params: Record<string, Tensor>;
}

/** Per-sample surrogate loss from ratio and advantage (lower is better). */
export type Surrogate = (ratio: Tensor, advantage: Tensor, c: Coefficients) => Tensor;

// ---- pieces ----

/** PPO's clipped surrogate with separate low/high clip: −min(ρA, clip(ρ, 1−ε_low, 1+ε_high)A). */
export const clippedSurrogate: Surrogate = (ratio, adv, c) =>
  t.neg(
    t.minimum(
      t.mul(ratio, adv),
      t.mul(t.clip(ratio, t.sub(1, c.clipLow), t.add(1, c.clipHigh)), adv),
    ),
  );

/** 1 where the ratio lies outside [1−ε_low, 1+ε_high] (the clip is active for some sign of A). */
export function clipIndicator(ratio: Tensor, c: Coefficients): Tensor {
  const outside = t.add(
    t.asFloat(t.less(ratio, t.sub(1, c.clipLow))),
    t.asFloat(t.greater(ratio, t.add(1, c.clipHigh))),
  );
  return outside;
}

/**
 * Schulman's estimators of KL(π_θ ‖ π_ref) at an action, from log r = log π_ref(a) − log π_θ(a):
 * k1 = −log r, k2 = ½(log r)², k3 = (r − 1) − log r.
 */
export function klAtAction(
  logProb: Tensor,
  refLogProb: Tensor,
  estimator: "k1" | "k2" | "k3",
): Tensor {
  const logR = t.sub(refLogProb, logProb);
  if (estimator === "k1") return t.neg(logR);
  if (estimator === "k2") return t.mul(0.5, t.square(logR));
  return t.sub(t.sub(t.exp(logR), 1), logR);
}

/** Exact KL(π_θ ‖ π_ref) over each row's candidates: Σ_k π(k)(log π(k) − log π_ref(k)). */
export function klFull(logProbs: Tensor, refLogProbs: Tensor, mask: Tensor): Tensor {
  return t.sum(t.mul(t.mul(t.exp(logProbs), t.sub(logProbs, refLogProbs)), mask), -1);
}

/**
 * The exact KL over each row's candidates divided by their number K_i (the unmasked slots):
 * (1/K_i)·Σ_k π(k)(log π(k) − log π_ref(k)). This is OSPO's published estimator (Worker.train,
 * kl_mode 2, the default of train.py: `(current_p * (log current_p − log old_p)).mean()` over the
 * candidates of one decision). At equal klTarget it is K_i times more lenient than klFull.
 *
 * @example
 * // π = [1/4, 1/4, 1/4, 1/4], π_ref = [1/2, 1/4, 1/8, 1/8]: klFull = ¼·log 2, klMean = log 2 / 16
 */
export function klMean(logProbs: Tensor, refLogProbs: Tensor, mask: Tensor): Tensor {
  // max(K_i, 1): padding rows (no candidate) have KL 0 and must not turn into 0/0.
  return t.div(klFull(logProbs, refLogProbs, mask), t.maximum(t.sum(mask, -1), 1));
}

/** Entropy of each row's candidate distribution: −Σ_k π(k) log π(k) over unmasked k. */
export function candidateEntropy(logProbs: Tensor, mask: Tensor): Tensor {
  return t.neg(t.sum(t.mul(t.mul(t.exp(logProbs), logProbs), mask), -1));
}

/** Log-probability of each row's chosen candidate (actionOneHot [B, K]). */
export function actionLogProb(logProbs: Tensor, actionOneHot: Tensor): Tensor {
  return t.sum(t.mul(logProbs, actionOneHot), -1);
}

/** Σ x·w / Σ w (w marks real samples in a padded minibatch). */
export function weightedMean(x: Tensor, w: Tensor): Tensor {
  return t.div(t.sum(t.mul(x, w)), t.sum(w));
}

// ---- the policy loss ----

/** One minibatch of decisions, candidates padded to `candidates` per row. */
export interface PolicyBatch {
  /** B: number of decisions (vehicles that acted). */
  size: number;
  /** K: candidate slots per decision (including a "pass" slot if the environment has one). */
  candidates: number;
  /** F: features per (decision, candidate) pair. */
  featureDim: number;
  /** [B, K, F] row-major. */
  features: Float32Array;
  /** [B, K], non-zero for real candidates. */
  mask: ArrayLike<number>;
  /** [B] index of the taken candidate. */
  action: Int32Array;
  /** [B] log π_behaviour(a) stored at collection time. */
  behaviourLogProb: Float32Array;
  /** [B] advantages. */
  advantage: Float32Array;
  /** [B, K] log π_ref of every candidate (e.g. PairScorer.policy(...).logProbs); needed when klCoef > 0. */
  refLogProb?: Float32Array;
  /** [B] the decisions' group spread in [0, 1] (Advantages.groupSpread); omitted = 0. */
  groupSpread?: Float32Array;
}

export interface PolicyStats {
  loss: number;
  /** Mean ρ. */
  meanRatio: number;
  /** Fraction of samples with ρ outside the clip range. */
  clipFraction: number;
  /** k3 estimate of KL(π_behaviour ‖ π_θ) (PPO's approx_kl: mean of (ρ − 1) − log ρ). */
  approxKl: number;
  /** The configured estimate of KL(π_θ ‖ π_ref); NaN without refLogProb. */
  refKl: number;
  /** Mean entropy of the candidate distributions. */
  entropy: number;
}

/** Rows are padded to a multiple of this (see `paddedCandidates` for the candidate axis). */
const ROW_PAD = 64;

/**
 * The candidate axis's padded length: the smallest of 8, 12, 16, 24, 32, 48, … (2ⁿ and 1.5·2ⁿ)
 * that holds K. The loss is compiled once per shape (~1 s each), so a few sizes per octave must
 * serve every minibatch — with every pending order a candidate, K ranges over hundreds — at most
 * 1.5× padding.
 *
 * @example
 * paddedCandidates(5); // 8
 * paddedCandidates(100); // 128
 * paddedCandidates(300); // 384
 */
export function paddedCandidates(k: number): number {
  let size = 8;
  while (size < k) size = Number.isInteger(Math.log2(size)) ? size * 1.5 : (size / 1.5) * 2;
  return size;
}

const lossFns = new Map<Surrogate, Map<string, LossFn>>();

function policyLossFn(
  surrogate: Surrogate,
  estimator: KlEstimator,
  withRef: boolean,
  paramNames: readonly string[],
): LossFn {
  let bySurrogate = lossFns.get(surrogate);
  if (!bySurrogate) lossFns.set(surrogate, (bySurrogate = new Map()));
  const key = `${estimator}:${withRef}:${paramNames.join(",")}`;
  let fn = bySurrogate.get(key);
  if (fn) return fn;
  fn = (net, x) => {
    const [b, k] = t.shape(x.mask);
    const logits = t.reshape(net(x.features), [b, k]);
    const c: Coefficients = {
      clipLow: x.clipLow,
      clipHigh: x.clipHigh,
      klCoef: x.klCoef,
      entropyCoef: x.entropyCoef,
      groupSpread: x.groupSpread,
      params: Object.fromEntries(paramNames.map((n) => [n, x[`param.${n}`]])),
    };
    const logProbs = t.maskedLogSoftmax(logits, x.mask);
    const logProb = actionLogProb(logProbs, x.actionOneHot);
    const logRatio = t.sub(logProb, x.behaviourLogProb);
    const ratio = t.exp(logRatio);
    const w = x.valid;
    const surrogateLoss = weightedMean(surrogate(ratio, x.advantage, c), w);
    const entropy = weightedMean(candidateEntropy(logProbs, x.mask), w);
    let loss = t.sub(surrogateLoss, t.mul(c.entropyCoef, entropy));
    const aux: Record<string, Tensor> = {
      meanRatio: weightedMean(ratio, w),
      clipFraction: weightedMean(clipIndicator(ratio, c), w),
      approxKl: weightedMean(t.sub(t.sub(ratio, 1), logRatio), w),
      entropy,
    };
    if (withRef) {
      const kl =
        estimator === "full"
          ? klFull(logProbs, x.refLogProbs, x.mask)
          : estimator === "mean"
            ? klMean(logProbs, x.refLogProbs, x.mask)
            : klAtAction(logProb, actionLogProb(x.refLogProbs, x.actionOneHot), estimator);
      aux.refKl = weightedMean(kl, w);
      loss = t.add(loss, t.mul(c.klCoef, aux.refKl));
    }
    return { loss, aux };
  };
  bySurrogate.set(key, fn);
  return fn;
}

/**
 * Loss, diagnostics and gradient (flat, the layout of `policy.params`) of the policy objective on
 * one minibatch. Pure: `policy` is not modified.
 *
 * @example
 * const { stats, grad } = policyLossAndGrad(scorer, batch, OSPO_OBJECTIVE);
 * clipGradNorm(grad, 1.0); adam.step(scorer.params, grad);
 */
export function policyLossAndGrad(
  policy: Mlp,
  batch: PolicyBatch,
  config: PolicyObjectiveConfig,
  surrogate: Surrogate = clippedSurrogate,
): { stats: PolicyStats; grad: Float32Array } {
  checkPolicyBatch(batch, policy.config.inputDim);
  if (config.klCoef > 0 && !batch.refLogProb)
    throw new RangeError("policyLossAndGrad: klCoef > 0 needs batch.refLogProb");
  const { size: B, candidates: K, featureDim: F } = batch;
  const Bp = Math.ceil(B / ROW_PAD) * ROW_PAD;
  const Kp = paddedCandidates(K);
  const features = new Float32Array(Bp * Kp * F);
  const mask = new Float32Array(Bp * Kp);
  const oneHot = new Float32Array(Bp * Kp);
  const refLogProbs = batch.refLogProb ? new Float32Array(Bp * Kp) : undefined;
  const valid = new Float32Array(Bp);
  const behaviour = new Float32Array(Bp);
  const advantage = new Float32Array(Bp);
  const spread = new Float32Array(Bp);
  if (batch.groupSpread) spread.set(batch.groupSpread);
  for (let i = 0; i < B; i++) {
    features.set(batch.features.subarray(i * K * F, (i + 1) * K * F), i * Kp * F);
    for (let j = 0; j < K; j++) {
      const m = batch.mask[i * K + j] ? 1 : 0;
      mask[i * Kp + j] = m;
      if (refLogProbs && m) refLogProbs[i * Kp + j] = batch.refLogProb![i * K + j];
    }
    oneHot[i * Kp + batch.action[i]] = 1;
    valid[i] = 1;
    behaviour[i] = batch.behaviourLogProb[i];
    advantage[i] = batch.advantage[i];
  }
  const scalar = (v: number): HostTensor => ({ data: new Float32Array([v]), shape: [] });
  const inputs: Record<string, HostTensor> = {
    features: { data: features, shape: [Bp * Kp, F] },
    mask: { data: mask, shape: [Bp, Kp] },
    actionOneHot: { data: oneHot, shape: [Bp, Kp] },
    behaviourLogProb: { data: behaviour, shape: [Bp] },
    advantage: { data: advantage, shape: [Bp] },
    groupSpread: { data: spread, shape: [Bp] },
    valid: { data: valid, shape: [Bp] },
    clipLow: scalar(config.clipLow),
    clipHigh: scalar(config.clipHigh),
    klCoef: scalar(config.klCoef),
    entropyCoef: scalar(config.entropyCoef),
  };
  const paramNames = Object.keys(config.params ?? {}).sort();
  for (const n of paramNames) inputs[`param.${n}`] = scalar(config.params![n]);
  if (refLogProbs) inputs.refLogProbs = { data: refLogProbs, shape: [Bp, Kp] };
  const lossFn = policyLossFn(surrogate, config.klEstimator, refLogProbs !== undefined, paramNames);
  const { loss, aux, grad } = lossAndGrad(policy.config, policy.params, inputs, lossFn);
  return {
    stats: {
      loss,
      meanRatio: aux.meanRatio,
      clipFraction: aux.clipFraction,
      approxKl: aux.approxKl,
      refKl: aux.refKl ?? Number.NaN,
      entropy: aux.entropy,
    },
    grad,
  };
}

function checkPolicyBatch(b: PolicyBatch, inputDim: number): void {
  const { size: B, candidates: K, featureDim: F } = b;
  const need = (what: string, len: number, want: number) => {
    if (len !== want)
      throw new RangeError(`PolicyBatch.${what}: expected ${want} values, got ${len}`);
  };
  if (!(B > 0 && K > 0))
    throw new RangeError(`PolicyBatch needs size > 0 and candidates > 0 (got ${B}, ${K})`);
  if (F !== inputDim)
    throw new RangeError(
      `PolicyBatch.featureDim ${F} does not match the network input ${inputDim}`,
    );
  need("features", b.features.length, B * K * F);
  need("mask", b.mask.length, B * K);
  need("action", b.action.length, B);
  need("behaviourLogProb", b.behaviourLogProb.length, B);
  need("advantage", b.advantage.length, B);
  if (b.groupSpread) need("groupSpread", b.groupSpread.length, B);
  if (b.refLogProb) need("refLogProb", b.refLogProb.length, B * K);
  for (let i = 0; i < B; i++) {
    const a = b.action[i];
    if (!(a >= 0 && a < K) || !b.mask[i * K + a])
      throw new RangeError(`PolicyBatch.action[${i}] = ${a} is not an unmasked candidate`);
  }
}

// ---- the value loss ----

export interface ValueBatch {
  size: number;
  stateDim: number;
  /** [N, D] row-major. */
  states: Float32Array;
  /** [N] regression targets (returns). */
  returns: Float32Array;
  /** [N] values at collection time; needed for value clipping. */
  oldValues?: Float32Array;
}

export interface ValueObjectiveConfig {
  /** PPO-style value clipping: the new value may move at most this far from oldValues (omit for none). */
  valueClip?: number;
}

export interface ValueStats {
  loss: number;
  meanValue: number;
}

const valueLossFns = new Map<boolean, LossFn>();

/** ½ mean (V − R)²; with clipping ½ mean max((V − R)², (clip(V, V_old ± ε) − R)²). */
function valueLossFn(clipped: boolean): LossFn {
  let fn = valueLossFns.get(clipped);
  if (fn) return fn;
  fn = (net, x) => {
    const [n] = t.shape(x.returns);
    const v = t.reshape(net(x.states), [n]);
    let err = t.square(t.sub(v, x.returns));
    if (clipped) {
      const vClip = t.clip(v, t.sub(x.oldValues, x.valueClip), t.add(x.oldValues, x.valueClip));
      err = t.maximum(err, t.square(t.sub(vClip, x.returns)));
    }
    return {
      loss: t.mul(0.5, weightedMean(err, x.valid)),
      aux: { meanValue: weightedMean(v, x.valid) },
    };
  };
  valueLossFns.set(clipped, fn);
  return fn;
}

/** Loss, diagnostics and flat gradient of the critic's regression loss on one minibatch. */
export function valueLossAndGrad(
  critic: Mlp,
  batch: ValueBatch,
  config: ValueObjectiveConfig = {},
): { stats: ValueStats; grad: Float32Array } {
  const { size: N, stateDim: D } = batch;
  if (D !== critic.config.inputDim)
    throw new RangeError(
      `ValueBatch.stateDim ${D} does not match the network input ${critic.config.inputDim}`,
    );
  if (batch.states.length !== N * D || batch.returns.length !== N)
    throw new RangeError(`ValueBatch: expected ${N * D} state values and ${N} returns`);
  const clipped = config.valueClip !== undefined;
  if (clipped && batch.oldValues?.length !== N)
    throw new RangeError("ValueBatch.oldValues ([N]) is needed for value clipping");
  const Np = Math.ceil(N / ROW_PAD) * ROW_PAD;
  const pad = (src: Float32Array, len: number) => {
    const out = new Float32Array(len);
    out.set(src);
    return out;
  };
  const valid = new Float32Array(Np).fill(1, 0, N);
  const inputs: Record<string, HostTensor> = {
    states: { data: pad(batch.states, Np * D), shape: [Np, D] },
    returns: { data: pad(batch.returns, Np), shape: [Np] },
    valid: { data: valid, shape: [Np] },
  };
  if (clipped) {
    inputs.oldValues = { data: pad(batch.oldValues!, Np), shape: [Np] };
    inputs.valueClip = { data: new Float32Array([config.valueClip!]), shape: [] };
  }
  const { loss, aux, grad } = lossAndGrad(
    critic.config,
    critic.params,
    inputs,
    valueLossFn(clipped),
  );
  return { stats: { loss, meanValue: aux.meanValue }, grad };
}
