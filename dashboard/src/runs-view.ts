/**
 * The runs folder as a table: each run's kind, its main settings, progress and final metrics;
 * a row opens its config and files. Select training runs to compare their learning curves, or
 * one or two simulations to replay them (two: side by side). Refreshes every few seconds.
 */
import { api, type RunSummary } from "./api.ts";
import { fmt, h } from "./dom.ts";

const selected = new Set<string>();
const opened = new Set<string>();

type Cell = string | number | null | undefined;

/** The settings and final metrics the table shows for a run. */
function columns(run: RunSummary): Record<string, Cell> {
  const c = (run.config ?? {}) as Record<string, Record<string, unknown> | unknown>;
  const env = (c.env ?? c) as Record<string, unknown>;
  const train = (c.train ?? {}) as Record<string, unknown>;
  const m = (run.metrics ?? {}) as Record<string, unknown>;
  if (c.environment === "mapf" && run.kind !== "compare") return mapfColumns(run, env, train, m);
  if (run.kind === "train") {
    const last = (m.train ?? {}) as Record<string, number>;
    const ev = (m.eval ?? {}) as Record<string, number>;
    return {
      what: String(train.algo ?? "?"),
      vehicles: env.vehicles as number,
      hour: env.startHour as number,
      seed: train.seed as number,
      progress: `${run.episodes ?? 0}/${run.totalEpisodes ?? "?"} ep`,
      reward: last.reward,
      served: last["env.served"],
      rate: last["env.serviceRate"],
      pickup: last["env.meanPickupS"],
      eval: ev.reward,
    };
  }
  if (run.kind === "simulate") {
    const r = m as Record<string, number>;
    return {
      what: String(c.dispatcher ?? "?"),
      vehicles: env.vehicles as number,
      hour: env.startHour as number,
      seed: c.seed as number,
      progress: `${env.epochs ?? "?"} epochs`,
      reward: r.episodeReward,
      served: r.served,
      rate: r.serviceRate,
      pickup: r.meanPickupS,
      eval: null,
    };
  }
  return {
    what: Object.keys(m).join(", "),
    vehicles: (c.env as Record<string, number> | undefined)?.vehicles,
    hour: null,
    seed: c.seeds ? `${c.seeds} seeds` : null,
    progress: null,
    reward: null,
    served: null,
    rate: null,
    pickup: null,
    eval: null,
  };
}

/** A mapf run: robots under "vehicles", goals under "served", throughput under "rate". */
function mapfColumns(
  run: RunSummary,
  env: Record<string, unknown>,
  train: Record<string, unknown>,
  m: Record<string, unknown>,
): Record<string, Cell> {
  const last = (run.kind === "train" ? (m.train ?? {}) : m) as Record<string, number>;
  const ev = (m.eval ?? {}) as Record<string, number>;
  const sim = run.kind === "simulate";
  return {
    what: String(sim ? (run.config?.dispatcher ?? "?") : (train.algo ?? "?")),
    vehicles: env.agents as number,
    hour: null,
    seed: (sim ? run.config?.seed : train.seed) as number,
    progress: sim
      ? `${env.steps ?? "?"} steps`
      : `${run.episodes ?? 0}/${run.totalEpisodes ?? "?"} ep`,
    reward: sim ? null : last.reward,
    served: sim ? last.goals : last["env.goals"],
    rate: sim ? last.throughput : last["env.throughput"],
    pickup: null,
    eval: sim ? null : ev.throughput,
  };
}

const HEAD = [
  "",
  "run",
  "kind",
  "algo / dispatcher",
  "vehicles / robots",
  "hour",
  "seed",
  "progress",
  "reward",
  "served / goals",
  "service rate / throughput",
  "pickup (s)",
  "last eval",
  "updated",
];

/** True when a training run's log changed in the last minute and it has episodes to go. */
function isLive(run: RunSummary): boolean {
  return (
    run.kind === "train" &&
    (run.episodes ?? 0) < (run.totalEpisodes ?? 0) &&
    Date.now() - run.updatedAt < 60_000
  );
}

export function runsView(root: HTMLElement): () => void {
  const info = h("p", { class: "muted" }, "loading runs…");
  const curvesButton = h("button", { id: "open-curves" }, "");
  const replayButton = h("button", { id: "open-replay" }, "");
  const gridButton = h("button", { id: "open-grid" }, "");
  const table = h("table", { class: "runs", id: "runs-table" });
  root.replaceChildren(
    h("div", { class: "toolbar" }, h("h2", {}, "Runs"), curvesButton, replayButton, gridButton),
    info,
    // the table scrolls inside its box: the page (and the header's nav bar) stays window-wide
    h("div", { class: "table-scroll" }, table),
  );
  let runs: RunSummary[] = [];

  const updateButtons = () => {
    const chosen = runs.filter((r) => selected.has(r.id));
    const trains = chosen.filter((r) => r.kind === "train").map((r) => r.id);
    const sims = chosen
      .filter((r) => r.kind === "simulate" && r.files.includes("events.json"))
      .map((r) => r.id);
    const grids = chosen.filter((r) => r.files.includes("replay.json")).map((r) => r.id);
    gridButton.textContent = `Grid replay (${grids.length})`;
    gridButton.disabled = grids.length !== 1;
    gridButton.onclick = () => (location.hash = `#/grid?runs=${encodeURIComponent(grids[0])}`);
    curvesButton.textContent = `Learning curves (${trains.length})`;
    curvesButton.disabled = trains.length === 0;
    curvesButton.onclick = () =>
      (location.hash = `#/curves?runs=${trains.map(encodeURIComponent).join(",")}`);
    replayButton.textContent =
      sims.length === 2 ? "Replay side by side (2)" : `Replay (${sims.length})`;
    replayButton.disabled = sims.length < 1 || sims.length > 2;
    replayButton.onclick = () =>
      (location.hash = `#/replay?runs=${sims.map(encodeURIComponent).join(",")}`);
  };

  const render = () => {
    const rows: HTMLElement[] = [h("tr", {}, ...HEAD.map((t) => h("th", {}, t)))];
    for (const run of runs) {
      const col = columns(run);
      const box = h("input", {
        type: "checkbox",
        checked: selected.has(run.id),
        "data-run": run.id,
      });
      box.addEventListener("change", () => {
        if (box.checked) selected.add(run.id);
        else selected.delete(run.id);
        updateButtons();
      });
      const name = h("a", { href: "#", class: "run-id" }, run.id);
      name.addEventListener("click", (e) => {
        e.preventDefault();
        if (opened.has(run.id)) opened.delete(run.id);
        else opened.add(run.id);
        render();
      });
      const live = isLive(run) ? h("span", { class: "badge live" }, "live") : null;
      rows.push(
        h(
          "tr",
          { "data-kind": run.kind, "data-run": run.id },
          h("td", {}, run.kind === "compare" ? "" : box),
          h("td", {}, name, live),
          h("td", {}, run.config?.environment === "mapf" ? `${run.kind} (mapf)` : run.kind),
          ...(
            [
              "what",
              "vehicles",
              "hour",
              "seed",
              "progress",
              "reward",
              "served",
              "rate",
              "pickup",
              "eval",
            ] as const
          ).map((k) => h("td", { class: typeof col[k] === "number" ? "num" : "" }, fmt(col[k]))),
          h("td", { class: "muted" }, new Date(run.updatedAt).toLocaleString()),
        ),
      );
      if (opened.has(run.id)) rows.push(details(run));
    }
    table.replaceChildren(...rows);
    updateButtons();
  };

  const load = async () => {
    try {
      const res = await api.runs();
      runs = res.runs;
      info.textContent = `${runs.length} run${runs.length === 1 ? "" : "s"} in ${res.runsDir}`;
      render();
    } catch (err) {
      info.textContent = `cannot list runs: ${(err as Error).message}`;
    }
  };
  void load();
  const timer = setInterval(load, 5000);
  return () => clearInterval(timer);
}

/** The run's config and links to its files. */
function details(run: RunSummary): HTMLElement {
  return h(
    "tr",
    { class: "details" },
    h(
      "td",
      { colspan: HEAD.length },
      h(
        "div",
        { class: "files" },
        "files: ",
        ...run.files.flatMap((f) => [
          h("a", { href: api.fileUrl(run.id, f), target: "_blank" }, f),
          " ",
        ]),
      ),
      h("pre", {}, JSON.stringify(run.config, null, 2)),
      run.kind !== "train" ? h("pre", {}, JSON.stringify(run.metrics, null, 2)) : null,
    ),
  );
}
