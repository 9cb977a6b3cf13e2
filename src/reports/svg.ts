/**
 * The common frame of the report's charts: an <svg> with a legend row, a plot area, gridlines,
 * tick labels and axis titles. Charts draw their marks inside it.
 */
import { seriesColor } from "./colors.ts";
import { escapeHtml, px } from "./format.ts";
import { type LinearScale, tickLabel } from "./scale.ts";

export interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** Default chart size and margins (legend row on top, axis titles left and below). */
export function defaultFrame(width = 640, height = 300): Frame {
  return { width, height, left: 64, right: 16, top: 34, bottom: 46 };
}

export interface LegendItem {
  name: string;
  color: string;
  /** "line" draws a stroke sample, "box" a filled square. */
  mark?: "line" | "box";
}

/** Legend items for named series in palette order. */
export function legendFor(names: string[]): LegendItem[] {
  return names.map((name, i) => ({ name, color: seriesColor(i) }));
}

const LEGEND_ROW = 18;

/**
 * The frame of a chart with its legend on top: items laid out left to right, wrapping onto more
 * rows when they do not fit (the chart grows by the extra rows, its plot area keeps its height).
 */
export function framedWithLegend(
  items: LegendItem[],
  width?: number,
  height?: number,
): { frame: Frame; legend: string } {
  const frame = defaultFrame(width, height);
  const right = frame.width - frame.right;
  let x = frame.left;
  let row = 0;
  const parts: string[] = [];
  for (const item of items) {
    const w = 21 + 7 * item.name.length + 18;
    if (x > frame.left && x + w - 18 > right) {
      row++;
      x = frame.left;
    }
    const y = 14 + row * LEGEND_ROW;
    const sample =
      item.mark === "line"
        ? `<line x1="${x}" y1="${y}" x2="${x + 16}" y2="${y}" stroke="${item.color}" stroke-width="3"/>`
        : `<rect x="${x + 2}" y="${y - 6}" width="12" height="12" fill="${item.color}"/>`;
    parts.push(
      `${sample}<text x="${x + 21}" y="${y + 4}" class="legend">${escapeHtml(item.name)}</text>`,
    );
    x += w;
  }
  const extra = row * LEGEND_ROW;
  return {
    frame: { ...frame, top: frame.top + extra, height: frame.height + extra },
    legend: `<g class="legend">${parts.join("")}</g>`,
  };
}

/** Horizontal gridlines with y tick labels, and the y axis title (rotated). */
export function yAxis(y: LinearScale, frame: Frame, title: string): string {
  const step = y.ticks.length > 1 ? y.ticks[1] - y.ticks[0] : 1;
  const x0 = frame.left;
  const x1 = frame.width - frame.right;
  const ticks = y.ticks
    .map((t) => {
      const yy = px(y(t));
      return `<line x1="${x0}" y1="${yy}" x2="${x1}" y2="${yy}" class="grid"/><text x="${x0 - 6}" y="${yy}" dy="0.32em" text-anchor="end" class="tick">${tickLabel(t, step)}</text>`;
    })
    .join("");
  const cy = (frame.top + frame.height - frame.bottom) / 2;
  return `<g class="y-axis">${ticks}<text transform="translate(14 ${px(cy)}) rotate(-90)" text-anchor="middle" class="axis-title">${escapeHtml(title)}</text></g>`;
}

/** X tick labels (numeric scale) and the x axis title. */
export function xAxis(x: LinearScale, frame: Frame, title: string): string {
  const step = x.ticks.length > 1 ? x.ticks[1] - x.ticks[0] : 1;
  return xAxisLabels(
    x.ticks.map((t) => ({ at: x(t), label: tickLabel(t, step) })),
    frame,
    title,
  );
}

/** X labels at given positions (e.g. categories) and the x axis title. */
export function xAxisLabels(
  labels: { at: number; label: string }[],
  frame: Frame,
  title: string,
): string {
  const base = frame.height - frame.bottom;
  const ticks = labels
    .map(
      (l) =>
        `<line x1="${px(l.at)}" y1="${base}" x2="${px(l.at)}" y2="${base + 4}" class="axis"/><text x="${px(l.at)}" y="${base + 16}" text-anchor="middle" class="tick">${escapeHtml(l.label)}</text>`,
    )
    .join("");
  const cx = (frame.left + frame.width - frame.right) / 2;
  return `<g class="x-axis"><line x1="${frame.left}" y1="${base}" x2="${frame.width - frame.right}" y2="${base}" class="axis"/>${ticks}<text x="${px(cx)}" y="${frame.height - 8}" text-anchor="middle" class="axis-title">${escapeHtml(title)}</text></g>`;
}

/** The <svg> element around a chart's parts, with an accessible title. */
export function svgRoot(frame: Frame, title: string, cls: string, body: string): string {
  return `<svg class="chart ${cls}" role="img" viewBox="0 0 ${frame.width} ${frame.height}" width="${frame.width}" height="${frame.height}"><title>${escapeHtml(title)}</title>${body}</svg>`;
}
