/** A line chart in SVG: one polyline per series, nice axis ticks, a legend. */
import { fmt, svg } from "./dom.ts";

export interface Series {
  name: string;
  color: string;
  x: number[];
  y: number[];
}

export const PALETTE = [
  "#1f77b4",
  "#d62728",
  "#2ca02c",
  "#ff7f0e",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#17becf",
  "#7f7f7f",
  "#bcbd22",
];

/**
 * Round tick values covering [lo, hi], about `count` of them.
 *
 * @example
 * ticks(0, 10, 5); // [0, 2, 4, 6, 8, 10]
 */
export function ticks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
    out.push(Number(v.toPrecision(12)));
  }
  return out;
}

export function lineChart(
  series: Series[],
  xLabel: string,
  yLabel = "",
  width = 560,
  height = 300,
): SVGElement {
  const m = { left: 66, right: 12, top: 10, bottom: 36 };
  const root = svg("svg", {
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    class: "chart",
    role: "img",
  });
  const points = series.flatMap((s) => s.x.map((x, i) => [x, s.y[i]] as const));
  const finite = points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  if (finite.length === 0) {
    const t = svg("text", { x: width / 2, y: height / 2, "text-anchor": "middle", class: "empty" });
    t.textContent = "no data yet";
    root.append(t);
    return root;
  }
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const [x, y] of finite) {
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  }
  if (x1 === x0) x1 = x0 + 1;
  if (y1 === y0) [y0, y1] = [y0 - Math.abs(y0 || 1) * 0.05, y1 + Math.abs(y1 || 1) * 0.05];
  const pad = (y1 - y0) * 0.05;
  y0 -= pad;
  y1 += pad;
  const px = (x: number) => m.left + ((x - x0) / (x1 - x0)) * (width - m.left - m.right);
  const py = (y: number) =>
    height - m.bottom - ((y - y0) / (y1 - y0)) * (height - m.top - m.bottom);

  const axes = svg("g", { class: "axes" });
  for (const v of ticks(y0, y1, 5)) {
    axes.append(
      svg("line", { x1: m.left, x2: width - m.right, y1: py(v), y2: py(v), class: "grid" }),
    );
    const label = svg("text", { x: m.left - 6, y: py(v) + 4, "text-anchor": "end" });
    label.textContent = fmt(v);
    axes.append(label);
  }
  const integerX = finite.every(([x]) => Number.isInteger(x));
  const xTicks = ticks(x0, x1, integerX ? Math.min(6, x1 - x0) : 6).filter(
    (v) => !integerX || Number.isInteger(v),
  );
  for (const v of xTicks) {
    const label = svg("text", { x: px(v), y: height - m.bottom + 16, "text-anchor": "middle" });
    label.textContent = fmt(v);
    axes.append(label);
  }
  const xl = svg("text", {
    x: (m.left + width - m.right) / 2,
    y: height - 4,
    "text-anchor": "middle",
  });
  xl.textContent = xLabel;
  axes.append(xl);
  if (yLabel) {
    const cy = (m.top + height - m.bottom) / 2;
    const yl = svg("text", {
      x: 12,
      y: cy,
      transform: `rotate(-90 12 ${cy})`,
      "text-anchor": "middle",
      class: "axis-title",
    });
    yl.textContent = yLabel;
    axes.append(yl);
  }
  root.append(axes);

  for (const s of series) {
    const d: string[] = [];
    let pen = false;
    for (let i = 0; i < s.x.length; i++) {
      if (!Number.isFinite(s.x[i]) || !Number.isFinite(s.y[i])) {
        pen = false;
        continue;
      }
      d.push(`${pen ? "L" : "M"}${px(s.x[i]).toFixed(1)},${py(s.y[i]).toFixed(1)}`);
      pen = true;
    }
    root.append(
      svg("path", { d: d.join(""), stroke: s.color, class: "line", "data-series": s.name }),
    );
    if (s.x.length <= 30) {
      for (let i = 0; i < s.x.length; i++) {
        if (Number.isFinite(s.y[i])) {
          root.append(svg("circle", { cx: px(s.x[i]), cy: py(s.y[i]), r: 2.5, fill: s.color }));
        }
      }
    }
  }
  return root;
}
