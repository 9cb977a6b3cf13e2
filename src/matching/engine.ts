/**
 * The assignment engine behind `solveMatching` (sparse.ts), on its internal form: `rows` rows,
 * `cols` real columns plus one private pass column per row (index cols + r, cost 0), costs =
 * -weight on the CSR graph held by the workspace. Every row ends up assigned (a pass column
 * meaning "unmatched"), at minimum total cost.
 *
 * Invariants kept by every step (they make the final assignment optimal, see docs/matching.md):
 * potentials u (rows) and v (columns) satisfy c - u - v >= 0 on every edge, with equality on
 * assigned edges; v <= 0 everywhere and v = 0 on every free column; an assigned column stays
 * assigned.
 */

/**
 * Scratch buffers for `solveMatching`, reusable across calls to avoid allocation in a
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
 * Row-reduction warm start with all column potentials at 0: each row's best option (its cheapest
 * edge, or its pass column when it has no positive edge) is taken if still free, which keeps the
 * duals feasible and every assigned edge tight. Returns the rows left for augmentation.
 */
export function greedyStart(rows: number, cols: number, ws: MatchingWorkspace): number {
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

/** Step budget of one pass, per row: bounds price wars between near-equal rows. */
const ARR_STEPS_PER_ROW = 4;

/**
 * Jonker–Volgenant augmenting row reduction over the free rows `ws.freeRows[0..nFree)`: a free
 * row takes its cheapest column j1 and lowers v[j1] by the gap to its second-cheapest, so the new
 * edge is tight and the row's other edges stay feasible; the displaced owner is retried at once
 * (or, on a tie, deferred to the next pass). Columns never become free again and potentials only
 * fall, so the invariants of the shortest-path phase hold. Returns the number of rows still free.
 */
export function reduceRows(
  nFree: number,
  rows: number,
  cols: number,
  ws: MatchingWorkspace,
): number {
  const maxSteps = ARR_STEPS_PER_ROW * rows;
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
export function augmentFrom(root: number, cols: number, ws: MatchingWorkspace): void {
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
    // The row's private pass column: always free here (a row on its pass column is never reached,
    // since only that row has an edge to it), so it is only a candidate end of the path.
    const pass = cols + i;
    if (base - v[pass] < bestFreeDist) {
      bestFreeDist = base - v[pass];
      bestFree = pass;
      pred[pass] = i;
    }
    for (let e = ptr[i], end = ptr[i + 1]; e < end; e++) {
      const j = col[e];
      const d = base + cost[e] - v[j];
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
