/**
 * Group baselines: how a critic-free estimator turns ONE group's values — the rewards of the
 * vehicles matched in one epoch (OSPO), the returns of the decisions of one step or one episode's
 * rewards (GRPO) — into advantages. The estimators in advantages.ts take one as their `baseline`
 * option; the training config picks it by name (`baseline`, BASELINES below).
 *
 * Plain float64 arithmetic on typed arrays, population statistics (divide by n), as in
 * advantages.ts.
 */

/** Normalises one group's values: out[j] is the advantage of values[j]. */
export type GroupNormalizer = (values: Float64Array, eps: number) => Float64Array;

/**
 * GRPO's baseline: A_j = (x_j − mean x) / (std x + eps). The arithmetic (summation order, `** 2`)
 * is the one the estimators used before baselines were pieces, so results are bit-identical.
 *
 * @example
 * meanStd(Float64Array.of(1, 3), 1e-8); // ≈ [−1, 1]
 */
export const meanStd: GroupNormalizer = (values, eps) => {
  const n = values.length;
  let sum = 0;
  for (let j = 0; j < n; j++) sum += values[j];
  const mean = sum / n;
  let sq = 0;
  for (let j = 0; j < n; j++) sq += (values[j] - mean) ** 2;
  const std = Math.sqrt(sq / n);
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) out[j] = (values[j] - mean) / (std + eps);
  return out;
};

/** 1/Φ⁻¹(3/4): MAD × this estimates σ for normal data, so advantages keep GRPO's scale. */
const MAD_TO_STD = 1.4826;
/** √(π/2): the mean absolute deviation × this estimates σ for normal data. */
const MEAN_ABS_TO_STD = 1.2533;

/**
 * MC-GRPO's median-centred baseline (Kim, "MC-GRPO: Median-Centered Group Relative Policy
 * Optimization for Small-Rollout Reinforcement Learning", arXiv:2601.22582, 2026):
 *
 *   A_j = (x_j − med x) / (s + eps),   s = 1.4826 · med_j |x_j − med x|   (the scaled MAD)
 *
 * The median is robust to one outlier where the mean is not: raising the largest value moves
 * neither the median nor the MAD, so every other advantage stays the same. In an odd group the
 * median is a sample (the pivot): its advantage is exactly 0, so it contributes no policy
 * gradient (the paper excludes it from backpropagation; with A = 0 our surrogates give it none).
 * An even group's median is the mean of the two middle values and has no pivot. Our choices
 * (the paper's scale is not stated in what we read): the MAD, scaled to σ of normal data;
 * when more than half the group is equal (MAD 0, common with discrete rewards) the mean absolute
 * deviation from the median × 1.2533 instead; all-equal groups get 0.
 *
 * @example
 * medianCentred(Float64Array.of(1, 2, 3, 4, 10), 1e-8); // med 3, MAD 1 → [−2, −1, 0, 1, 7] / 1.4826
 */
export const medianCentred: GroupNormalizer = (values, eps) => {
  const n = values.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  const med = median(values);
  const dev = new Float64Array(n);
  for (let j = 0; j < n; j++) dev[j] = Math.abs(values[j] - med);
  let scale = MAD_TO_STD * median(dev);
  if (scale === 0) scale = (MEAN_ABS_TO_STD * dev.reduce((s, d) => s + d, 0)) / n;
  if (scale === 0) return out;
  for (let j = 0; j < n; j++) out[j] = (values[j] - med) / (scale + eps);
  return out;
};

/** The baselines by the names the training config uses. */
export const BASELINES = { mean: meanStd, median: medianCentred } as const;
export type BaselineName = keyof typeof BASELINES;
export const BASELINE_NAMES = Object.keys(BASELINES) as [BaselineName, ...BaselineName[]];

/** The median (mean of the two middle values when n is even); NaN for an empty array. */
export function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = n >> 1;
  return n % 2 === 1 ? sorted[h] : (sorted[h - 1] + sorted[h]) / 2;
}

/**
 * Apply `normalize` to each group of `values` (groups = equal `keys`, members in index order)
 * and return the advantages aligned with the input.
 *
 * @example
 * normalizeByGroup(Int32Array.of(0, 1, 0), Float64Array.of(1, 5, 3), meanStd, 1e-8); // ≈ [−1, 0, 1]
 */
export function normalizeByGroup(
  keys: Int32Array,
  values: ArrayLike<number>,
  normalize: GroupNormalizer,
  eps: number,
): Float64Array {
  const out = new Float64Array(keys.length);
  for (const members of groupMembers(keys)) {
    const normalized = normalize(
      Float64Array.from(members, (k) => values[k]),
      eps,
    );
    members.forEach((k, j) => {
      out[k] = normalized[j];
    });
  }
  return out;
}

/**
 * Per sample, its group's population std of `values` divided by the largest group std of the
 * input (0 when every group is constant): a unit-free "how much does this group disagree" in
 * [0, 1], what Elastic Trust Regions widen the clip range with (surrogates.ts).
 *
 * @example
 * groupSpread(Int32Array.of(0, 0, 1, 1), Float64Array.of(0, 2, 0, 4)); // stds 1 and 2 → [0.5, 0.5, 1, 1]
 */
export function groupSpread(keys: Int32Array, values: ArrayLike<number>): Float32Array {
  const out = new Float32Array(keys.length);
  const groups = groupMembers(keys);
  const stds = groups.map((members) => {
    const x = Float64Array.from(members, (k) => values[k]);
    const mean = x.reduce((s, v) => s + v, 0) / x.length;
    return Math.sqrt(x.reduce((s, v) => s + (v - mean) ** 2, 0) / x.length);
  });
  const top = Math.max(0, ...stds);
  if (top === 0) return out;
  groups.forEach((members, g) => {
    for (const k of members) out[k] = stds[g] / top;
  });
  return out;
}

/** Sample indices grouped by key, groups in order of first appearance, members ascending. */
function groupMembers(keys: Int32Array): number[][] {
  const byKey = new Map<number, number[]>();
  for (let k = 0; k < keys.length; k++) {
    const members = byKey.get(keys[k]);
    if (members) members.push(k);
    else byKey.set(keys[k], [k]);
  }
  return [...byKey.values()];
}
