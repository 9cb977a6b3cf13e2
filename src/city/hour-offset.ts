/**
 * Finding the slip between the raw hourly columns of the road data and local time. Convention:
 * with offset k, local hour h reads raw column (h − k) mod 24 (so raw column c is local hour
 * c + k). The offset is the k whose shifted network profile best correlates (Pearson) with the
 * pace observed in real trips per local hour.
 */

/**
 * Raw column that holds local hour `h` under offset `k`.
 *
 * @example
 * rawColumnForLocalHour(3, 6); // 21
 */
export function rawColumnForLocalHour(h: number, k: number): number {
  return (((h - k) % 24) + 24) % 24;
}

/**
 * Pearson correlation of two equal-length series (NaN if either is constant).
 *
 * @example
 * pearson([1, 2, 3], [2, 4, 7]); // ≈ 0.99
 */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (n !== b.length || n < 2) throw new RangeError("pearson needs two series of equal length ≥ 2");
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma;
    const db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return sab / Math.sqrt(saa * sbb);
}

/**
 * Correlation of `observedByLocalHour[h]` with `networkByRawColumn[(h − k) mod 24]` for every
 * k = 0..23; `best` is the k with the highest correlation.
 *
 * @example
 * const net = Array.from({ length: 24 }, (_, c) => Math.sin(c / 4));
 * const obs = Array.from({ length: 24 }, (_, h) => net[rawColumnForLocalHour(h, 5)]);
 * hourOffsetCorrelations(obs, net).best; // 5
 */
export function hourOffsetCorrelations(
  observedByLocalHour: ArrayLike<number>,
  networkByRawColumn: ArrayLike<number>,
): { correlations: number[]; best: number } {
  if (observedByLocalHour.length !== 24 || networkByRawColumn.length !== 24) {
    throw new RangeError("hour profiles must have 24 values");
  }
  const correlations: number[] = [];
  let best = 0;
  for (let k = 0; k < 24; k++) {
    const shifted = Array.from(
      { length: 24 },
      (_, h) => networkByRawColumn[rawColumnForLocalHour(h, k)],
    );
    correlations.push(pearson(observedByLocalHour, shifted));
    if (correlations[k] > correlations[best]) best = k;
  }
  return { correlations, best };
}
