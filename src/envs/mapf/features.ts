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
