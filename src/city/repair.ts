/**
 * Repair of the raw per-edge hourly travel times. The upstream estimates (from taxi data) are
 * noisy: some are 0 and some imply speeds no car reaches on a Manhattan street. Rule, applied per
 * edge and day type:
 *  - a time t is *invalid* if t ≤ 0 or the edge's straight-line length / t > SPEED_CAP_MPS;
 *  - an invalid time is replaced by the median of that edge's valid times of the same day type
 *    (over its 24 hours);
 *  - if the edge has no valid time that day type, by length / FALLBACK_SPEED_MPS (at least 0.1 s).
 * Slow outliers are kept: congestion is real and the data cannot tell it from noise.
 */

/** Plausible top speed in Manhattan, m/s (90 km/h; highway limits there are 40–50 mph). */
export const SPEED_CAP_MPS = 25;
/** Speed used when an edge has no valid time at all in a day type, m/s (≈ 47 km/h). */
export const FALLBACK_SPEED_MPS = 13;

export interface RepairStats {
  /** Values that were 0 (or negative). */
  zero: number;
  /** Positive values faster than the speed cap. */
  tooFast: number;
  /** Invalid values replaced by the edge's median valid time. */
  byEdgeMedian: number;
  /** Invalid values replaced by length / FALLBACK_SPEED_MPS. */
  byFallbackSpeed: number;
}

/** Shortest time an edge of this length may take, in seconds. */
export function minPlausibleTimeS(lengthM: number): number {
  return lengthM / SPEED_CAP_MPS;
}

/**
 * Repair one day type's times in place. `times[h * edgeCount + e]` is edge e's time at hour h.
 *
 * @example
 * const t = Float32Array.of(0, 20, 30, 1); // 2 hours × 2 edges of 100 m
 * repairDayTimes(t, Float32Array.of(100, 100), 2);
 * // t = [30, 20, 30, 20]: edge 0 hour 0 was 0 -> median(30); edge 1 hour 1 was 100 m/s -> 20
 */
export function repairDayTimes(
  times: Float32Array,
  lengthM: Float32Array,
  hours: number,
): RepairStats {
  const m = lengthM.length;
  if (times.length !== m * hours) throw new RangeError("times must hold hours × edges values");
  const stats: RepairStats = { zero: 0, tooFast: 0, byEdgeMedian: 0, byFallbackSpeed: 0 };
  const valid = new Float64Array(hours);
  for (let e = 0; e < m; e++) {
    const minT = minPlausibleTimeS(lengthM[e]);
    let n = 0;
    for (let h = 0; h < hours; h++) {
      const t = times[h * m + e];
      if (t > 0 && t >= minT) valid[n++] = t;
    }
    if (n === hours) continue;
    const replacement =
      n > 0 ? median(valid.subarray(0, n)) : Math.max(lengthM[e] / FALLBACK_SPEED_MPS, 0.1);
    for (let h = 0; h < hours; h++) {
      const t = times[h * m + e];
      if (t > 0 && t >= minT) continue;
      if (t > 0) stats.tooFast++;
      else stats.zero++;
      if (n > 0) stats.byEdgeMedian++;
      else stats.byFallbackSpeed++;
      // Float32 rounding must not push the value back under the cap.
      let r = Math.fround(replacement);
      if (r < minT) r = nextFloat32Up(minT);
      times[h * m + e] = r;
    }
  }
  return stats;
}

/**
 * Median of the values (sorts the array in place).
 *
 * @example
 * median(Float64Array.of(3, 1, 2, 10)); // 2.5
 */
export function median(values: Float64Array): number {
  if (values.length === 0) return Number.NaN;
  values.sort();
  const mid = values.length >> 1;
  return values.length % 2 === 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

function nextFloat32Up(x: number): number {
  const f = Math.fround(x);
  if (f >= x) return f;
  const buf = new Float32Array([f]);
  new Uint32Array(buf.buffer)[0]++;
  return buf[0];
}
