/**
 * Dijkstra's shortest paths on a CSR graph with a binary heap on typed arrays. One `Dijkstra`
 * object owns its work arrays and is reused for every search (no allocation per query).
 */
import type { Csr } from "./graph.ts";

export class Dijkstra {
  /** Shortest distance from the last search's source (Infinity if not reached). */
  readonly dist: Float64Array;
  /** Arc slot by which each node was reached in the last search (−1: source or unreached). */
  readonly predSlot: Int32Array;
  private readonly heapKey: Float64Array;
  private readonly heapNode: Int32Array;

  constructor(
    readonly nodeCount: number,
    arcCount: number,
  ) {
    this.dist = new Float64Array(nodeCount);
    this.predSlot = new Int32Array(nodeCount);
    // Lazy deletion: every improving relaxation pushes, so at most arcCount + 1 entries.
    this.heapKey = new Float64Array(arcCount + 1);
    this.heapNode = new Int32Array(arcCount + 1);
  }

  /**
   * Search from `source` over `csr` with `slotWeight[s]` the (non-negative) weight of arc slot s.
   * With `target` ≥ 0 it stops once the target is settled (other distances are then partial).
   *
   * @example
   * const g = buildGraph(3, Int32Array.of(0, 1, 0), Int32Array.of(1, 2, 2));
   * const w = slotWeights(g.forward, Float64Array.of(1, 1, 5));
   * const d = new Dijkstra(3, 3);
   * d.run(g.forward, w, 0);
   * d.dist; // Float64Array [0, 1, 2]
   */
  run(csr: Csr, slotWeight: ArrayLike<number>, source: number, target = -1): void {
    const { dist, predSlot, heapKey, heapNode } = this;
    const { offsets, heads } = csr;
    dist.fill(Number.POSITIVE_INFINITY);
    predSlot.fill(-1);
    dist[source] = 0;
    heapKey[0] = 0;
    heapNode[0] = source;
    let size = 1;
    while (size > 0) {
      // Pop the minimum.
      const d = heapKey[0];
      const u = heapNode[0];
      size--;
      if (size > 0) {
        const k = heapKey[size];
        const v = heapNode[size];
        let i = 0;
        for (;;) {
          let c = 2 * i + 1;
          if (c >= size) break;
          if (c + 1 < size && heapKey[c + 1] < heapKey[c]) c++;
          if (heapKey[c] >= k) break;
          heapKey[i] = heapKey[c];
          heapNode[i] = heapNode[c];
          i = c;
        }
        heapKey[i] = k;
        heapNode[i] = v;
      }
      if (d > dist[u]) continue; // stale entry
      if (u === target) return;
      for (let s = offsets[u], end = offsets[u + 1]; s < end; s++) {
        const w = heads[s];
        const nd = d + slotWeight[s];
        if (nd < dist[w]) {
          dist[w] = nd;
          predSlot[w] = s;
          // Push and sift up.
          let i = size++;
          while (i > 0) {
            const p = (i - 1) >> 1;
            if (heapKey[p] <= nd) break;
            heapKey[i] = heapKey[p];
            heapNode[i] = heapNode[p];
            i = p;
          }
          heapKey[i] = nd;
          heapNode[i] = w;
        }
      }
    }
  }
}

/**
 * Reorder per-edge values (indexed by original edge id) into the CSR's arc-slot order, so the
 * search reads weights sequentially.
 */
export function slotWeights(csr: Csr, edgeValue: ArrayLike<number>): Float64Array {
  const out = new Float64Array(csr.edges.length);
  for (let s = 0; s < out.length; s++) out[s] = edgeValue[csr.edges[s]];
  return out;
}
