/**
 * Masked softmax over each row of a [rows, k] matrix (plain JS, double-precision accumulation).
 * Masked slots get probability 0 and log-probability -Infinity; a row without any unmasked slot
 * is all zeros / -Infinity.
 *
 * @example
 * maskedSoftmaxRows(new Float32Array([0, 0, 5]), [1, 1, 0], 1, 3).probs; // [0.5, 0.5, 0]
 */
export function maskedSoftmaxRows(
  logits: ArrayLike<number>,
  mask: ArrayLike<number>,
  rows: number,
  k: number,
): { probs: Float32Array; logProbs: Float32Array } {
  const probs = new Float32Array(rows * k);
  const logProbs = new Float32Array(rows * k).fill(Number.NEGATIVE_INFINITY);
  for (let r = 0; r < rows; r++) {
    const base = r * k;
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < k; j++)
      if (mask[base + j] && logits[base + j] > max) max = logits[base + j];
    if (max === Number.NEGATIVE_INFINITY) continue;
    let total = 0;
    for (let j = 0; j < k; j++) if (mask[base + j]) total += Math.exp(logits[base + j] - max);
    const logTotal = Math.log(total);
    for (let j = 0; j < k; j++) {
      if (!mask[base + j]) continue;
      const lp = logits[base + j] - max - logTotal;
      logProbs[base + j] = lp;
      probs[base + j] = Math.exp(lp);
    }
  }
  return { probs, logProbs };
}
