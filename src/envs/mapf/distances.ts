/**
 * Shortest-path distances on a grid map: one breadth-first search per goal gives the distance of
 * every cell to it (4-connected, unit steps), and a cache keeps the maps of recent goals, since
 * lifelong goals recur and every agent reads its goal's map every step.
 */
import type { GridMap } from "./grid-map.ts";

/** Distance of a cell that cannot reach the goal (or is an obstacle). */
export const UNREACHABLE = -1;

/**
 * Distances of every cell to `goal` (UNREACHABLE where no path exists).
 *
 * @example
 * // a 3×1 corridor ". . ." with the goal at the right end
 * bfsDistances({ name: "c", width: 3, height: 1, free: Uint8Array.of(1, 1, 1) }, 2); // [2, 1, 0]
 */
export function bfsDistances(map: GridMap, goal: number, queue?: Int32Array): Int32Array {
  const { width, free } = map;
  const size = free.length;
  const dist = new Int32Array(size).fill(UNREACHABLE);
  if (!free[goal]) return dist;
  const q = queue ?? new Int32Array(size);
  let head = 0;
  let tail = 0;
  q[tail++] = goal;
  dist[goal] = 0;
  while (head < tail) {
    const c = q[head++];
    const d = dist[c] + 1;
    const x = c % width;
    // up, down, left, right — unrolled: this loop is the hot path of a cache miss
    if (c >= width && free[c - width] && dist[c - width] < 0) {
      dist[c - width] = d;
      q[tail++] = c - width;
    }
    if (c + width < size && free[c + width] && dist[c + width] < 0) {
      dist[c + width] = d;
      q[tail++] = c + width;
    }
    if (x > 0 && free[c - 1] && dist[c - 1] < 0) {
      dist[c - 1] = d;
      q[tail++] = c - 1;
    }
    if (x < width - 1 && free[c + 1] && dist[c + 1] < 0) {
      dist[c + 1] = d;
      q[tail++] = c + 1;
    }
  }
  return dist;
}

/**
 * Distance maps of goals on one map, least recently used dropped first once they hold more than
 * `maxCells` entries in total (default 16 M cells = 64 MB). Only speed depends on the cache: a
 * dropped map is recomputed identically.
 */
export class DistanceCache {
  private readonly maps = new Map<number, Int32Array>();
  private readonly queue: Int32Array;
  private readonly capacity: number;
  /** Breadth-first searches run so far (cache misses). */
  searches = 0;

  constructor(
    readonly map: GridMap,
    maxCells = 16_000_000,
  ) {
    this.queue = new Int32Array(map.free.length);
    this.capacity = Math.max(1, Math.floor(maxCells / Math.max(1, map.free.length)));
  }

  /** The distance map of `goal` (shared: do not modify). */
  get(goal: number): Int32Array {
    const hit = this.maps.get(goal);
    if (hit) {
      // Map keeps insertion order: re-inserting marks the entry as most recently used.
      this.maps.delete(goal);
      this.maps.set(goal, hit);
      return hit;
    }
    const dist = bfsDistances(this.map, goal, this.queue);
    this.searches++;
    if (this.maps.size >= this.capacity) this.maps.delete(this.maps.keys().next().value!);
    this.maps.set(goal, dist);
    return dist;
  }
}
