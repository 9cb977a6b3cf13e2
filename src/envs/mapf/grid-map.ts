/**
 * Grid maps for multi-agent path finding, and the MovingAI benchmark `.map` format (Sturtevant
 * 2012; the MAPF benchmark of Stern et al. 2019):
 *
 *   type octile
 *   height H
 *   width W
 *   map
 *   <H lines of W characters>
 *
 * `.`, `G` and `S` are free cells; `@`, `O`, `T` and `W` are obstacles (data/mapf/README.md).
 * Row 0 is the top line. A cell is `y · width + x`; moves are 4-connected (up, down, left, right).
 */
import { readFileSync } from "node:fs";
import { UserError } from "../../core/errors.ts";

export interface GridMap {
  /** A name for logs (the file name, or the generator and its parameters). */
  readonly name: string;
  readonly width: number;
  readonly height: number;
  /** Shape (height × width), row-major: 1 = free, 0 = obstacle. */
  readonly free: Uint8Array;
}

/** Largest side the reader accepts (the benchmark's game and city maps are ≤ ~1,000). */
export const MAX_MAP_SIDE = 4096;

const FREE_CHARS = ".GS";
const BLOCKED_CHARS = "@OTW";

/** Number of free cells. @example freeCount(parseMap("type octile\nheight 1\nwidth 3\nmap\n.@.\n")) // 2 */
export function freeCount(map: GridMap): number {
  let count = 0;
  for (let c = 0; c < map.free.length; c++) count += map.free[c];
  return count;
}

/**
 * Parse the text of a `.map` file; `file` names it in errors. A bad file is a `UserError`
 * "file:line:char: what was expected" (lines and characters counted from 1).
 *
 * @example
 * parseMap("type octile\nheight 2\nwidth 3\nmap\n..@\n...\n", "tiny.map").free; // [1,1,0,1,1,1]
 */
export function parseMap(text: string, file = "<map>"): GridMap {
  const lines = text.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
  const fail = (line: number, char: number, message: string) =>
    new UserError(`${file}:${line}:${char}: ${message}`);
  const header = (index: number, key: string): string => {
    const line = lines[index];
    if (line === undefined) throw fail(index + 1, 1, `expected "${key} …", the file ends`);
    const m = /^(\S+)\s+(\S+)\s*$/.exec(line);
    if (!m || m[1] !== key) throw fail(index + 1, 1, `expected "${key} <value>" (got "${line}")`);
    return m[2];
  };
  const side = (index: number, key: string): number => {
    const value = header(index, key);
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < 1 || n > MAX_MAP_SIDE)
      throw fail(index + 1, key.length + 2, `${key}: expected an integer in 1..${MAX_MAP_SIDE}`);
    return n;
  };
  header(0, "type"); // always "octile" in the benchmark; the moves here are 4-connected anyway
  const height = side(1, "height");
  const width = side(2, "width");
  if (lines[3]?.trim() !== "map") throw fail(4, 1, `expected "map" (got "${lines[3] ?? ""}")`);
  const free = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const lineNo = 5 + y;
    const row = lines[4 + y];
    if (row === undefined || (row === "" && 4 + y >= lines.length - 1))
      throw fail(lineNo, 1, `expected ${height} map rows, the file ends after ${y}`);
    for (let x = 0; x < width; x++) {
      const ch = row[x];
      if (ch === undefined)
        throw fail(lineNo, x + 1, `expected ${width} characters, the row has ${row.length}`);
      if (FREE_CHARS.includes(ch)) free[y * width + x] = 1;
      else if (!BLOCKED_CHARS.includes(ch))
        throw fail(lineNo, x + 1, `unknown cell "${ch}" (free: . G S; obstacle: @ O T W)`);
    }
    if (row.length > width && row.slice(width).trim() !== "")
      throw fail(lineNo, width + 1, `expected ${width} characters, the row is longer`);
  }
  for (let i = 4 + height; i < lines.length; i++) {
    if (lines[i].trim() !== "")
      throw fail(i + 1, 1, `expected the end of the file after ${height} map rows`);
  }
  return { name: file, width, height, free };
}

/** Read and parse a `.map` file; a missing or unreadable file is a `UserError` too. */
export function readMapFile(path: string): GridMap {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new UserError(`${path}: cannot read the map (${(e as Error).message})`);
  }
  return parseMap(text, path);
}

/** The map as `.map` text (free `.`, obstacle `@`), which `parseMap` reads back unchanged. */
export function formatMap(map: GridMap): string {
  const rows: string[] = [];
  for (let y = 0; y < map.height; y++) {
    let row = "";
    for (let x = 0; x < map.width; x++) row += map.free[y * map.width + x] ? "." : "@";
    rows.push(row);
  }
  return `type octile\nheight ${map.height}\nwidth ${map.width}\nmap\n${rows.join("\n")}\n`;
}

/**
 * The free cells of the largest 4-connected component (ascending cell order; ties: the component
 * holding the lowest cell). Agents and goals live there, so every goal is reachable.
 */
export function largestComponent(map: GridMap): Int32Array {
  const { width, height, free } = map;
  const label = new Int32Array(width * height).fill(-1);
  const queue = new Int32Array(width * height);
  let best = -1;
  let bestSize = 0;
  let next = 0;
  for (let start = 0; start < free.length; start++) {
    if (!free[start] || label[start] >= 0) continue;
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    label[start] = next;
    while (head < tail) {
      const c = queue[head++];
      const x = c % width;
      for (const nb of [c - width, c + width, x > 0 ? c - 1 : -1, x < width - 1 ? c + 1 : -1]) {
        if (nb >= 0 && nb < free.length && free[nb] && label[nb] < 0) {
          label[nb] = next;
          queue[tail++] = nb;
        }
      }
    }
    if (tail > bestSize) {
      bestSize = tail;
      best = next;
    }
    next++;
  }
  const cells = new Int32Array(bestSize);
  for (let c = 0, k = 0; c < free.length; c++) if (label[c] === best) cells[k++] = c;
  return cells;
}
