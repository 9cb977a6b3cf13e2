/**
 * A MAPF episode drawn on its grid (inline SVG, no script): the map (obstacles dark), every
 * robot's path over the recorded steps in its own colour, where it started (hollow circle), where
 * it ended (filled), the goals it reached (small diamonds) and the goal it holds at the end
 * (square, joined to the robot by a dashed line) — and snapshots of the fleet at a few steps.
 */
import type { MapfReplayFile } from "../envs/mapf/replay.ts";
import { seriesColor } from "./colors.ts";
import { escapeHtml, px } from "./format.ts";

/** Cell side in px so the map is at most `maxWidth` wide (2..16 px). */
export function cellSize(width: number, maxWidth: number): number {
  return Math.max(2, Math.min(16, Math.floor(maxWidth / width)));
}

/** The map's obstacles, one rect per run of obstacle cells in a row. */
function obstacles(r: MapfReplayFile, s: number): string {
  const rects: string[] = [];
  r.map.rows.forEach((row, y) => {
    for (let x = 0; x < row.length; ) {
      if (row[x] !== "@") {
        x++;
        continue;
      }
      let end = x;
      while (end < row.length && row[end] === "@") end++;
      rects.push(`<rect x="${x * s}" y="${y * s}" width="${(end - x) * s}" height="${s}"/>`);
      x = end;
    }
  });
  return `<g fill="#4a4a4a">${rects.join("")}</g>`;
}

const centre = (c: number, width: number, s: number): [number, number] => [
  (c % width) * s + s / 2,
  Math.floor(c / width) * s + s / 2,
];

function frame(r: MapfReplayFile, s: number, cls: string, label: string, body: string): string {
  const w = r.map.width * s;
  const h = r.map.height * s;
  return `<svg class="chart ${cls}" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${escapeHtml(label)}"><rect width="${w}" height="${h}" fill="#fbfbf8" stroke="#999"/>${obstacles(r, s)}${body}</svg>`;
}

/** The whole episode: paths, starts, ends, reached goals and the goals held at the end. */
export function gridPathsSvg(r: MapfReplayFile, maxWidth = 960): string {
  const s = cellSize(r.map.width, maxWidth);
  const { width } = r.map;
  const n = r.agents;
  const T = r.recordedSteps;
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const color = seriesColor(i);
    const points: string[] = [];
    const reached: string[] = [];
    for (let t = 0; t <= T; t++) {
      const [x, y] = centre(r.positions[t * n + i], width, s);
      points.push(`${px(x)},${px(y)}`);
      if (t > 0 && r.goals[t * n + i] !== r.goals[(t - 1) * n + i]) {
        const [gx, gy] = centre(r.goals[(t - 1) * n + i], width, s);
        const d = s * 0.35;
        reached.push(
          `M${px(gx)},${px(gy - d)}l${px(d)},${px(d)}l${px(-d)},${px(d)}l${px(-d)},${px(-d)}z`,
        );
      }
    }
    const [sx, sy] = centre(r.positions[i], width, s);
    const [ex, ey] = centre(r.positions[T * n + i], width, s);
    const [gx, gy] = centre(r.goals[T * n + i], width, s);
    parts.push(
      `<g class="agent" data-agent="${i}" stroke="${color}" fill="${color}">` +
        `<polyline class="path" points="${points.join(" ")}" fill="none" stroke-width="${px(Math.max(1, s * 0.22))}" stroke-opacity="0.6" stroke-linejoin="round"/>` +
        (reached.length
          ? `<path class="reached" d="${reached.join("")}" stroke="none" fill-opacity="0.8"/>`
          : "") +
        `<circle class="start" cx="${px(sx)}" cy="${px(sy)}" r="${px(s * 0.38)}" fill="none" stroke-width="1"/>` +
        `<line class="to-goal" x1="${px(ex)}" y1="${px(ey)}" x2="${px(gx)}" y2="${px(gy)}" stroke-width="1" stroke-dasharray="3 2" stroke-opacity="0.7"/>` +
        `<rect class="goal" x="${px(gx - s * 0.4)}" y="${px(gy - s * 0.4)}" width="${px(s * 0.8)}" height="${px(s * 0.8)}" fill="none" stroke-width="1.5"/>` +
        `<circle class="end" cx="${px(ex)}" cy="${px(ey)}" r="${px(s * 0.42)}" stroke="none"/></g>`,
    );
  }
  return frame(
    r,
    s,
    "grid-paths",
    `paths of ${n} robots over ${T} steps on ${r.map.name}`,
    parts.join(""),
  );
}

/** The fleet after `t` steps: robots (filled) and the goals they hold (squares, joined). */
export function gridSnapshotSvg(r: MapfReplayFile, t: number, maxWidth = 240): string {
  const s = cellSize(r.map.width, maxWidth);
  const { width } = r.map;
  const n = r.agents;
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const color = seriesColor(i);
    const [x, y] = centre(r.positions[t * n + i], width, s);
    const [gx, gy] = centre(r.goals[t * n + i], width, s);
    parts.push(
      `<g class="agent" stroke="${color}" fill="${color}"><line x1="${px(x)}" y1="${px(y)}" x2="${px(gx)}" y2="${px(gy)}" stroke-width="0.8" stroke-opacity="0.45"/>` +
        `<rect x="${px(gx - s * 0.4)}" y="${px(gy - s * 0.4)}" width="${px(s * 0.8)}" height="${px(s * 0.8)}" fill="none" stroke-width="1"/>` +
        `<circle cx="${px(x)}" cy="${px(y)}" r="${px(s * 0.45)}" stroke="none"/></g>`,
    );
  }
  return frame(r, s, "grid-snapshot", `robots and goals after ${t} steps`, parts.join(""));
}

/** Snapshot steps: 0, then evenly spaced to the last recorded step (`count` in all). */
export function snapshotSteps(recorded: number, count = 4): number[] {
  if (recorded === 0) return [0];
  const steps = Array.from({ length: count }, (_, k) => Math.round((k * recorded) / (count - 1)));
  return [...new Set(steps)];
}

/** Goals reached up to each step (t = 0 … recordedSteps). @example cumulativeGoals([1, 0, 2]) // [0, 1, 1, 3] */
export function cumulativeGoals(goalsPerStep: readonly number[]): number[] {
  const out = [0];
  for (const g of goalsPerStep) out.push(out[out.length - 1] + g);
  return out;
}
