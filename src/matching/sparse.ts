/**
 * Exact maximum-weight bipartite matching with a pass option, on a sparse candidate graph.
 *
 * Every epoch the dispatcher scores candidate (vehicle, order) pairs; this module picks the set of
 * pairs, each vehicle and each order used at most once, with the largest summed score. A vehicle
 * may stay idle and an order may wait: passing is worth 0, so an edge of weight <= 0 is never
 * chosen (passing is at least as good, and preferred on a tie).
 *
 * Method: successive shortest augmenting paths with potentials (the Jonker–Volgenant / Crouse
 * family), run on the sparse graph with a binary heap. The smaller side plays the rows (the graph
 * is transposed when there are more rows than columns); each row gets a private zero-cost "pass"
 * column, which turns the problem into a rectangular assignment where every row is assigned.
 * A greedy warm start gives each row its best column when still free, two rounds of
 * Jonker–Volgenant augmenting row reduction place most of the rest, and each remaining row is
 * added by one Dijkstra search on reduced costs. See docs/matching.md for why the result is
 * optimal.
 *
 * Determinism: the result is a pure function of the input arrays. Among several optimal matchings
 * the one returned depends on the order of rows, columns and edges only; edges of weight <= 0
 * are never used. Duplicate (row, col) edges are allowed: the best weight is kept, the others
 * are ignored.
 */

import { augmentFrom, greedyStart, MatchingWorkspace, reduceRows } from "./engine.ts";

export { MatchingWorkspace } from "./engine.ts";

/** Candidate graph in CSR form: the edges of row r are `rowPtr[r] .. rowPtr[r+1]-1`. */
export interface SparseMatchingProblem {
  /** Number of rows (vehicles). */
  rows: number;
  /** Number of columns (orders). */
  cols: number;
  /** Length rows+1, non-decreasing, rowPtr[0] = 0, rowPtr[rows] = number of edges. */
  rowPtr: Int32Array;
  /** Column of each candidate edge, in [0, cols). */
  colIdx: Int32Array;
  /** Score of each edge (any sign, finite). */
  weight: Float64Array;
}

/** A matching: `rowMatch[r]` is the column of row r or -1 (pass); `colMatch` is its inverse. */
export interface MatchingResult {
  rowMatch: Int32Array;
  colMatch: Int32Array;
  /** Sum of the chosen edges' weights (row order). */
  total: number;
}

/**
 * Check a problem's shape and values; throws a RangeError naming the field and what was expected.
 *
 * @example
 * validateMatchingProblem({ rows: 1, cols: 1, rowPtr: Int32Array.of(0, 1),
 *   colIdx: Int32Array.of(0), weight: Float64Array.of(2) }); // ok
 */
export function validateMatchingProblem(p: SparseMatchingProblem): void {
  const { rows, cols, rowPtr, colIdx, weight } = p;
  const fail = (field: string, expected: string, got: unknown) =>
    new RangeError(`matching: ${field}: expected ${expected} (got ${String(got)})`);
  if (!Number.isInteger(rows) || rows < 0) throw fail("rows", "a non-negative integer", rows);
  if (!Number.isInteger(cols) || cols < 0) throw fail("cols", "a non-negative integer", cols);
  if (!(rowPtr instanceof Int32Array)) throw fail("rowPtr", "an Int32Array", rowPtr);
  if (!(colIdx instanceof Int32Array)) throw fail("colIdx", "an Int32Array", colIdx);
  if (!(weight instanceof Float64Array)) throw fail("weight", "a Float64Array", weight);
  if (rowPtr.length !== rows + 1) {
    throw fail("rowPtr.length", `rows+1 = ${rows + 1}`, rowPtr.length);
  }
  if (rowPtr[0] !== 0) throw fail("rowPtr[0]", "0", rowPtr[0]);
  for (let r = 0; r < rows; r++) {
    if (rowPtr[r + 1] < rowPtr[r]) {
      throw fail(`rowPtr[${r + 1}]`, `a value >= rowPtr[${r}] = ${rowPtr[r]}`, rowPtr[r + 1]);
    }
  }
  const edges = rowPtr[rows];
  if (colIdx.length !== edges) {
    throw fail("colIdx.length", `rowPtr[rows] = ${edges}`, colIdx.length);
  }
  if (weight.length !== edges) {
    throw fail("weight.length", `rowPtr[rows] = ${edges}`, weight.length);
  }
  for (let e = 0; e < edges; e++) {
    const c = colIdx[e];
    if (c < 0 || c >= cols) throw fail(`colIdx[${e}]`, `a column in [0, ${cols})`, c);
    if (!Number.isFinite(weight[e])) throw fail(`weight[${e}]`, "a finite number", weight[e]);
  }
}

/**
 * Maximum-weight matching with a pass option (see the module comment for the exact semantics).
 * Validates the input first. Pass a {@link MatchingWorkspace} to reuse scratch memory across calls.
 *
 * @example
 * // Vehicle 0 can take order 0 (5) or 1 (4); vehicle 1 only order 0 (3). Greedy takes 5 alone;
 * // the optimum gives order 0 to vehicle 1 and order 1 to vehicle 0: 4 + 3 = 7.
 * const m = solveMatching({ rows: 2, cols: 2, rowPtr: Int32Array.of(0, 2, 3),
 *   colIdx: Int32Array.of(0, 1, 0), weight: Float64Array.of(5, 4, 3) });
 * m.rowMatch; // Int32Array [1, 0]
 * m.total;    // 7
 */
export function solveMatching(
  p: SparseMatchingProblem,
  ws: MatchingWorkspace = new MatchingWorkspace(),
): MatchingResult {
  validateMatchingProblem(p);
  const { rows, cols } = p;
  ws.reserve(rows, cols, p.rowPtr[rows]);
  buildPositiveGraph(p, ws);
  // Rows and columns play symmetric roles (both may pass): assign the smaller side, so fewer
  // rows need a search and each search has more free columns to end on.
  const transposed = rows > cols;
  if (transposed) transposeGraph(rows, cols, ws);
  const nr = transposed ? cols : rows;
  const nc = transposed ? rows : cols;
  let nFree = greedyStart(nr, nc, ws);
  for (let pass = 0; pass < 2 && nFree > 0; pass++) nFree = reduceRows(nFree, nr, nc, ws);
  const free = ws.freeRows;
  for (let k = 0; k < nFree; k++) augmentFrom(free[k], nc, ws);
  return extractResult(p, ws, transposed);
}

/** Keep only edges with weight > 0, one per (row, col) with the best weight, as costs -w. */
function buildPositiveGraph(p: SparseMatchingProblem, ws: MatchingWorkspace): void {
  const { rows, cols, rowPtr, colIdx, weight } = p;
  const { ptr, col, cost, seenRow, seenSlot } = ws;
  seenRow.fill(0, 0, cols);
  let m = 0;
  ptr[0] = 0;
  for (let r = 0; r < rows; r++) {
    for (let e = rowPtr[r]; e < rowPtr[r + 1]; e++) {
      const w = weight[e];
      if (!(w > 0)) continue;
      const c = colIdx[e];
      if (seenRow[c] === r + 1) {
        const s = seenSlot[c];
        if (-w < cost[s]) cost[s] = -w;
        continue;
      }
      seenRow[c] = r + 1;
      seenSlot[c] = m;
      col[m] = c;
      cost[m] = -w;
      m++;
    }
    ptr[r + 1] = m;
  }
}

/** Replace the internal graph by its transpose (column-major), keeping edges in row order. */
function transposeGraph(rows: number, cols: number, ws: MatchingWorkspace): void {
  const { ptr, col, cost, tPtr, tCol, tCost } = ws;
  tPtr.fill(0, 0, cols + 1);
  const m = ptr[rows];
  for (let e = 0; e < m; e++) tPtr[col[e] + 1]++;
  for (let c = 0; c < cols; c++) tPtr[c + 1] += tPtr[c];
  for (let r = 0; r < rows; r++) {
    for (let e = ptr[r]; e < ptr[r + 1]; e++) {
      const slot = tPtr[col[e]]++;
      tCol[slot] = r;
      tCost[slot] = cost[e];
    }
  }
  // The fill advanced each start to the next column's start: shift back by one.
  for (let c = cols; c > 0; c--) tPtr[c] = tPtr[c - 1];
  tPtr[0] = 0;
  [ws.ptr, ws.tPtr] = [tPtr, ptr];
  [ws.col, ws.tCol] = [tCol, col];
  [ws.cost, ws.tCost] = [tCost, cost];
}

/** Translate the internal assignment (pass columns = -1) and sum the chosen original weights. */
function extractResult(
  p: SparseMatchingProblem,
  ws: MatchingWorkspace,
  transposed: boolean,
): MatchingResult {
  const { rows, cols } = p;
  const { ptr, col, cost, rowCol } = ws;
  const nr = transposed ? cols : rows;
  const nc = transposed ? rows : cols;
  const rowMatch = new Int32Array(rows).fill(-1);
  const colMatch = new Int32Array(cols).fill(-1);
  const weightOf = new Float64Array(nr);
  for (let i = 0; i < nr; i++) {
    const j = rowCol[i];
    if (j >= nc) continue;
    const r = transposed ? j : i;
    const c = transposed ? i : j;
    rowMatch[r] = c;
    colMatch[c] = r;
    for (let e = ptr[i]; e < ptr[i + 1]; e++) {
      if (col[e] === j) {
        weightOf[i] = -cost[e];
        break;
      }
    }
  }
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const c = rowMatch[r];
    if (c >= 0) total += weightOf[transposed ? c : r];
  }
  return { rowMatch, colMatch, total };
}
