/**
 * Seeded training maps: random obstacles at a density (free cells kept connected), mazes, and
 * warehouse layouts of shelves and aisles. The same parameters and seed give the same map.
 */
import type { Rng } from "../../core/rng.ts";
import type { GridMap } from "./grid-map.ts";

/** An obstacle-free width × height grid. */
export function emptyMap(width: number, height: number): GridMap {
  checkSide("width", width);
  checkSide("height", height);
  return {
    name: `empty-${width}x${height}`,
    width,
    height,
    free: new Uint8Array(width * height).fill(1),
  };
}

/**
 * Obstacles at `density` of the cells, placed in a seeded random order; a cell becomes an
 * obstacle only if the free cells stay one 4-connected region (so the density reached may be a
 * little below the one asked for on dense, thin maps).
 *
 * @example
 * randomMap(32, 32, 0.2, new Rng(1)).name; // "random-32x32-0.2"
 */
export function randomMap(width: number, height: number, density: number, rng: Rng): GridMap {
  checkSide("width", width);
  checkSide("height", height);
  if (!(density >= 0 && density < 1))
    throw new RangeError(`density: expected a number in [0, 1) (got ${density})`);
  const size = width * height;
  const free = new Uint8Array(size).fill(1);
  const order = rng.shuffle(Int32Array.from({ length: size }, (_, i) => i)) as Int32Array;
  const target = Math.floor(density * size);
  const seen = new Int32Array(size);
  const queue = new Int32Array(size);
  let placed = 0;
  let stamp = 0;
  for (let k = 0; k < size && placed < target; k++) {
    const c = order[k];
    free[c] = 0;
    if (staysConnected(width, height, free, c, seen, ++stamp, queue)) placed++;
    else free[c] = 1;
  }
  return { name: `random-${width}x${height}-${density}`, width, height, free };
}

/**
 * True when the free neighbours of the (just blocked) cell `c` still reach one another: a
 * breadth-first search from one of them, stopped as soon as it has met all the others.
 */
function staysConnected(
  width: number,
  height: number,
  free: Uint8Array,
  c: number,
  seen: Int32Array,
  stamp: number,
  queue: Int32Array,
): boolean {
  const nbs = neighbours(c, width, height).filter((nb) => free[nb] === 1);
  if (nbs.length <= 1) return true;
  let missing = nbs.length - 1;
  let head = 0;
  let tail = 0;
  queue[tail++] = nbs[0];
  seen[nbs[0]] = stamp;
  while (head < tail) {
    const cell = queue[head++];
    for (const nb of neighbours(cell, width, height)) {
      if (free[nb] === 0 || seen[nb] === stamp) continue;
      seen[nb] = stamp;
      if (nbs.includes(nb) && --missing === 0) return true;
      queue[tail++] = nb;
    }
  }
  return false;
}

function neighbours(c: number, width: number, height: number): number[] {
  const x = c % width;
  const out: number[] = [];
  if (c >= width) out.push(c - width);
  if (c + width < width * height) out.push(c + width);
  if (x > 0) out.push(c - 1);
  if (x < width - 1) out.push(c + 1);
  return out;
}

/**
 * A maze of 1-cell corridors: rooms on the odd coordinates joined by a seeded depth-first
 * search (a "perfect" maze: one path between any two rooms), then a fraction `loops` of the
 * remaining inner walls knocked down, because a perfect maze of 1-cell corridors lets two
 * robots meeting head-on never pass each other.
 */
export function mazeMap(width: number, height: number, loops: number, rng: Rng): GridMap {
  checkSide("width", width, 3);
  checkSide("height", height, 3);
  if (!(loops >= 0 && loops <= 1))
    throw new RangeError(`loops: expected a number in [0, 1] (got ${loops})`);
  const free = new Uint8Array(width * height);
  const rw = Math.floor((width - 1) / 2);
  const rh = Math.floor((height - 1) / 2);
  const cellOf = (rx: number, ry: number) => (2 * ry + 1) * width + 2 * rx + 1;
  const visited = new Uint8Array(rw * rh);
  const stack = [0];
  visited[0] = 1;
  free[cellOf(0, 0)] = 1;
  while (stack.length > 0) {
    const room = stack[stack.length - 1];
    const rx = room % rw;
    const ry = Math.floor(room / rw);
    const options: number[] = [];
    if (ry > 0 && !visited[room - rw]) options.push(room - rw);
    if (ry < rh - 1 && !visited[room + rw]) options.push(room + rw);
    if (rx > 0 && !visited[room - 1]) options.push(room - 1);
    if (rx < rw - 1 && !visited[room + 1]) options.push(room + 1);
    if (options.length === 0) {
      stack.pop();
      continue;
    }
    const next = options[rng.int(options.length)];
    visited[next] = 1;
    const a = cellOf(rx, ry);
    const b = cellOf(next % rw, Math.floor(next / rw));
    free[(a + b) / 2] = 1; // the wall between two rooms two cells apart
    free[b] = 1;
    stack.push(next);
  }
  // Inner walls between two rooms (odd row and even column, or even row and odd column).
  for (let y = 1; y < 2 * rh; y++) {
    for (let x = 1; x < 2 * rw; x++) {
      const c = y * width + x;
      if (free[c] || (x % 2) + (y % 2) !== 1) continue;
      if (rng.uniform() < loops) free[c] = 1;
    }
  }
  return { name: `maze-${width}x${height}-${loops}`, width, height, free };
}

export interface WarehouseOptions {
  /** Shelf blocks per column and per row of the layout. */
  shelfRows: number;
  shelfCols: number;
  /** Cells of one shelf block: along x and along y. */
  shelfWidth: number;
  shelfHeight: number;
  /** Width of every aisle (around and between shelf blocks). */
  aisle: number;
  /** Open columns on the left and the right (where the stations are). */
  margin: number;
}

/**
 * A warehouse: a grid of shelfRows × shelfCols shelf blocks (shelfWidth × shelfHeight cells
 * each) separated and surrounded by aisles of width `aisle`, with open margins on both sides —
 * the shape of the benchmark's warehouse-10-20-10-2-1 (there: 1-cell aisles, 2-cell-high shelves
 * 10 cells wide, 25-cell margins). Size: width = 2·margin + shelfCols·shelfWidth +
 * (shelfCols + 1)·aisle, height = shelfRows·shelfHeight + (shelfRows + 1)·aisle.
 */
export function warehouseMap(o: WarehouseOptions): GridMap {
  for (const key of ["shelfRows", "shelfCols", "shelfWidth", "shelfHeight", "aisle"] as const)
    checkSide(key, o[key]);
  if (!(Number.isInteger(o.margin) && o.margin >= 0))
    throw new RangeError(`margin: expected an integer ≥ 0 (got ${o.margin})`);
  const width = 2 * o.margin + o.shelfCols * o.shelfWidth + (o.shelfCols + 1) * o.aisle;
  const height = o.shelfRows * o.shelfHeight + (o.shelfRows + 1) * o.aisle;
  checkSide("width", width);
  checkSide("height", height);
  const free = new Uint8Array(width * height).fill(1);
  for (let r = 0; r < o.shelfRows; r++) {
    const y0 = o.aisle + r * (o.shelfHeight + o.aisle);
    for (let s = 0; s < o.shelfCols; s++) {
      const x0 = o.margin + o.aisle + s * (o.shelfWidth + o.aisle);
      for (let y = y0; y < y0 + o.shelfHeight; y++)
        free.fill(0, y * width + x0, y * width + x0 + o.shelfWidth);
    }
  }
  const name = `warehouse-${o.shelfRows}x${o.shelfCols}-${o.shelfWidth}x${o.shelfHeight}-a${o.aisle}-m${o.margin}`;
  return { name, width, height, free };
}

function checkSide(name: string, value: number, min = 1): void {
  if (!Number.isInteger(value) || value < min || value > 4096)
    throw new RangeError(`${name}: expected an integer in ${min}..4096 (got ${value})`);
}
