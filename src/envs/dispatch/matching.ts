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
  // Internal CSR of the positive, de-duplicated edges, with costs = -weight; the t* buffers
  // receive its transpose when there are more rows than columns (then swapped in).
  ptr = new Int32Array(1);
  col = new Int32Array(0);
  cost = new Float64Array(0);
  tPtr = new Int32Array(1);
  tCol = new Int32Array(0);
  tCost = new Float64Array(0);
  // Duplicate detection: seenRow[c] = r+1 when column c was met in row r at slot seenSlot[c].
  seenRow = new Int32Array(0);
  seenSlot = new Int32Array(0);
  // Assignment over cols + rows columns (the last `rows` are the private pass columns).
  u = new Float64Array(0);
  v = new Float64Array(0);
  rowCol = new Int32Array(0);
  colRow = new Int32Array(0);
  // Dijkstra state: dist is +Infinity between searches; `touched` lists what to reset.
  dist = new Float64Array(0);
  pred = new Int32Array(0);
  touched = new Int32Array(0);
  freeRows = new Int32Array(0);
  scannedRows = new Int32Array(0);
  scannedCols = new Int32Array(0);
  scannedDist = new Float64Array(0);
  heapKey = new Float64Array(0);
  heapCol = new Int32Array(0);

  /**
   * Make every buffer large enough for a `rows` x `cols` problem with `edges` edges. The
   * assignment works on the transpose when rows > cols, so its side sizes are min and max.
   */
  reserve(rows: number, cols: number, edges: number): void {
    const nr = Math.min(rows, cols);
    const n = rows + cols;
    const side = Math.max(rows, cols) + 1;
    if (this.ptr.length < side) this.ptr = new Int32Array(side);
    if (this.tPtr.length < side) this.tPtr = new Int32Array(side);
    if (this.col.length < edges) this.col = new Int32Array(edges);
    if (this.cost.length < edges) this.cost = new Float64Array(edges);
    if (this.tCol.length < edges) this.tCol = new Int32Array(edges);
    if (this.tCost.length < edges) this.tCost = new Float64Array(edges);
    if (this.seenRow.length < cols) {
      this.seenRow = new Int32Array(cols);
      this.seenSlot = new Int32Array(cols);
    }
    if (this.u.length < nr) {
      this.u = new Float64Array(nr);
      this.rowCol = new Int32Array(nr);
      this.freeRows = new Int32Array(nr);
      this.scannedRows = new Int32Array(nr + 1);
    }
    if (this.v.length < n) {
      this.v = new Float64Array(n);
      this.colRow = new Int32Array(n);
      this.dist = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
      this.pred = new Int32Array(n);
      this.touched = new Int32Array(n);
      this.scannedCols = new Int32Array(n);
      this.scannedDist = new Float64Array(n);
    }
    // Each relaxation pushes at most one heap entry: edges + one pass column per row.
    if (this.heapKey.length < edges + nr + 1) {
      this.heapKey = new Float64Array(edges + nr + 1);
      this.heapCol = new Int32Array(edges + nr + 1);
    }
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
  // Rows and columns play symmetric roles (both may pass): assign the smaller side, so fewer
  // rows need a search and each search has more free columns to end on.
  const transposed = rows > cols;
  if (transposed) transposeGraph(rows, cols, ws);
  const nr = transposed ? cols : rows;
  const nc = transposed ? rows : cols;
  let nFree = greedyStart(nr, nc, ws);
  for (let pass = 0; pass < ARR_PASSES && nFree > 0; pass++) {
    nFree = reduceRows(nFree, nc, ws, ARR_STEPS_PER_ROW * nr);
  }
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

/**
 * Row-reduction warm start with all column potentials at 0: each row's best option (its cheapest
 * edge, or its pass column when it has no positive edge) is taken if still free, which keeps the
 * duals feasible and every assigned edge tight. Returns the rows left for augmentation.
 */
function greedyStart(rows: number, cols: number, ws: MatchingWorkspace): number {
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
  return nFree;
}

/** Augmenting row reduction passes before the shortest-path phase (JV use two). */
const ARR_PASSES = 2;
/** Step budget of one pass, per row: bounds price wars between near-equal rows. */
const ARR_STEPS_PER_ROW = 4;

/**
 * Jonker–Volgenant augmenting row reduction over the free rows `ws.freeRows[0..nFree)`: a free
 * row takes its cheapest column j1 and lowers v[j1] by the gap to its second-cheapest, so the new
 * edge is tight and the row's other edges stay feasible; the displaced owner is retried at once
 * (or, on a tie, deferred to the next pass). Columns never become free again and potentials only
 * fall, so the invariants of the shortest-path phase hold. Returns the number of rows still free.
 */
function reduceRows(nFree: number, cols: number, ws: MatchingWorkspace, maxSteps: number): number {
  const { ptr, col, cost, u, v, rowCol, colRow, freeRows } = ws;
  let k = 0;
  let deferred = 0;
  let steps = 0;
  while (k < nFree) {
    if (++steps > maxSteps) {
      // Out of budget: keep the unprocessed rows for the shortest-path phase.
      while (k < nFree) freeRows[deferred++] = freeRows[k++];
      break;
    }
    const i = freeRows[k++];
    // Cheapest and second-cheapest reduced cost over the row's edges and its pass column.
    const pass = cols + i;
    let u1 = -v[pass];
    let j1 = pass;
    let c1 = 0;
    let u2 = Number.POSITIVE_INFINITY;
    let j2 = -1;
    let c2 = 0;
    for (let e = ptr[i]; e < ptr[i + 1]; e++) {
      const j = col[e];
      const h = cost[e] - v[j];
      if (h < u2) {
        if (h < u1) {
          u2 = u1;
          j2 = j1;
          c2 = c1;
          u1 = h;
          j1 = j;
          c1 = cost[e];
        } else {
          u2 = h;
          j2 = j;
          c2 = cost[e];
        }
      }
    }
    let owner = colRow[j1];
    let target = j1;
    let targetCost = c1;
    const strict = u1 < u2;
    if (strict) {
      v[j1] -= u2 - u1;
    } else if (owner >= 0) {
      target = j2;
      targetCost = c2;
      owner = colRow[j2];
    }
    if (owner >= 0) rowCol[owner] = -1;
    colRow[target] = i;
    rowCol[i] = target;
    u[i] = targetCost - v[target];
    if (owner >= 0) {
      if (strict) freeRows[--k] = owner;
      else freeRows[deferred++] = owner;
    }
  }
  return deferred;
}

/**
 * Add row `root` to the assignment along a shortest augmenting path (Dijkstra on reduced costs
 * c - u - v >= 0), then update the potentials so every edge stays feasible and every assigned
 * edge tight. Free columns are never pushed on the heap: the search stops as soon as the best
 * free column is no farther than every unscanned column (ties prefer stopping).
 *
 * `dist` is +Infinity outside a search; a scanned column's entry is set to -Infinity so that one
 * comparison rejects both scanned columns and non-improving relaxations.
 */
function augmentFrom(root: number, cols: number, ws: MatchingWorkspace): void {
  const { ptr, col, cost, u, v, rowCol, colRow, dist, pred, touched } = ws;
  const { scannedRows, scannedCols, scannedDist, heapKey, heapCol } = ws;
  let heapSize = 0;
  let nTouched = 0;
  let nScanned = 0; // columns scanned; rows scanned = nScanned + 1 (the root first)
  let bestFree = -1;
  let bestFreeDist = Number.POSITIVE_INFINITY;
  let minVal = 0;
  let i = root;
  for (;;) {
    const base = minVal - u[i];
    // The row's private pass column (cost 0), then its real edges.
    const start = ptr[i];
    for (let e = start - 1, end = ptr[i + 1]; e < end; e++) {
      let j: number;
      let d: number;
      if (e < start) {
        j = cols + i;
        d = base - v[j];
      } else {
        j = col[e];
        d = base + cost[e] - v[j];
      }
      const old = dist[j];
      if (d >= old) continue;
      if (old === Number.POSITIVE_INFINITY) touched[nTouched++] = j;
      dist[j] = d;
      pred[j] = i;
      if (colRow[j] === -1) {
        if (d < bestFreeDist) {
          bestFreeDist = d;
          bestFree = j;
        }
      } else if (d < bestFreeDist) {
        // Lazy binary heap push (stale entries are skipped when popped). A column no nearer
        // than the best free one can never be scanned, so it is not pushed at all.
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
      if (key !== dist[heapCol[0]]) {
        heapSize = popHeap(heapKey, heapCol, heapSize);
        continue;
      }
      if (key < bestFreeDist) {
        next = heapCol[0];
        heapSize = popHeap(heapKey, heapCol, heapSize);
      }
      break;
    }
    if (next === -1) break;
    minVal = dist[next];
    scannedCols[nScanned] = next;
    scannedDist[nScanned++] = minVal;
    dist[next] = Number.NEGATIVE_INFINITY;
    i = colRow[next];
    scannedRows[nScanned] = i;
  }
  minVal = bestFreeDist;
  for (let k = 0; k < nTouched; k++) dist[touched[k]] = Number.POSITIVE_INFINITY;
  // Potentials: scanned columns shift by their slack to the sink; rows follow their columns.
  u[root] += minVal;
  for (let k = 0; k < nScanned; k++) {
    const slack = minVal - scannedDist[k];
    v[scannedCols[k]] -= slack;
    u[scannedRows[k + 1]] += slack;
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
