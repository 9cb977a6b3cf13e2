/** Small statistics on numeric arrays, used by metrics and reports. */

/** Arithmetic mean; NaN for an empty array. @example mean([1, 2, 3]) // 2 */
export function mean(xs: ArrayLike<number>): number {
  if (xs.length === 0) return Number.NaN;
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / xs.length;
}

/** Population standard deviation; NaN for an empty array. @example std([1, 3]) // 1 */
export function std(xs: ArrayLike<number>): number {
  if (xs.length === 0) return Number.NaN;
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i] - m) ** 2;
  return Math.sqrt(s / xs.length);
}

/**
 * Gini coefficient of non-negative values (0 = all equal, → 1 = one holds everything).
 * Negative values are shifted so the minimum is 0 (incomes here are rewards and may be negative).
 * @example gini([1, 1, 1]) // 0
 * @example gini([0, 0, 0, 4]) // 0.75
 */
export function gini(xs: ArrayLike<number>): number {
  const n = xs.length;
  if (n === 0) return Number.NaN;
  const v = Float64Array.from(xs).sort();
  const shift = v[0] < 0 ? -v[0] : 0;
  let cum = 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) {
    const x = v[i] + shift;
    cum += x;
    weighted += (i + 1) * x;
  }
  if (cum === 0) return 0;
  return (2 * weighted) / (n * cum) - (n + 1) / n;
}

/** Percentile by linear interpolation, p in [0, 100]. @example percentile([1, 2, 3, 4], 50) // 2.5 */
export function percentile(xs: ArrayLike<number>, p: number): number {
  if (xs.length === 0) return Number.NaN;
  const v = Float64Array.from(xs).sort();
  const pos = (p / 100) * (v.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return v[lo] + (v[hi] - v[lo]) * (pos - lo);
}

/**
 * Mean and half-width of the 95% confidence interval (Student t) of a small sample.
 * @example meanCi95([1, 2, 3]) // { mean: 2, half: 2.484…, n: 3 }
 */
export function meanCi95(xs: ArrayLike<number>): { mean: number; half: number; n: number } {
  const n = xs.length;
  const m = mean(xs);
  if (n < 2) return { mean: m, half: Number.NaN, n };
  let s = 0;
  for (let i = 0; i < n; i++) s += (xs[i] - m) ** 2;
  const sd = Math.sqrt(s / (n - 1));
  return { mean: m, half: tCritical95(n - 1) * (sd / Math.sqrt(n)), n };
}

/** Two-sided 95% Student t critical value for `df` degrees of freedom. */
function tCritical95(df: number): number {
  const table = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228];
  if (df <= table.length) return table[df - 1];
  if (df <= 30) return 2.042 + (2.228 - 2.042) * ((30 - df) / 20);
  return 1.96;
}
