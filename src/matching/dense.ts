/**
 * Classic dense Hungarian algorithm (Kuhn–Munkres with potentials, O(n² m) for n <= m), kept as
 * an independent second oracle for the sparse solver in tests and as the baseline in
 * bench/matching.ts. Not meant for the per-epoch hot path.
 *
 * Pass option by reduction: passing is worth 0, so a dense matrix whose missing or non-positive
 * entries are 0 has the same optimum as the sparse problem; a full assignment on it is solved,
 * and the pairs of weight <= 0 are dropped (read as passes).
 */
import type { MatchingResult, SparseMatchingProblem } from "./sparse.ts";
import { validateMatchingProblem } from "./sparse.ts";

/**
 * Row-major `rows x cols` weights of a sparse problem: max(0, best edge weight), 0 where no edge.
 *
 * @example
 * denseWeightsFromSparse({ rows: 1, cols: 2, rowPtr: Int32Array.of(0, 1),
 *   colIdx: Int32Array.of(1), weight: Float64Array.of(3) }); // Float64Array [0, 3]
 */
export function denseWeightsFromSparse(p: SparseMatchingProblem): Float64Array {
  validateMatchingProblem(p);
  const dense = new Float64Array(p.rows * p.cols);
  for (let r = 0; r < p.rows; r++) {
    for (let e = p.rowPtr[r]; e < p.rowPtr[r + 1]; e++) {
      const k = r * p.cols + p.colIdx[e];
      if (p.weight[e] > dense[k]) dense[k] = p.weight[e];
    }
  }
  return dense;
}

/**
 * Maximum-weight matching with a pass option on a dense row-major `rows x cols` weight matrix
 * (every pair is a candidate; entries <= 0 are never chosen).
 *
 * @example
 * solveDenseMatching(2, 2, Float64Array.of(5, 4, 3, 0)).total; // 7 (0->1, 1->0)
 */
export function solveDenseMatching(
  rows: number,
  cols: number,
  weight: Float64Array,
): MatchingResult {
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
    throw new RangeError(
      `matching: rows, cols: expected non-negative integers (got ${rows}, ${cols})`,
    );
  }
  if (weight.length !== rows * cols) {
    throw new RangeError(
      `matching: weight.length: expected rows*cols = ${rows * cols} (got ${weight.length})`,
    );
  }
  const transposed = rows > cols;
  const n = transposed ? cols : rows;
  const m = transposed ? rows : cols;
  // Cost of (i, j) on the n <= m side: -max(w, 0), so the minimum-cost assignment is the optimum.
  const cost = new Float64Array(n * m);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const w = weight[r * cols + c];
      if (!Number.isFinite(w)) {
        throw new RangeError(
          `matching: weight[${r * cols + c}]: expected a finite number (got ${w})`,
        );
      }
      const k = transposed ? c * m + r : r * m + c;
      cost[k] = w > 0 ? -w : 0;
    }
  }
  const assignedTo = hungarian(n, m, cost);
  const rowMatch = new Int32Array(rows).fill(-1);
  const colMatch = new Int32Array(cols).fill(-1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const j = assignedTo[i];
    const r = transposed ? j : i;
    const c = transposed ? i : j;
    const w = weight[r * cols + c];
    if (!(w > 0)) continue;
    rowMatch[r] = c;
    colMatch[c] = r;
  }
  for (let r = 0; r < rows; r++) if (rowMatch[r] >= 0) total += weight[r * cols + rowMatch[r]];
  return { rowMatch, colMatch, total };
}

/**
 * Minimum-cost assignment of all n rows to distinct columns of an n x m matrix (n <= m), by
 * growing the assignment one row at a time along shortest augmenting paths found with dense
 * O(m) scans. Returns the column of each row.
 */
function hungarian(n: number, m: number, cost: Float64Array): Int32Array {
  // 1-based columns; column 0 is the virtual start of each search.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const rowOfCol = new Int32Array(m + 1); // 1-based row, 0 = free
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    rowOfCol[0] = i;
    let j0 = 0;
    minv.fill(Number.POSITIVE_INFINITY);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = rowOfCol[j0];
      const base = (i0 - 1) * m - 1;
      const ui0 = u[i0];
      let delta = Number.POSITIVE_INFINITY;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = cost[base + j] - ui0 - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[rowOfCol[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (rowOfCol[j0] !== 0);
    do {
      const j1 = way[j0];
      rowOfCol[j0] = rowOfCol[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const colOfRow = new Int32Array(n);
  for (let j = 1; j <= m; j++) if (rowOfCol[j] > 0) colOfRow[rowOfCol[j] - 1] = j - 1;
  return colOfRow;
}
