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
 * Explained variance of predictions y for targets t: 1 − Var(t − y) / Var(t) (CleanRL's
 * `explained_var` of a critic's values against its returns): 1 = perfect, 0 = no better than the
 * mean, negative = worse; NaN when the targets do not vary or there are none.
 * @example explainedVariance([1, 2, 3], [1, 2, 4]) // 1 − Var([0, 0, 1]) / Var([1, 2, 4]) = 1 − (2/9)/(14/9) = 0.857…
 */
export function explainedVariance(y: ArrayLike<number>, t: ArrayLike<number>): number {
  if (y.length !== t.length) throw new RangeError("explainedVariance: y and t differ in length");
  const varT = std(t) ** 2;
  if (!(varT > 0)) return Number.NaN;
  const residual = Float64Array.from(t, (ti, i) => ti - y[i]);
  return 1 - std(residual) ** 2 / varT;
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
  return { mean: m, half: tCritical(n - 1) * (sd / Math.sqrt(n)), n };
}

/**
 * Two-sided Student t critical value: the t with P(|T| < t) = `coverage` for `df` degrees of
 * freedom (integer df ≥ 1), exact to double precision — bisection on the closed-form t
 * distribution for integer df (Abramowitz & Stegun 26.7.3–4), no table, no interpolation.
 * @example tCritical(2, 0.95) // 4.302652…
 */
export function tCritical(df: number, coverage = 0.95): number {
  if (!(Number.isInteger(df) && df >= 1))
    throw new RangeError(`df must be an integer ≥ 1 (got ${df})`);
  if (!(coverage > 0 && coverage < 1))
    throw new RangeError(`coverage must be in (0, 1) (got ${coverage})`);
  let lo = 0;
  let hi = 1;
  while (tCoverage(hi, df) < coverage) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (tCoverage(mid, df) < coverage) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** P(|T| < t) for Student's t with integer `df` (A&S 26.7.3 odd df, 26.7.4 even df). */
export function tCoverage(t: number, df: number): number {
  const theta = Math.atan(t / Math.sqrt(df));
  const c2 = Math.cos(theta) ** 2;
  const odd = df % 2 === 1;
  let term = odd ? Math.cos(theta) : 1;
  let sum = odd && df === 1 ? 0 : term;
  for (let k = odd ? 3 : 2; k <= df - 2; k += 2) {
    term *= (c2 * (k - 1)) / k;
    sum += term;
  }
  const s = Math.sin(theta) * sum;
  return odd ? (2 / Math.PI) * (theta + s) : s;
}
