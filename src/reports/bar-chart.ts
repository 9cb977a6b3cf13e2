/**
 * Grouped bar chart with 95% CI whiskers: one group per category (an evaluation hour), one bar
 * per series (a dispatcher) in each group.
 */
import { seriesColor } from "./colors.ts";
import { escapeHtml, fmtCi, px } from "./format.ts";
import { linearScale } from "./scale.ts";
import { framedWithLegend, legendFor, svgRoot, xAxisLabels, yAxis } from "./svg.ts";

export interface BarValue {
  mean: number;
  /** Half-width of the 95% CI; NaN (or null) draws no whisker. */
  ci95: number | null;
}

export interface BarChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  groups: string[];
  /** Per series, one value per group. */
  series: { name: string; values: BarValue[] }[];
  /** Multiply values (e.g. 100 for a rate shown in %). */
  scale?: number;
  digits?: number;
  width?: number;
  height?: number;
}

/**
 * An SVG grouped bar chart; the value axis always includes 0 (bars start at 0).
 * @example
 * barChart({ title: "served", xLabel: "hour", yLabel: "orders", groups: ["14:00"],
 *   series: [{ name: "min-eta", values: [{ mean: 120, ci95: 4 }] }] });
 */
export function barChart(o: BarChartOptions): string {
  const { frame, legend } = framedWithLegend(
    legendFor(o.series.map((s) => s.name)),
    o.width,
    o.height,
  );
  const k = o.scale ?? 1;
  const values: number[] = [0];
  for (const s of o.series)
    for (const v of s.values) {
      const half = Number.isFinite(v.ci95) ? (v.ci95 as number) : 0;
      if (Number.isFinite(v.mean)) values.push(k * (v.mean - half), k * (v.mean + half));
    }
  const y = linearScale(
    [Math.min(...values), Math.max(...values)],
    [frame.height - frame.bottom, frame.top],
  );
  const plotW = frame.width - frame.left - frame.right;
  const groupW = plotW / Math.max(1, o.groups.length);
  const barW = (groupW * 0.8) / Math.max(1, o.series.length);
  const bars: string[] = [];
  o.series.forEach((s, i) => {
    s.values.forEach((v, g) => {
      if (!Number.isFinite(v.mean)) return;
      const x = frame.left + g * groupW + groupW * 0.1 + i * barW;
      const top = y(Math.max(0, k * v.mean));
      const bottom = y(Math.min(0, k * v.mean));
      const tip = `${s.name}, ${o.groups[g]}: ${fmtCi(k * v.mean, v.ci95 === null ? null : k * v.ci95, o.digits ?? 0)}`;
      let mark = `<rect x="${px(x + 1)}" y="${px(top)}" width="${px(Math.max(1, barW - 2))}" height="${px(Math.max(0.5, bottom - top))}" fill="${seriesColor(i)}"><title>${escapeHtml(tip)}</title></rect>`;
      if (v.ci95 !== null && Number.isFinite(v.ci95)) {
        const cx = x + barW / 2;
        const lo = y(k * (v.mean - v.ci95));
        const hi = y(k * (v.mean + v.ci95));
        const w = Math.min(6, barW / 3);
        mark += `<path class="whisker" d="M${px(cx)} ${px(lo)}V${px(hi)}M${px(cx - w)} ${px(lo)}H${px(cx + w)}M${px(cx - w)} ${px(hi)}H${px(cx + w)}" stroke="#222" fill="none"/>`;
      }
      bars.push(mark);
    });
  });
  const labels = o.groups.map((label, g) => ({ at: frame.left + (g + 0.5) * groupW, label }));
  return svgRoot(
    frame,
    o.title,
    "bar-chart",
    yAxis(y, frame, o.yLabel) +
      xAxisLabels(labels, frame, o.xLabel) +
      `<g class="bars">${bars.join("")}</g>` +
      legend,
  );
}
