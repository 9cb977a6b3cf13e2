/**
 * Learning curves of one or more training runs, side by side in a grid of charts (each chart
 * picks its log and metric), following the runs live: the server pushes every new row of
 * train.jsonl / eval.jsonl over server-sent events and the charts redraw without a reload.
 */
import { api, type Row, type RowsMessage } from "./api.ts";
import { lineChart, PALETTE } from "./chart.ts";
import { h } from "./dom.ts";

interface Panel {
  file: "train" | "eval";
  metric: string;
}

const DEFAULT_PANELS: Panel[] = [
  { file: "train", metric: "reward" },
  { file: "eval", metric: "reward" },
  { file: "train", metric: "env.serviceRate" },
  { file: "train", metric: "env.meanPickupS" },
];

/** The first panels of mapf runs (their logs carry throughput, not orders). */
const MAPF_PANELS: Panel[] = [
  { file: "train", metric: "reward" },
  { file: "eval", metric: "throughput" },
  { file: "train", metric: "env.throughput" },
  { file: "train", metric: "entropy" },
];

/** Exponential moving average with weight `alpha` on the past (0 = raw). */
export function smooth(ys: number[], alpha: number): number[] {
  let acc = Number.NaN;
  return ys.map((y) => {
    if (!Number.isFinite(y)) return y;
    acc = Number.isFinite(acc) ? alpha * acc + (1 - alpha) * y : y;
    return acc;
  });
}

export function curvesView(root: HTMLElement, runs: string[]): () => void {
  const data = new Map(runs.map((r) => [r, { train: [] as Row[], eval: [] as Row[] }]));
  let panels = DEFAULT_PANELS.map((p) => ({ ...p }));
  let chosenPanels = false; // mapf panels replace the defaults once a mapf row arrives
  let alpha = 0;
  const status = h("span", { class: "status", id: "live-status" }, "connecting…");
  const legend = h(
    "div",
    { class: "legend" },
    ...runs.map((r, i) =>
      h(
        "span",
        { class: "key" },
        h("i", { style: `background:${PALETTE[i % PALETTE.length]}` }),
        r,
      ),
    ),
  );
  const grid = h("div", { class: "charts" });
  const smoothing = h("input", { type: "range", min: 0, max: 0.95, step: 0.05, value: 0 });
  smoothing.addEventListener("input", () => {
    alpha = Number(smoothing.value);
    render();
  });
  root.replaceChildren(
    h(
      "div",
      { class: "toolbar" },
      h("h2", {}, `Learning curves (${runs.length} run${runs.length > 1 ? "s" : ""})`),
      h("label", {}, "smoothing ", smoothing),
      status,
    ),
    legend,
    grid,
  );

  const metricsOf = (file: "train" | "eval") => {
    const keys = new Set<string>();
    for (const d of data.values()) {
      for (const row of d[file].slice(-3)) {
        for (const [k, v] of Object.entries(row))
          if (typeof v === "number" && k !== "episode") keys.add(k);
      }
    }
    return [...keys].sort();
  };

  let pending = false;
  function render() {
    pending = false;
    grid.replaceChildren(
      ...panels.map((panel) => {
        const options = metricsOf(panel.file);
        if (!options.includes(panel.metric)) options.unshift(panel.metric);
        const select = h(
          "select",
          { class: "metric" },
          ...(["train", "eval"] as const).flatMap((file) =>
            (file === panel.file ? options : metricsOf(file)).map((m) =>
              h(
                "option",
                { value: `${file}:${m}`, selected: file === panel.file && m === panel.metric },
                `${file}: ${m}`,
              ),
            ),
          ),
        );
        select.addEventListener("change", () => {
          const [file, ...rest] = select.value.split(":");
          panel.file = file as "train" | "eval";
          panel.metric = rest.join(":");
          render();
        });
        const series = runs.map((run, i) => {
          const rows = data.get(run)![panel.file];
          return {
            name: run,
            color: PALETTE[i % PALETTE.length],
            x: rows.map((r) => Number(r.episode)),
            y: smooth(
              rows.map((r) =>
                typeof r[panel.metric] === "number" ? (r[panel.metric] as number) : Number.NaN,
              ),
              alpha,
            ),
          };
        });
        const yLabel = `${panel.metric} (${panel.file === "eval" ? "greedy evaluation" : "training"})`;
        return h("figure", { class: "panel" }, select, lineChart(series, "episode", yLabel));
      }),
    );
  }
  const schedule = () => {
    if (!pending) {
      pending = true;
      requestAnimationFrame(render);
    }
  };

  let rowsSeen = 0;
  const source = api.stream(runs, (m: RowsMessage) => {
    const d = data.get(m.run);
    if (!d) return;
    d[m.file] = m.reset ? m.rows : d[m.file].concat(m.rows);
    if (!chosenPanels && m.rows.length > 0) {
      chosenPanels = true;
      const mapf = m.rows.some((r) => "env.throughput" in r || "throughput" in r);
      if (mapf) panels = MAPF_PANELS.map((p) => ({ ...p }));
    }
    if (!m.reset) {
      rowsSeen += m.rows.length;
      status.textContent = `live · ${rowsSeen} new row${rowsSeen > 1 ? "s" : ""} · last at ${new Date().toLocaleTimeString()}`;
    }
    schedule();
  });
  source.addEventListener("ready", () => {
    status.textContent = "live · waiting for new rows";
  });
  source.addEventListener("error", () => {
    status.textContent = "disconnected · retrying";
  });
  render();
  return () => source.close();
}
