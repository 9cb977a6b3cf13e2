/**
 * Exact maximum-weight bipartite matching with a pass option, on a sparse candidate graph.
 *
 * Every epoch the dispatcher scores candidate (vehicle, order) pairs; this module picks the set of
 * pairs, each vehicle and each order used at most once, with the largest summed score. A vehicle
 * may stay idle and an order may wait: passing is worth 0, so an edge of weight <= 0 is never
 * chosen (passing is at least as good, and preferred on a tie).
 *
 * Method: successive shortest augmenting paths with potentials (the Jonker–Volgenant / Crouse
 * family), run on the sparse graph with a binary heap. Each row gets a private zero-cost "pass"
 * column, which turns the problem into a rectangular assignment where every row is assigned.
 * A greedy warm start assigns each row its best column when that is still free; each remaining
 * row is then added by one Dijkstra search on reduced costs. See docs/matching.md for why the
 * result is optimal.
 *
 * Determinism: the result is a pure function of the input arrays. Among several optimal matchings
 * the one returned depends on row order and edge order only; edges of weight <= 0 are never used.
 * Duplicate (row, col) edges are allowed: the best weight is kept and the others are ignored.
 */

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
 * Scratch buffers for {@link solveMatching}, reusable across calls to avoid allocation in a
 * per-epoch loop. Buffers grow to the largest problem seen and are never shrunk.
 */
export class MatchingWorkspace {
  // Internal CSR of the positive, de-duplicated edges, with costs = -weight.
  ptr = new Int32Array(1);
  col = new Int32Array(0);
  cost = new Float64Array(0);
  // Duplicate detection: seenRow[c] = r+1 when column c was met in row r at slot seenSlot[c].
  seenRow = new Int32Array(0);
  seenSlot = new Int32Array(0);
  // Assignment over cols + rows columns (the last `rows` are the private pass columns).
  u = new Float64Array(0);
  v = new Float64Array(0);
  rowCol = new Int32Array(0);
  colRow = new Int32Array(0);
  // Dijkstra state, valid for a column only when its stamp equals the current search's stamp.
  dist = new Float64Array(0);
  pred = new Int32Array(0);
  distStamp = new Int32Array(0);
  doneStamp = new Int32Array(0);
  stamp = 0;
  freeRows = new Int32Array(0);
  scannedRows = new Int32Array(0);
  scannedCols = new Int32Array(0);
  heapKey = new Float64Array(0);
  heapCol = new Int32Array(0);

  /** Make every buffer large enough for `rows` x `cols` with `edges` edges. */
  reserve(rows: number, cols: number, edges: number): void {
    const n = cols + rows;
    if (this.ptr.length < rows + 1) this.ptr = new Int32Array(rows + 1);
    if (this.col.length < edges) {
      this.col = new Int32Array(edges);
      this.cost = new Float64Array(edges);
    }
    if (this.seenRow.length < cols) {
      this.seenRow = new Int32Array(cols);
      this.seenSlot = new Int32Array(cols);
    }
    if (this.u.length < rows) {
      this.u = new Float64Array(rows);
      this.rowCol = new Int32Array(rows);
      this.freeRows = new Int32Array(rows);
      this.scannedRows = new Int32Array(rows);
    }
    if (this.v.length < n) {
      this.v = new Float64Array(n);
      this.colRow = new Int32Array(n);
      this.dist = new Float64Array(n);
      this.pred = new Int32Array(n);
      this.distStamp = new Int32Array(n);
      this.doneStamp = new Int32Array(n);
      this.scannedCols = new Int32Array(n);
      this.stamp = 0;
    }
    // Each relaxation pushes at most one heap entry: edges + one pass column per row.
    if (this.heapKey.length < edges + rows + 1) {
      this.heapKey = new Float64Array(edges + rows + 1);
      this.heapCol = new Int32Array(edges + rows + 1);
    }
  }

  /** A fresh search stamp; restarts the stamp arrays long before Int32 overflow. */
  nextStamp(): number {
    if (this.stamp >= 0x3fffffff) {
      this.distStamp.fill(0);
      this.doneStamp.fill(0);
      this.stamp = 0;
    }
    return ++this.stamp;
  }
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
  const free = greedyStart(rows, cols, ws);
  for (let k = 0; k < free.length; k++) augmentFrom(free[k], cols, ws);
  return extractResult(p, ws);
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

/**
 * Row-reduction warm start with all column potentials at 0: each row's best option (its cheapest
 * edge, or its pass column when it has no positive edge) is taken if still free, which keeps the
 * duals feasible and every assigned edge tight. Returns the rows left for augmentation.
 */
function greedyStart(rows: number, cols: number, ws: MatchingWorkspace): Int32Array {
  const { ptr, col, cost, u, v, rowCol, colRow, freeRows } = ws;
  v.fill(0, 0, cols + rows);
  colRow.fill(-1, 0, cols + rows);
  let nFree = 0;
  for (let r = 0; r < rows; r++) {
    let best = cols + r; // the private pass column, cost 0
    let bestCost = 0;
    for (let e = ptr[r]; e < ptr[r + 1]; e++) {
      if (cost[e] < bestCost) {
        bestCost = cost[e];
        best = col[e];
      }
    }
    if (colRow[best] === -1) {
      colRow[best] = r;
      rowCol[r] = best;
      u[r] = bestCost;
    } else {
      rowCol[r] = -1;
      u[r] = 0;
      freeRows[nFree++] = r;
    }
  }
  return freeRows.subarray(0, nFree);
}

/**
 * Add row `root` to the assignment along a shortest augmenting path (Dijkstra on reduced costs
 * c - u - v >= 0), then update the potentials so every edge stays feasible and every assigned
 * edge tight. Free columns are never pushed on the heap: the search stops as soon as the best
 * free column is no farther than every unscanned column (ties prefer stopping).
 */
function augmentFrom(root: number, cols: number, ws: MatchingWorkspace): void {
  const { ptr, col, cost, u, v, rowCol, colRow, dist, pred, distStamp, doneStamp } = ws;
  const { scannedRows, scannedCols, heapKey, heapCol } = ws;
  const stamp = ws.nextStamp();
  let heapSize = 0;
  let nRows = 0;
  let nCols = 0;
  let bestFree = -1;
  let bestFreeDist = Number.POSITIVE_INFINITY;
  let minVal = 0;
  let i = root;
  for (;;) {
    scannedRows[nRows++] = i;
    const ui = u[i];
    // Relax the row's real edges, then its private pass column (cost 0).
    const end = ptr[i + 1];
    for (let e = ptr[i]; e <= end; e++) {
      const j = e < end ? col[e] : cols + i;
      if (doneStamp[j] === stamp) continue;
      const d = minVal + (e < end ? cost[e] : 0) - ui - v[j];
      if (distStamp[j] === stamp && d >= dist[j]) continue;
      distStamp[j] = stamp;
      dist[j] = d;
      pred[j] = i;
      if (colRow[j] === -1) {
        if (d < bestFreeDist) {
          bestFreeDist = d;
          bestFree = j;
        }
      } else {
        // Lazy binary heap push (stale entries are skipped when popped).
        let k = heapSize++;
        while (k > 0) {
          const parent = (k - 1) >> 1;
          if (heapKey[parent] <= d) break;
          heapKey[k] = heapKey[parent];
          heapCol[k] = heapCol[parent];
          k = parent;
        }
        heapKey[k] = d;
        heapCol[k] = j;
      }
    }
    // Pop the nearest unscanned assigned column, dropping stale entries.
    let next = -1;
    while (heapSize > 0) {
      const key = heapKey[0];
      const j = heapCol[0];
      if (doneStamp[j] === stamp || key > dist[j]) {
        heapSize = popHeap(heapKey, heapCol, heapSize);
        continue;
      }
      if (key < bestFreeDist) {
        next = j;
        heapSize = popHeap(heapKey, heapCol, heapSize);
      }
      break;
    }
    if (next === -1) break;
    doneStamp[next] = stamp;
    scannedCols[nCols++] = next;
    minVal = dist[next];
    i = colRow[next];
  }
  minVal = bestFreeDist;
  // Potentials: scanned columns shift by their slack to the sink; rows follow their columns.
  u[root] += minVal;
  for (let k = 1; k < nRows; k++) {
    const r = scannedRows[k];
    u[r] += minVal - dist[rowCol[r]];
  }
  for (let k = 0; k < nCols; k++) {
    const j = scannedCols[k];
    v[j] -= minVal - dist[j];
  }
  // Flip the path from the free column back to the root.
  let j = bestFree;
  for (;;) {
    const r = pred[j];
    colRow[j] = r;
    const prev = rowCol[r];
    rowCol[r] = j;
    if (r === root) break;
    j = prev;
  }
}

/** Remove the heap's top entry; returns the new size. */
function popHeap(key: Float64Array, val: Int32Array, size: number): number {
  const n = size - 1;
  const lastKey = key[n];
  const lastVal = val[n];
  let k = 0;
  for (;;) {
    let child = 2 * k + 1;
    if (child >= n) break;
    if (child + 1 < n && key[child + 1] < key[child]) child++;
    if (key[child] >= lastKey) break;
    key[k] = key[child];
    val[k] = val[child];
    k = child;
  }
  key[k] = lastKey;
  val[k] = lastVal;
  return n;
}

/** Translate the internal assignment (pass columns = -1) and sum the chosen original weights. */
function extractResult(p: SparseMatchingProblem, ws: MatchingWorkspace): MatchingResult {
  const { rows, cols } = p;
  const { ptr, col, cost, rowCol } = ws;
  const rowMatch = new Int32Array(rows).fill(-1);
  const colMatch = new Int32Array(cols).fill(-1);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const c = rowCol[r];
    if (c >= cols) continue;
    rowMatch[r] = c;
    colMatch[c] = r;
    for (let e = ptr[r]; e < ptr[r + 1]; e++) {
      if (col[e] === c) {
        total += -cost[e];
        break;
      }
    }
  }
  return { rowMatch, colMatch, total };
}
