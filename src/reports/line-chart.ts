/**
 * Line chart with optional confidence bands: learning curves (reward or served per episode),
 * a seeds' mean with its 95% CI band, or an episode's timeline.
 */
import { seriesColor } from "./colors.ts";
import { px } from "./format.ts";
import { linearScale } from "./scale.ts";
import { framedWithLegend, svgRoot, xAxis, yAxis } from "./svg.ts";

export interface LineSeries {
  name: string;
  /** [x, y] points; non-finite y values break the line. */
  points: [number, number][];
  /** Optional band: [x, low, high] (e.g. mean ± 95% CI), drawn under the line. */
  band?: [number, number, number][];
  /** Colour index in the palette (default: the series' position). */
  color?: number;
  /** Thin and transparent (raw values under a smoothed line). */
  faint?: boolean;
  /** Draw a dot at each point (sparse series such as periodic evaluations). */
  dots?: boolean;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
  /** x values are counts (episodes, minutes): no fractional ticks. */
  integerX?: boolean;
  width?: number;
  height?: number;
}

/**
 * An SVG line chart; every series gets a legend entry (faint ones share their colour's entry).
 * @example
 * lineChart({ title: "reward", xLabel: "episode", yLabel: "reward",
 *   series: [{ name: "ospo", points: [[1, 10], [2, 12]] }] }); // "<svg class=\"chart line-chart\" …"
 */
export function lineChart(o: LineChartOptions): string {
  const items = o.series
    .map((s, i) => ({
      name: s.name,
      color: seriesColor(s.color ?? i),
      mark: "line" as const,
      faint: s.faint,
    }))
    .filter((item) => !item.faint);
  const { frame, legend } = framedWithLegend(items, o.width, o.height);
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of o.series) {
    for (const [x, y] of s.points) {
      if (!Number.isFinite(y)) continue;
      xs.push(x);
      ys.push(y);
    }
    for (const [x, lo, hi] of s.band ?? []) {
      if (!(Number.isFinite(lo) && Number.isFinite(hi))) continue;
      xs.push(x);
      ys.push(lo, hi);
    }
  }
  const x = linearScale(extent(xs), [frame.left, frame.width - frame.right], 8, o.integerX ? 1 : 0);
  const y = linearScale(extent(ys), [frame.height - frame.bottom, frame.top], 5);
  const marks = o.series.map((s, i) => {
    const color = seriesColor(s.color ?? i);
    const band = s.band ? bandPath(s.band.map(([bx, lo, hi]) => [x(bx), y(lo), y(hi)])) : "";
    const parts = [
      band && `<path class="band" d="${band}" fill="${color}" fill-opacity="0.18" stroke="none"/>`,
      `<path class="line" d="${linePath(s.points.map(([px_, py]) => [x(px_), y(py)]))}" fill="none" stroke="${color}" stroke-width="${s.faint ? 1 : 2}"${s.faint ? ' stroke-opacity="0.35"' : ""}/>`,
    ];
    if (s.dots)
      for (const [px_, py] of s.points)
        if (Number.isFinite(py))
          parts.push(`<circle cx="${px(x(px_))}" cy="${px(y(py))}" r="2.5" fill="${color}"/>`);
    return `<g class="series">${parts.join("")}</g>`;
  });
  return svgRoot(
    frame,
    o.title,
    "line-chart",
    yAxis(y, frame, o.yLabel) + xAxis(x, frame, o.xLabel) + marks.join("") + legend,
  );
}

/**
 * SVG path through points; a non-finite coordinate starts a new sub-path.
 * @example linePath([[0, 0], [10, 5]]) // "M0 0L10 5"
 */
export function linePath(points: [number, number][]): string {
  let d = "";
  let pen = false;
  for (const [x, y] of points) {
    if (!(Number.isFinite(x) && Number.isFinite(y))) {
      pen = false;
      continue;
    }
    d += `${pen ? "L" : "M"}${px(x)} ${px(y)}`;
    pen = true;
  }
  return d;
}

/** Closed path of a band: along the highs, back along the lows (finite points only). */
function bandPath(band: [number, number, number][]): string {
  const ok = band.filter(([, lo, hi]) => Number.isFinite(lo) && Number.isFinite(hi));
  if (ok.length < 2) return "";
  const upper = ok.map(([x, , hi]) => [x, hi] as [number, number]);
  const lower = ok.map(([x, lo]) => [x, lo] as [number, number]).reverse();
  return `${linePath([...upper, ...lower])}Z`;
}

function extent(values: number[]): [number, number] {
  if (values.length === 0) return [0, 1];
  let lo = values[0];
  let hi = values[0];
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}
