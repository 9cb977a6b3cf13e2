/**
 * Windowed Hierarchical Cooperative A* (WHCA*, D. Silver, "Cooperative Pathfinding", AIIDE
 * 2005): prioritized planning with a space-time reservation table. Every step the agents plan
 * one after another, in priority order, a path of `window` steps through space-time that avoids
 * the cells the agents before them reserved; the heuristic is the true shortest-path distance to
 * the goal (Silver's "hierarchical" abstraction, here the cached BFS map), so the cost of a path
 * cut at the window is exact beyond it. Only the first step of each plan is executed and the
 * whole fleet replans the next step (Silver replans every window/2 steps; every step is simpler
 * and never stale).
 *
 * The reservations follow the environment's movement rule (world.ts): an agent at cell c at time
 * t holds (c, t), and entering c at t + 1 needs c empty at t as well as at t + 1 — no
 * following, hence no swaps. So the first steps of all plans together are always legal and
 * conflict-free. Priority: an agent that found no plan plans first from then on until it reaches
 * its goal (earliest failure first) — else the agent that boxed it in would do so again, for
 * ever, as in a head-on meeting in a corridor; the others by the longest wait for a goal (steps
 * since the last one), then the lower id.
 */
import { UNREACHABLE } from "./distances.ts";
import type { MapfWorld } from "./world.ts";

export class WhcaPlanner {
  readonly cells: number;
  private readonly resvStamp: Int32Array;
  private readonly resvOwner: Int32Array;
  private readonly seen: Int32Array;
  private readonly parent: Int32Array;
  private readonly heap: MinHeap;
  private stamp = 0;
  private search = 0;
  /**
   * Per agent: the step (+1) at which it last found no plan, 0 if it has not since its last goal.
   * Such agents plan first, earliest first, until they reach their goal.
   */
  private boosted = new Int32Array(0);
  private steps = 0;

  constructor(
    cells: number,
    readonly window = 8,
  ) {
    this.cells = cells;
    const layers = window + 1;
    this.resvStamp = new Int32Array(layers * cells);
    this.resvOwner = new Int32Array(layers * cells);
    this.seen = new Int32Array(layers * cells);
    this.parent = new Int32Array(layers * cells);
    this.heap = new MinHeap(layers * cells);
  }

  /** The cell each agent should be in after this step (its own cell = wait), into `next`. */
  plan(world: MapfWorld, next: Int32Array): void {
    const n = world.numAgents;
    this.stamp++;
    for (let i = 0; i < n; i++) this.reserve(0, world.position[i], i);
    if (this.boosted.length !== n) this.boosted = new Int32Array(n);
    this.steps++;
    const boosted = this.boosted;
    for (let i = 0; i < n; i++) if (world.sinceGoal[i] === 0) boosted[i] = 0;
    const rank = (i: number) => (boosted[i] > 0 ? boosted[i] : Number.MAX_SAFE_INTEGER);
    const order = Array.from({ length: n }, (_, i) => i).sort(
      (a, b) => rank(a) - rank(b) || world.sinceGoal[b] - world.sinceGoal[a] || a - b,
    );
    for (const i of order) next[i] = this.planAgent(world, i);
  }

  /** Space-time A* for agent i; reserves its path and returns its cell at t = 1. */
  private planAgent(world: MapfWorld, i: number): number {
    const C = this.cells;
    const W = this.window;
    const { width, free } = world.map;
    const h = world.goalDistances(i);
    const goal = world.goal[i];
    const start = world.position[i];
    const heap = this.heap;
    this.search++;
    heap.clear();
    const push = (node: number, from: number, t: number, c: number) => {
      if (this.seen[node] === this.search) return;
      this.seen[node] = this.search;
      this.parent[node] = from;
      // f = t + h; ties: the deeper node first
      heap.push(node, (t + h[c]) * (W + 2) + (W - t));
    };
    push(start, -1, 0, start);
    let end = -1;
    while (heap.size > 0) {
      const node = heap.pop();
      const t = Math.floor(node / C);
      const c = node - t * C;
      if (c === goal || t === W) {
        end = node;
        break;
      }
      const base = (t + 1) * C;
      if (this.isFree(t + 1, c, i)) push(base + c, node, t + 1, c);
      const x = c % width;
      for (const nb of [c - width, c + width, x > 0 ? c - 1 : -1, x < width - 1 ? c + 1 : -1]) {
        if (nb < 0 || nb >= C || free[nb] === 0 || h[nb] === UNREACHABLE) continue;
        if (this.isFree(t, nb, i) && this.isFree(t + 1, nb, i)) push(base + nb, node, t + 1, nb);
      }
    }
    if (end < 0) {
      // no plan (boxed in by the reservations): stay, and hold the cell for the next step
      this.reserve(1, start, i);
      if (this.boosted[i] === 0) this.boosted[i] = this.steps;
      return start;
    }
    // walk back from the end, reserving: (c, t), and (c, t − 1) when c was entered at t
    const T = Math.floor(end / C);
    const last = end - T * C;
    for (let t = T + 1; t <= W; t++) this.reserve(t, last, i); // it stays at its end cell
    let first = start;
    for (let node = end; node >= 0; node = this.parent[node]) {
      const t = Math.floor(node / C);
      const c = node - t * C;
      this.reserve(t, c, i);
      const prev = this.parent[node];
      if (prev >= 0 && prev - (t - 1) * C !== c) this.reserve(t - 1, c, i);
      if (t === 1) first = c;
    }
    return first;
  }

  private reserve(t: number, c: number, agent: number): void {
    const k = t * this.cells + c;
    this.resvStamp[k] = this.stamp;
    this.resvOwner[k] = agent;
  }

  private isFree(t: number, c: number, agent: number): boolean {
    const k = t * this.cells + c;
    return this.resvStamp[k] !== this.stamp || this.resvOwner[k] === agent;
  }
}

/** A binary min-heap of integer items with numeric keys (typed arrays, no allocation per push). */
class MinHeap {
  private readonly items: Int32Array;
  private readonly keys: Float64Array;
  size = 0;

  constructor(capacity: number) {
    this.items = new Int32Array(capacity);
    this.keys = new Float64Array(capacity);
  }

  clear(): void {
    this.size = 0;
  }

  push(item: number, key: number): void {
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.keys[p] <= key) break;
      this.items[i] = this.items[p];
      this.keys[i] = this.keys[p];
      i = p;
    }
    this.items[i] = item;
    this.keys[i] = key;
  }

  pop(): number {
    const top = this.items[0];
    const item = this.items[--this.size];
    const key = this.keys[this.size];
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && this.keys[child + 1] < this.keys[child]) child++;
      if (this.keys[child] >= key) break;
      this.items[i] = this.items[child];
      this.keys[i] = this.keys[child];
      i = child;
    }
    this.items[i] = item;
    this.keys[i] = key;
    return top;
  }
}
