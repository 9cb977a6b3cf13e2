/**
 * Per-sample policy surrogates beyond PPO's clipped ratio (the `surrogate` piece of a recipe;
 * `clippedSurrogate` is in objectives.ts). Each is a function of the ratio ρ = π_θ(a)/π_b(a), the
 * advantage A and the coefficients (clip bounds, the decision's group spread, named constants
 * from the training config: `surrogateParams`). Lower is better; the loss averages them.
 * The training config's `surrogate` key puts any of them on any recipe (SURROGATES below).
 */
import { type Tensor, ops as t } from "../nn/index.ts";
import { clippedSurrogate, type Surrogate } from "./objectives.ts";

/** The training config's constants the surrogates read (train-config.ts has the defaults). */
export interface SurrogateSettings {
  /** ETR: how far |A| widens the clip range (micro elasticity α). */
  etrMicro: number;
  /** ETR: how far the group's spread widens it (macro elasticity β). */
  etrMacro: number;
  /** BPO: temperature T of the sigmoid that picks the target ratio. */
  bpoTemperature: number;
  /** MDPO: weight 1/t of the KL proximity term. */
  mdpoKlCoef: number;
}

/** The named scalars every surrogate may read as `c.params[name]`. */
export function surrogateParams(s: SurrogateSettings): Record<string, number> {
  return {
    etrMicro: s.etrMicro,
    etrMacro: s.etrMacro,
    bpoTemperature: s.bpoTemperature,
    mdpoKlCoef: s.mdpoKlCoef,
  };
}

/**
 * Elastic Trust Regions (Zhang et al., "ETR: Outcome-Guided Elastic Trust Regions for Policy
 * Optimization", arXiv:2601.03723, 2026): PPO's clipped surrogate with per-sample bounds that
 * widen with the advantage's magnitude (micro: confident signals move further) and with the
 * group's spread (macro: a group whose members disagree carries more information):
 *
 *   L = −min(ρA, clip(ρ, 1 − ε_low·e, 1 + ε_high·e)·A),   e = (1 + α·|A|/(1 + |A|))·(1 + β·s)
 *
 * s ∈ [0, 1] is the group's reward (or return) std over the largest group std of the episode
 * (`groupSpread`, baselines.ts); 0 for estimators without groups (IPPO/MAPPO: micro term only).
 * The paper gives the two directions, not (in what we read) these exact forms: the saturating
 * |A|/(1 + |A|) (so one extreme advantage cannot open the region without bound) and the
 * linear macro factor are our choices; α = `etrMicro` and β = `etrMacro` (default 0.5 each:
 * at most 2.25× the base range). The lower bound never goes below ρ = 0.
 *
 * @example
 * // ρ = 1.5, A = 1, s = 1, α = β = 0.5, ε_high = 0.28: e = 1.25·1.5 = 1.875 → bound 1.525 → −1.5
 */
export const elasticSurrogate: Surrogate = (ratio, adv, c) => {
  const magnitude = t.abs(adv);
  const micro = t.add(1, t.mul(c.params.etrMicro, t.div(magnitude, t.add(1, magnitude))));
  const macro = t.add(1, t.mul(c.params.etrMacro, c.groupSpread));
  const e = t.mul(micro, macro);
  const low = t.maximum(t.sub(1, t.mul(c.clipLow, e)), 0);
  const high = t.add(1, t.mul(c.clipHigh, e));
  return t.neg(t.minimum(t.mul(ratio, adv), t.mul(t.clip(ratio, low, high), adv)));
};

/**
 * Bounded Policy Optimization, group-relative form GBPO (Ao et al., "Bounded Ratio
 * Reinforcement Learning", arXiv:2604.18578, 2026; the authors' code, bounded-ratio-rl/
 * bounded_ratio_rl, README "Using GBPO"). The ratio-bounded trust-region problem
 * max E[ρA] s.t. 1 − ε ≤ ρ ≤ 1 + ε has the analytic optimum ρ* = 1 + ε·sign(Q − median Q): every
 * action above the state's median value takes the upper bound, every one below the lower.
 * BPO minimises the advantage-weighted distance to it instead of clipping:
 *
 *   L = |A| · |ρ − ρ*|,   ρ* = 1 − ε_low + (ε_low + ε_high)·σ(A / T)
 *
 * σ is the logistic function; a small temperature T (`bpoTemperature`, default 1e-4 as in the
 * authors' GBPO) makes it the sign. The sign must be taken against the group's MEDIAN, so the
 * `bpo` recipe uses the median-centred baseline; on a mean-centred advantage (e.g. `--algo
 * ospo` with `surrogate: bpo`) it is the sign against the mean. We weight by the same
 * advantage (GBPO weights by GRPO's advantage but takes the sign from the median: one advantage
 * per decision here). ε_low, ε_high are the config's clipLow/clipHigh (the authors' GBPO: 0.3).
 * Unlike the clip, the loss pulls ρ back when it overshoots ρ*.
 *
 * @example
 * // A = 2, ρ = 1, ε = 0.2/0.28: ρ* = 1.28 → 2·0.28 = 0.56; A = −1, ρ = 1: ρ* = 0.8 → 0.2
 */
export const boundedRatioSurrogate: Surrogate = (ratio, adv, c) => {
  const gate = sigmoid(t.div(adv, c.params.bpoTemperature));
  const target = t.add(t.sub(1, c.clipLow), t.mul(t.add(c.clipLow, c.clipHigh), gate));
  return t.mul(t.abs(adv), t.abs(t.sub(ratio, target)));
};

/**
 * On-policy Mirror Descent Policy Optimization (Tomar, Shani, Efroni & Ghavamzadeh, "Mirror
 * Descent Policy Optimization", ICLR 2022, arXiv:2005.09814): each update approximately solves
 * max_π E[ρA] − (1/t)·KL(π ‖ π_k) by several gradient steps on the linearised objective, with no
 * clipping; π_k is the policy that collected the episode (the behaviour policy). Only the taken
 * action's log-probability is stored, so the KL is estimated from the behaviour samples with the
 * non-negative f-divergence form KL(π‖π_k) = E_{a∼π_k}[ρ log ρ − ρ + 1]:
 *
 *   L = −ρA + (1/t)·(ρ log ρ − ρ + 1)
 *
 * Per sample the optimum is ρ = exp(A·t): the proximity term is what bounds the step. The paper
 * anneals t over training; we keep 1/t = `mdpoKlCoef` fixed (default 3: ρ* = e^{±1/3} ≈ 1.40 /
 * 0.72 at |A| = 1, near PPO's region), and the "several steps" are the episode's
 * `updatesPerEpisode` minibatch steps.
 *
 * @example
 * // ρ = 1: L = −A (the KL term and its gradient vanish at ρ = 1); ρ = e, A = 1, 1/t = 3: −e + 3
 */
export const mirrorDescentSurrogate: Surrogate = (ratio, adv, c) => {
  const kl = t.add(t.sub(t.mul(ratio, t.log(ratio)), ratio), 1);
  return t.add(t.neg(t.mul(ratio, adv)), t.mul(c.params.mdpoKlCoef, kl));
};

/** 1/(1 + e^(−x)), its argument clamped so that exp never overflows to ∞. */
function sigmoid(x: Tensor): Tensor {
  return t.div(1, t.add(1, t.exp(t.neg(t.clip(x, -50, 50)))));
}

/** The surrogates by the names the training config's `surrogate` key uses. */
export const SURROGATES = {
  clip: clippedSurrogate,
  etr: elasticSurrogate,
  bpo: boundedRatioSurrogate,
  mdpo: mirrorDescentSurrogate,
} as const satisfies Record<string, Surrogate>;
export type SurrogateName = keyof typeof SURROGATES;
export const SURROGATE_NAMES = Object.keys(SURROGATES) as [SurrogateName, ...SurrogateName[]];
