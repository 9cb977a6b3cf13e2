/**
 * Node-to-node travel times for one static profile (a day type and local hour): the simulator's
 * hot path. A trip uses the profile of the hour it starts in, for its whole length.
 *
 * Caching suits the simulator: one forward search from u answers time(u, ·) for every node and
 * is kept as a row; one reverse search to v (`timesTo`, the "many vehicles to one new order"
 * pattern) is kept as a column and answers time(·, v). Rows and columns live in bounded CLOCK
 * caches; `precomputeAll()` fills the full n×n matrix instead (67 MB for Manhattan, plus 33 MB
 * of last edges that make `path` and `distance` searches unnecessary).
 */
import { Dijkstra, slotWeights } from "./dijkstra.ts";
import type { DirectedGraph } from "./graph.ts";
import type { DayType } from "./router.ts";
import { RowCache } from "./row-cache.ts";
import { findTables, registerTables, type TravelTables, tablesKey } from "./shared-tables.ts";

export interface TravelTimeOracle {
  readonly day: DayType;
  readonly hour: number;
  /** Travel time in seconds along the fastest path (0 if from = to; Infinity if unreachable). */
  time(from: number, to: number): number;
  /** Length in metres of the fastest path (the one `time` measures). */
  distance(from: number, to: number): number;
  /** Node ids of the fastest path, both ends included (empty if unreachable). */
  path(from: number, to: number): Int32Array;
  /** Times from `from` to every node (one forward search). Shared: do not modify. */
  timesFrom(from: number): Float32Array;
  /** Times from every node to `to` (one reverse search). Shared: do not modify. */
  timesTo(to: number): Float32Array;
  /** True once `precomputeAll()` has filled the matrix. */
  readonly precomputed: boolean;
  /**
   * Fill the full n×n time matrix (n forward searches, 4·n² bytes) and the last edge of every
   * fastest path (2·n² bytes); later time, path and distance queries need no search.
   */
  precomputeAll(): void;
}

/** `lastEdge` marker: no path (or the source itself). */
const NO_EDGE = 0xffff;

export interface TravelTimeCacheOptions {
  /** Forward rows kept (each 4·n bytes). Default 2048 (32 MB for Manhattan). */
  rows?: number;
  /** Reverse columns kept. Default 1024 (16 MB for Manhattan). */
  columns?: number;
  /** Shortest-path trees kept for `path` / `distance`. Default 256 (4 MB). */
  trees?: number;
}

export class TravelTimes implements TravelTimeOracle {
  private readonly n: number;
  private readonly forwardWeight: Float64Array;
  private readonly reverseWeight: Float64Array;
  private readonly search: Dijkstra;
  private readonly rows: RowCache<Float32Array>;
  private readonly columns: RowCache<Float32Array>;
  /** Forward arc slot used to reach each node, per cached source. */
  private readonly trees: RowCache<Int32Array>;
  private matrix: Float32Array | null = null;
  /**
   * With the matrix: the last edge (original id) of the fastest path from u to v at u·n + v,
   * NO_EDGE for none — 2 bytes per pair (Manhattan has < 65,535 edges), so `path` and
   * `distance` walk back without a search.
   */
  private lastEdge: Uint16Array | null = null;
  /** The matrix and last edges as shared tables (shared-tables.ts), once precomputed. */
  private tables: TravelTables | null = null;
  private readonly key: string;

  /**
   * @param edgeTime seconds per edge (original edge order) for this profile
   * @param edgeLength metres per edge
   */
  constructor(
    private readonly graph: DirectedGraph,
    edgeTime: Float32Array,
    private readonly edgeLength: Float32Array,
    readonly day: DayType,
    readonly hour: number,
    cache: TravelTimeCacheOptions = {},
  ) {
    this.n = graph.nodeCount;
    this.forwardWeight = slotWeights(graph.forward, edgeTime);
    this.reverseWeight = slotWeights(graph.reverse, edgeTime);
    this.search = new Dijkstra(graph.nodeCount, graph.edgeCount);
    this.rows = new RowCache(this.n, cache.rows ?? 2048);
    this.columns = new RowCache(this.n, cache.columns ?? 1024);
    this.trees = new RowCache(this.n, cache.trees ?? 256);
    this.key = tablesKey(graph.nodeCount, graph.edgeCount, edgeTime);
  }

  time(from: number, to: number): number {
    this.check(to);
    const m = this.matrix;
    if (m !== null) {
      this.check(from);
      return m[from * this.n + to];
    }
    const row = this.rows.get(from);
    if (row !== undefined) return row[to];
    const column = this.columns.get(to);
    if (column !== undefined) {
      this.check(from);
      return column[from];
    }
    return this.timesFrom(from)[to];
  }

  timesFrom(from: number): Float32Array {
    this.check(from);
    if (this.matrix !== null) return this.matrix.subarray(from * this.n, (from + 1) * this.n);
    const cached = this.rows.get(from);
    if (cached !== undefined) return cached;
    this.forwardSearch(from);
    return this.rows.get(from)!;
  }

  timesTo(to: number): Float32Array {
    this.check(to);
    const cached = this.columns.get(to);
    if (cached !== undefined) return cached;
    const column = new Float32Array(this.n);
    if (this.matrix !== null) {
      for (let u = 0; u < this.n; u++) column[u] = this.matrix[u * this.n + to];
    } else {
      this.search.run(this.graph.reverse, this.reverseWeight, to);
      column.set(this.search.dist);
    }
    this.columns.set(to, column);
    return column;
  }

  path(from: number, to: number): Int32Array {
    this.check(to);
    if (this.lastEdge !== null) return this.pathFromMatrix(from, to);
    const tree = this.tree(from);
    if (from !== to && tree[to] < 0) return new Int32Array(0);
    let count = 1;
    for (let v = to; v !== from; v = this.tail(tree[v])) count++;
    const out = new Int32Array(count);
    for (let v = to, i = count - 1; i >= 0; i--) {
      out[i] = v;
      if (i > 0) v = this.tail(tree[v]);
    }
    return out;
  }

  distance(from: number, to: number): number {
    this.check(to);
    if (this.lastEdge !== null) return this.distanceFromMatrix(from, to);
    const tree = this.tree(from);
    if (from !== to && tree[to] < 0) return Number.POSITIVE_INFINITY;
    const edges = this.graph.forward.edges;
    let metres = 0;
    for (let v = to; v !== from; ) {
      const slot = tree[v];
      metres += this.edgeLength[edges[slot]];
      v = this.tail(slot);
    }
    return metres;
  }

  get precomputed(): boolean {
    return this.matrix !== null;
  }

  precomputeAll(): void {
    if (this.matrix !== null) return;
    const found = findTables(this.key);
    if (found !== undefined) {
      this.adopt(found);
      return;
    }
    const n = this.n;
    // Shared memory (same cost as an ArrayBuffer): rollout worker threads adopt these tables.
    const matrix = new Float32Array(new SharedArrayBuffer(4 * n * n));
    const lastEdge = new Uint16Array(new SharedArrayBuffer(2 * n * n));
    const canStoreEdges = this.graph.edgeCount < NO_EDGE;
    const { edges } = this.graph.forward;
    for (let u = 0; u < n; u++) {
      this.search.run(this.graph.forward, this.forwardWeight, u);
      matrix.set(this.search.dist, u * n);
      const pred = this.search.predSlot;
      for (let v = 0, k = u * n; v < n; v++, k++)
        lastEdge[k] = pred[v] < 0 ? NO_EDGE : edges[pred[v]];
    }
    const tables = { key: this.key, matrix, lastEdge: canStoreEdges ? lastEdge : null };
    registerTables(tables);
    this.adopt(tables);
  }

  /** The precomputed tables (shared memory; shared-tables.ts), or null before `precomputeAll()`. */
  get sharedTables(): TravelTables | null {
    return this.tables;
  }

  private adopt(tables: TravelTables): void {
    this.tables = tables;
    this.matrix = tables.matrix;
    this.lastEdge = tables.lastEdge;
    this.rows.clear();
  }

  private pathFromMatrix(from: number, to: number): Int32Array {
    this.check(from);
    const { n, graph } = this;
    const last = this.lastEdge!;
    if (from !== to && last[from * n + to] === NO_EDGE) return new Int32Array(0);
    let count = 1;
    for (let v = to; v !== from; v = graph.source[last[from * n + v]]) count++;
    const out = new Int32Array(count);
    for (let v = to, i = count - 1; i >= 0; i--) {
      out[i] = v;
      if (i > 0) v = graph.source[last[from * n + v]];
    }
    return out;
  }

  private distanceFromMatrix(from: number, to: number): number {
    this.check(from);
    const { n, graph } = this;
    const last = this.lastEdge!;
    if (from !== to && last[from * n + to] === NO_EDGE) return Number.POSITIVE_INFINITY;
    let metres = 0;
    for (let v = to; v !== from; ) {
      const e = last[from * n + v];
      metres += this.edgeLength[e];
      v = graph.source[e];
    }
    return metres;
  }

  /** Shortest-path tree from `from` (forward arc slot per node), from the cache or a search. */
  private tree(from: number): Int32Array {
    this.check(from);
    return this.trees.get(from) ?? this.forwardSearch(from);
  }

  /** One full forward search from `from`: caches its time row (unless the matrix exists) and tree. */
  private forwardSearch(from: number): Int32Array {
    this.search.run(this.graph.forward, this.forwardWeight, from);
    if (this.matrix === null) this.rows.set(from, Float32Array.from(this.search.dist));
    const tree = this.search.predSlot.slice();
    this.trees.set(from, tree);
    return tree;
  }

  private tail(slot: number): number {
    return this.graph.source[this.graph.forward.edges[slot]];
  }

  private check(node: number): void {
    if (!(node >= 0 && node < this.n && Number.isInteger(node))) {
      throw new RangeError(`node id ${node} is outside 0..${this.n - 1}`);
    }
  }
}
