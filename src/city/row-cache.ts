/**
 * A bounded cache of per-node rows (e.g. all travel times from one node) with CLOCK eviction:
 * a hit only sets a bit, so the hot path stays one array read; when full, the clock hand skips
 * (and clears) recently used entries and evicts the first one not used since its last pass.
 * Evicted rows are dropped, never reused, so a row a caller still holds stays valid.
 */
export class RowCache<T> {
  private readonly byNode: (T | undefined)[];
  private readonly used: Uint8Array;
  private readonly ring: Int32Array;
  private size = 0;
  private hand = 0;

  /**
   * @example
   * const c = new RowCache<string>(10, 2);
   * c.set(1, "a"); c.set(2, "b"); c.get(1); c.set(3, "c"); // evicts 2 (1 was used)
   * c.get(2); // undefined
   */
  constructor(
    nodeCount: number,
    readonly capacity: number,
  ) {
    if (!(capacity >= 1)) throw new RangeError("RowCache capacity must be >= 1");
    this.byNode = new Array<T | undefined>(nodeCount).fill(undefined);
    this.used = new Uint8Array(nodeCount);
    this.ring = new Int32Array(capacity);
  }

  get(node: number): T | undefined {
    const row = this.byNode[node];
    if (row !== undefined) this.used[node] = 1;
    return row;
  }

  set(node: number, row: T): void {
    if (this.byNode[node] !== undefined) {
      this.byNode[node] = row;
      return;
    }
    if (this.size < this.capacity) {
      this.ring[this.size++] = node;
    } else {
      for (;;) {
        const victim = this.ring[this.hand];
        if (this.used[victim]) {
          this.used[victim] = 0;
          this.hand = (this.hand + 1) % this.capacity;
        } else {
          this.byNode[victim] = undefined;
          this.ring[this.hand] = node;
          this.hand = (this.hand + 1) % this.capacity;
          break;
        }
      }
    }
    this.byNode[node] = row;
    this.used[node] = 0;
  }

  /** Number of cached rows. */
  get count(): number {
    return this.size;
  }

  clear(): void {
    for (let i = 0; i < this.size; i++) this.byNode[this.ring[i]] = undefined;
    this.used.fill(0);
    this.size = 0;
    this.hand = 0;
  }
}
