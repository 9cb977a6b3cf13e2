/** Linear scales and "nice" axis ticks for the report's charts. */

export interface LinearScale {
  (value: number): number;
  domain: [number, number];
  ticks: number[];
}

/**
 * Map `domain` onto `range` linearly, after widening the domain to nice tick values.
 * A zero-width domain is widened around its value so a flat series still draws.
 * @example
 * const y = linearScale([3, 97], [200, 0]);
 * y.domain; // [0, 100]
 * y(50); // 100
 */
export function linearScale(
  domain: [number, number],
  range: [number, number],
  tickCount = 5,
  /** Smallest tick step (1 for counts such as episodes). */
  minStep = 0,
): LinearScale {
  let [lo, hi] = domain;
  if (!(Number.isFinite(lo) && Number.isFinite(hi))) [lo, hi] = [0, 1];
  if (lo === hi) [lo, hi] = lo === 0 ? [0, 1] : [lo - Math.abs(lo) * 0.1, hi + Math.abs(hi) * 0.1];
  const step = Math.max(minStep, niceStep((hi - lo) / tickCount));
  const start = roundTo(Math.floor(lo / step) * step, step);
  const end = roundTo(Math.ceil(hi / step) * step, step);
  const ticks: number[] = [];
  for (let t = start; t <= end + step * 1e-9; t += step) ticks.push(roundTo(t, step));
  const [r0, r1] = range;
  const scale = ((v: number) => r0 + ((v - start) / (end - start)) * (r1 - r0)) as LinearScale;
  scale.domain = [start, end];
  scale.ticks = ticks;
  return scale;
}

/**
 * The smallest of 1, 2, 5 × 10^k at least `rough`.
 * @example niceStep(0.3) // 0.5
 * @example niceStep(1300) // 2000
 */
export function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  for (const m of [1, 2, 5, 10]) if (m * power >= rough * (1 - 1e-9)) return m * power;
  return 10 * power;
}

/**
 * Tick label with as many decimals as the tick step needs; large values in k.
 * @example tickLabel(25000, 5000) // "25k"
 * @example tickLabel(0.25, 0.05) // "0.25"
 */
export function tickLabel(value: number, step: number): string {
  if (Math.abs(value) >= 10_000 && step >= 1000) return `${roundTo(value / 1000, step / 1000)}k`;
  const digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return value.toFixed(digits).replace("-", "−");
}

function roundTo(value: number, step: number): number {
  const digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9)) + 1;
  return Number(value.toFixed(Math.min(digits, 12)));
}
