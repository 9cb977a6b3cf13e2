/**
 * Histograms of per-order times (pickup, detour, wait) as shares of orders per bin, one outline
 * per series so several dispatchers overlay legibly. The last bin is open-ended.
 */
import { seriesColor } from "./colors.ts";
import { px } from "./format.ts";
import { linePath } from "./line-chart.ts";
import { linearScale } from "./scale.ts";
import { framedWithLegend, legendFor, svgRoot, xAxis, yAxis } from "./svg.ts";

/** Counts per bin of width `binWidth` seconds (bin i covers [i·w, (i+1)·w); the last is open). */
export interface Histogram {
  binWidth: number;
  counts: number[];
}

export interface HistogramOptions {
  title: string;
  /** What is binned, e.g. "pickup time"; the axis reads "<what> (min)". */
  what: string;
  series: { name: string; histogram: Histogram }[];
  width?: number;
  height?: number;
}

/**
 * An SVG histogram in minutes, y = % of the series' orders per bin (so series with different
 * order counts compare), as step outlines with a light fill. The x-axis ends one bin after the
 * last bin any series fills (empty tail bins are not drawn); the open-ended last bin is named
 * only when it is drawn.
 * @example
 * histogramChart({ title: "pickup", what: "pickup time",
 *   series: [{ name: "min-eta", histogram: { binWidth: 30, counts: [5, 3, 2] } }] });
 */
export function histogramChart(o: HistogramOptions): string {
  const { frame, legend } = framedWithLegend(
    legendFor(o.series.map((s) => s.name)),
    o.width,
    o.height,
  );
  const allBins = Math.max(1, ...o.series.map((s) => s.histogram.counts.length));
  const lastFilled = Math.max(-1, ...o.series.map((s) => lastNonZero(s.histogram.counts)));
  const bins = Math.min(allBins, lastFilled + 2);
  const openBinShown = bins === allBins;
  const binMin = (o.series[0]?.histogram.binWidth ?? 60) / 60;
  const shares = o.series.map((s) => {
    const total = s.histogram.counts.reduce((a, b) => a + b, 0);
    return s.histogram.counts.slice(0, bins).map((c) => (total > 0 ? (100 * c) / total : 0));
  });
  const x = linearScale([0, bins * binMin], [frame.left, frame.width - frame.right], 8);
  const y = linearScale(
    [0, Math.max(1, ...shares.flat())],
    [frame.height - frame.bottom, frame.top],
  );
  const marks = shares.map((share, i) => {
    const steps: [number, number][] = [[x(0), y(0)]];
    share.forEach((v, b) => {
      steps.push([x(b * binMin), y(v)], [x((b + 1) * binMin), y(v)]);
    });
    steps.push([x(share.length * binMin), y(0)]);
    const color = seriesColor(i);
    return `<path class="histogram" d="${linePath(steps)}Z" fill="${color}" fill-opacity="${o.series.length > 1 ? 0.08 : 0.3}" stroke="${color}" stroke-width="1.5"/>`;
  });
  const note = openBinShown
    ? `<text x="${frame.width - frame.right}" y="${frame.top + 10}" text-anchor="end" class="note">last bin: ≥ ${px((bins - 1) * binMin)} min</text>`
    : "";
  return svgRoot(
    frame,
    o.title,
    "histogram-chart",
    yAxis(y, frame, "share of orders (%)") +
      xAxis(x, frame, `${o.what} (min), ${px(binMin * 60)}-s bins`) +
      marks.join("") +
      note +
      legend,
  );
}

/**
 * Bin values (seconds) like the simulator's distributions: `bins` bins of `binWidth`, the last
 * open-ended; negative values count in the first bin.
 * @example binSeconds([0, 29, 30, 999], 30, 3).counts // [2, 1, 1]
 */
export function binSeconds(values: Iterable<number>, binWidth: number, bins: number): Histogram {
  const counts = new Array(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.max(0, Math.floor(v / binWidth)))]++;
  return { binWidth, counts };
}

function lastNonZero(counts: readonly number[]): number {
  for (let i = counts.length - 1; i >= 0; i--) if (counts[i] > 0) return i;
  return -1;
}
