/**
 * A directed graph in compressed sparse row (CSR) form, forward and reverse, as flat typed
 * arrays. Edge weights live outside the graph (one Float64Array per travel-time profile, in the
 * original edge order), so one graph serves every (day, hour).
 */
export interface Csr {
  /** `offsets[u] .. offsets[u+1]` are the slots of node u's arcs (length nodeCount + 1). */
  readonly offsets: Int32Array;
  /** Far end of each arc slot: the target (forward) or the source (reverse). */
  readonly heads: Int32Array;
  /** Original edge id of each arc slot, to look up weights and lengths. */
  readonly edges: Int32Array;
}

export interface DirectedGraph {
  readonly nodeCount: number;
  readonly edgeCount: number;
  readonly source: Int32Array;
  readonly target: Int32Array;
  /** Out-arcs of every node. */
  readonly forward: Csr;
  /** In-arcs of every node (heads are the edge sources). */
  readonly reverse: Csr;
}

/**
 * Build forward and reverse CSR adjacency from edge lists (counting sort, O(n + m)).
 *
 * @example
 * const g = buildGraph(3, Int32Array.of(0, 1), Int32Array.of(1, 2));
 * g.forward.heads.subarray(g.forward.offsets[1], g.forward.offsets[2]); // Int32Array [2]
 */
export function buildGraph(
  nodeCount: number,
  source: Int32Array,
  target: Int32Array,
): DirectedGraph {
  if (source.length !== target.length) throw new RangeError("source and target lengths differ");
  return {
    nodeCount,
    edgeCount: source.length,
    source,
    target,
    forward: buildCsr(nodeCount, source, target),
    reverse: buildCsr(nodeCount, target, source),
  };
}

function buildCsr(nodeCount: number, tail: Int32Array, head: Int32Array): Csr {
  const m = tail.length;
  const offsets = new Int32Array(nodeCount + 1);
  for (let e = 0; e < m; e++) {
    const u = tail[e];
    if (!(u >= 0 && u < nodeCount) || !(head[e] >= 0 && head[e] < nodeCount)) {
      throw new RangeError(`edge ${e} has an endpoint outside 0..${nodeCount - 1}`);
    }
    offsets[u + 1]++;
  }
  for (let u = 0; u < nodeCount; u++) offsets[u + 1] += offsets[u];
  const fill = offsets.slice(0, nodeCount);
  const heads = new Int32Array(m);
  const edges = new Int32Array(m);
  for (let e = 0; e < m; e++) {
    const slot = fill[tail[e]]++;
    heads[slot] = head[e];
    edges[slot] = e;
  }
  return { offsets, heads, edges };
}

/**
 * Nodes reachable from `start` along the CSR's arcs (iterative DFS). With `forward` this is the
 * forward reach; with `reverse` the set of nodes that can reach `start`.
 */
export function reachable(csr: Csr, nodeCount: number, start: number): Uint8Array {
  const seen = new Uint8Array(nodeCount);
  const stack = new Int32Array(nodeCount);
  let top = 0;
  stack[top++] = start;
  seen[start] = 1;
  while (top > 0) {
    const u = stack[--top];
    for (let s = csr.offsets[u]; s < csr.offsets[u + 1]; s++) {
      const w = csr.heads[s];
      if (!seen[w]) {
        seen[w] = 1;
        stack[top++] = w;
      }
    }
  }
  return seen;
}

/** True if every node reaches every other (forward and reverse reach from node 0 are full). */
export function isStronglyConnected(g: DirectedGraph): boolean {
  if (g.nodeCount === 0) return true;
  const all = (s: Uint8Array) => s.every((x) => x === 1);
  return all(reachable(g.forward, g.nodeCount, 0)) && all(reachable(g.reverse, g.nodeCount, 0));
}
