/**
 * Precomputed travel-time tables shared between threads. `TravelTimes.precomputeAll()` fills
 * its n×n matrix (and last edges) in SharedArrayBuffers and registers them here under a key of
 * the graph and the hour's edge times; a rollout worker thread is handed the tables alive in the
 * learner's thread (`aliveTables`, sent in workerData: shared, not copied) and `installTables`
 * them, so its own `precomputeAll()` of the same hour adopts them instead of computing (and
 * holding) a copy. The values are those the worker would have computed: same graph, same weights,
 * same searches. Tables are immutable once registered.
 */

export interface TravelTables {
  /** The graph's node and edge counts and a hash of the hour's edge times (`tablesKey`). */
  readonly key: string;
  readonly matrix: Float32Array;
  readonly lastEdge: Uint16Array | null;
}

/** Tables this thread computed: weak, so a released hour's ~100 MB still goes. */
const made = new Map<string, WeakRef<TravelTables>>();
/** Tables another thread computed and handed over: kept for the thread's life. */
const installed = new Map<string, TravelTables>();

/** FNV-1a over the edge times' bytes, with the graph's size: which tables fit a profile. */
export function tablesKey(nodeCount: number, edgeCount: number, edgeTime: Float32Array): string {
  const bytes = new Uint8Array(edgeTime.buffer, edgeTime.byteOffset, edgeTime.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return `${nodeCount}/${edgeCount}/${edgeTime.length}/${(h >>> 0).toString(16)}`;
}

export function findTables(key: string): TravelTables | undefined {
  return installed.get(key) ?? made.get(key)?.deref();
}

export function registerTables(tables: TravelTables): void {
  made.set(tables.key, new WeakRef(tables));
}

/** The shared tables alive in this thread (to hand to worker threads). */
export function aliveTables(): TravelTables[] {
  const out = new Map<string, TravelTables>(installed);
  for (const [key, ref] of made) {
    const t = ref.deref();
    if (t === undefined) made.delete(key);
    else if (t.matrix.buffer instanceof SharedArrayBuffer) out.set(key, t);
  }
  return [...out.values()];
}

/** Adopt tables another thread computed (a worker thread, from its workerData). */
export function installTables(tables: readonly TravelTables[]): void {
  for (const t of tables) installed.set(t.key, t);
}
