/**
 * What a MAPF agent sees, as in "Learn to Follow" (Skrynnik et al., AAAI 2024): a local square
 * window of obstacles, other agents and the way to its goal, plus where the goal is.
 *
 * Window channels (window × window cells each, row-major, centred on a cell):
 *   obstacle — 1 for an obstacle or outside the map;
 *   agent    — 1 for a cell another agent occupies;
 *   progress — (d(agent's cell) − d(cell)) / (radius + 1) clipped to [−1, 1], d the shortest-
 *              path distance to the agent's goal: how much closer that cell is (0 on obstacles).
 * The policy scores candidates one at a time (a pair-scoring network), so each candidate row
 * carries the window centred on the cell the move leads to — what the agent would see there —
 * beside the move itself; the agent row (critics) carries the window on the agent's own cell.
 */
import { UNREACHABLE } from "./distances.ts";
import type { MapfWorld } from "./world.ts";

export const WINDOW_CHANNELS = ["obstacle", "agent", "progress"] as const;
/** Scalars in front of the window in an agent row. */
export const AGENT_SCALARS = [
  "goalDx",
  "goalDy",
  "goalDistance",
  "timeFraction",
  "sinceGoalFraction",
  "candidateFraction",
] as const;
/** Scalars in front of the window in a candidate row. */
export const PAIR_SCALARS = [
  "wait",
  "up",
  "down",
  "left",
  "right",
  "progress",
  "reachesGoal",
  "goalDx",
  "goalDy",
  "goalDistance",
] as const;

/** Column names of a window block (channel, dx, dy). */
export function windowNames(window: number): string[] {
  const r = (window - 1) / 2;
  const names: string[] = [];
  for (const ch of WINDOW_CHANNELS)
    for (let dy = -r; dy <= r; dy++)
      for (let dx = -r; dx <= r; dx++) names.push(`${ch}[${dx},${dy}]`);
  return names;
}

/**
 * Write the window centred on `centre` for `agent` into `out` at `offset`
 * (WINDOW_CHANNELS.length × window² floats).
 */
export function writeWindow(
  world: MapfWorld,
  agent: number,
  centre: number,
  window: number,
  out: Float32Array,
  offset: number,
): void {
  const { width, height, free } = world.map;
  const dist = world.goalDistances(agent);
  const r = (window - 1) / 2;
  const scale = 1 / (r + 1);
  const own = dist[world.position[agent]];
  const area = window * window;
  const cx = centre % width;
  const cy = (centre - cx) / width;
  let k = offset;
  for (let dy = -r; dy <= r; dy++) {
    const y = cy + dy;
    for (let dx = -r; dx <= r; dx++, k++) {
      const x = cx + dx;
      if (x < 0 || y < 0 || x >= width || y >= height || free[y * width + x] === 0) {
        out[k] = 1;
        out[k + area] = 0;
        out[k + 2 * area] = 0;
        continue;
      }
      const c = y * width + x;
      const who = world.occupant[c];
      out[k] = 0;
      out[k + area] = who >= 0 && who !== agent ? 1 : 0;
      const d = dist[c];
      out[k + 2 * area] = d === UNREACHABLE ? 0 : clip((own - d) * scale);
    }
  }
}

/**
 * The windows of one agent from one patch: every candidate's window is centred on the agent's
 * cell or a neighbour, and every window value depends only on the cell (obstacle, another agent,
 * progress relative to the agent's own cell), so the (window + 2)² patch around the agent holds
 * them all. `fill` computes it once per agent; `copy` cuts the window centred on a cell at most
 * one step away — exactly what `writeWindow` writes there, at a fifth of the cell look-ups.
 */
export class WindowPatch {
  readonly side: number;
  private readonly values: Float32Array;
  private cx = 0;
  private cy = 0;

  constructor(readonly window: number) {
    this.side = window + 2;
    this.values = new Float32Array(WINDOW_CHANNELS.length * this.side * this.side);
  }

  /** The patch around `agent`'s cell. */
  fill(world: MapfWorld, agent: number): void {
    const { width, height, free } = world.map;
    const dist = world.goalDistances(agent);
    const occupant = world.occupant;
    const r = (this.window - 1) / 2;
    const R = r + 1;
    const scale = 1 / (r + 1);
    const pos = world.position[agent];
    const own = dist[pos];
    const P = this.side;
    const area = P * P;
    const v = this.values;
    this.cx = pos % width;
    this.cy = (pos - this.cx) / width;
    let k = 0;
    for (let dy = -R; dy <= R; dy++) {
      const y = this.cy + dy;
      const rowInside = y >= 0 && y < height;
      for (let dx = -R; dx <= R; dx++, k++) {
        const x = this.cx + dx;
        const c = y * width + x;
        if (!rowInside || x < 0 || x >= width || free[c] === 0) {
          v[k] = 1;
          v[k + area] = 0;
          v[k + 2 * area] = 0;
          continue;
        }
        const who = occupant[c];
        v[k] = 0;
        v[k + area] = who >= 0 && who !== agent ? 1 : 0;
        const d = dist[c];
        v[k + 2 * area] = d === UNREACHABLE ? 0 : clip((own - d) * scale);
      }
    }
  }

  /** Write the window centred on `centre` (the agent's cell or a neighbour) into `out` at `offset`. */
  copy(centre: number, width: number, out: Float32Array, offset: number): void {
    const w = this.window;
    const P = this.side;
    const x = centre % width;
    const ox = x - this.cx + 1; // 0..2: the window's left column in the patch
    const oy = (centre - x) / width - this.cy + 1;
    const v = this.values;
    const area = P * P;
    const winArea = w * w;
    for (let ch = 0; ch < WINDOW_CHANNELS.length; ch++) {
      const src = ch * area + oy * P + ox;
      const dst = offset + ch * winArea;
      for (let dy = 0; dy < w; dy++) {
        const s = src + dy * P;
        const d = dst + dy * w;
        for (let dx = 0; dx < w; dx++) out[d + dx] = v[s + dx];
      }
    }
  }
}

/** Where the goal lies from `cell`: dx, dy (each / (radius + 1), clipped) and distance / (w + h). */
export function goalScalars(
  world: MapfWorld,
  agent: number,
  cell: number,
  window: number,
  out: Float32Array,
  offset: number,
): void {
  const { width, height } = world.map;
  const g = world.goal[agent];
  const scale = 2 / (window + 1);
  out[offset] = clip(((g % width) - (cell % width)) * scale);
  out[offset + 1] = clip((Math.floor(g / width) - Math.floor(cell / width)) * scale);
  out[offset + 2] = Math.max(0, world.goalDistances(agent)[cell]) / (width + height);
}

function clip(v: number): number {
  return v < -1 ? -1 : v > 1 ? 1 : v;
}
