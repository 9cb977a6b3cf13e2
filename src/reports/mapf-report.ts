/**
 * The report of a mapf run (simulate, train or compare with `--env mapf`): throughput and the
 * other metrics, learning curves, held-out evaluation per map, and the grid replay — paths of
 * every robot, the goals they reached and hold, snapshots of the fleet at a few steps, and goals
 * over the episode.
 */
import { join } from "node:path";
import { RUN_FILES } from "../core/run-layout.ts";
import type { MapfReplayFile } from "../envs/mapf/replay.ts";
import { escapeHtml, fmt, fmtCi } from "./format.ts";
import { cumulativeGoals, gridPathsSvg, gridSnapshotSvg, snapshotSteps } from "./grid-replay.ts";
import { type Curve, DIAGNOSTIC_CURVES, learningCurveCharts } from "./learning-curves.ts";
import { lineChart } from "./line-chart.ts";
import type { MapfMetricSummaries } from "./mapf-files.ts";
import { grid, type Section, table } from "./page.ts";
import type { MapfRun } from "./run-data.ts";

export interface MapfBuilt {
  title: string;
  subtitle: string[];
  sections: (Section | null)[];
}

const HEADERS = ["throughput (goals/step)", "goals", "waits %", "fairness (Jain)"];
function cells(m: MapfMetricSummaries): string[] {
  return [
    fmtCi(m.throughput.mean, m.throughput.ci95, 3),
    fmtCi(m.goals.mean, m.goals.ci95, 1),
    fmtCi(100 * m.waitFraction.mean, 100 * m.waitFraction.ci95, 1),
    fmtCi(m.fairness.mean, m.fairness.ci95, 3),
  ];
}

export function mapfReport(run: MapfRun): MapfBuilt {
  if (run.runKind === "simulate") return simulateReport(run);
  if (run.runKind === "train") return trainReport(run);
  return compareReport(run);
}

function envLine(env: Record<string, unknown>): string {
  const map = String(env.map ?? "random");
  const size = map.endsWith(".map") ? "" : ` ${env.width ?? 32}×${env.height ?? 32}`;
  return `map ${map}${size}, ${env.agents ?? 64} agents, ${env.steps ?? 64} steps, window ${env.window ?? 11}`;
}

function simulateReport(run: MapfRun): MapfBuilt {
  const m = run.metrics ?? {};
  const rows: [string, string][] = [
    ["throughput (goals per step)", fmt(m.throughput, 3)],
    ["goals reached", fmt(m.goals)],
    ["steps", fmt(m.steps)],
    ["robots", fmt(m.agents)],
    ["waits (share of robot-steps)", `${fmt(100 * (m.waitFraction ?? Number.NaN), 1)}%`],
    ["conflicts (lost to a lower id)", fmt(m.conflicts)],
    ["fairness of goals per robot (Jain)", fmt(m.fairness, 3)],
    ["Gini of goals per robot", fmt(m.goalsGini, 3)],
  ];
  return {
    title: `fleetrl simulation (mapf): ${String(run.config.dispatcher ?? "dispatcher")}`,
    subtitle: [`${envLine(run.config)}, seed ${run.config.seed ?? 0}`],
    sections: [
      { id: "summary", title: "Summary", html: table(["metric", "value"], rows) },
      ...replaySections(run.replay),
    ],
  };
}

function trainReport(run: MapfRun): MapfBuilt {
  const logs = run.logs[0];
  const last = logs.train[logs.train.length - 1];
  const best = logs.eval
    .filter((r) => r.episode > 0)
    .reduce<(typeof logs.eval)[number] | null>(
      (b, r) => (b === null || r.reward > b.reward ? r : b),
      null,
    );
  const summary: [string, string][] = [
    ["episodes trained", fmt(logs.train.length)],
    ["last episode: reward", fmt(last?.reward, 1)],
    ["last episode: throughput (ε-greedy)", fmt(last?.["env.throughput"] as number, 3)],
    [
      "best greedy evaluation: throughput",
      best
        ? `${fmt(best.throughput as number, 3)} (episode ${best.episode}, reward ${fmt(best.reward, 1)})`
        : "none yet",
    ],
  ];
  const ev = run.evaluation;
  const evaluation: Section | null = ev
    ? {
        id: "evaluation",
        title: "Held-out maps",
        intro: `fleetrl eval: ${ev.agents} robots, ${ev.steps} steps, mean ± 95% CI over the episodes of seeds ${ev.seeds.join(", ")} (every controller plays the same episodes).`,
        html: table(
          ["map", "controller", ...HEADERS],
          ev.rows.map((r) => [
            r.map,
            r.dispatcher === "policy" ? ev.policy : r.dispatcher,
            ...cells(r.metrics),
          ]),
        ),
      }
    : null;
  const hint = `<p class="intro">No held-out evaluation yet: <code>fleetrl eval --checkpoint ${escapeHtml(join(run.dir, RUN_FILES.best))} --maps random,maze,data/mapf/warehouse-10-20-10-2-1.map</code> adds a table per map and the policy's replay to this report.</p>`;
  return {
    title: `fleetrl training run (mapf): ${logs.algo}`,
    subtitle: [envLine((run.config.env ?? {}) as Record<string, unknown>)],
    sections: [
      { id: "summary", title: "Summary", html: table(["", "value"], summary) + (ev ? "" : hint) },
      curvesSection(run),
      evaluation,
      ...replaySections(run.replay),
    ],
  };
}

function compareReport(run: MapfRun): MapfBuilt {
  const c = run.compare!;
  const env = (c.config.env ?? {}) as Record<string, unknown>;
  const maps = c.rows[0]?.byMap.map((b) => b.map) ?? [];
  const perMap = maps.map(
    (map, m) =>
      `<h3>${escapeHtml(map)}</h3>${table(
        ["entry", ...HEADERS],
        c.rows.map((r) => [r.entry, ...cells(r.byMap[m].metrics)]),
      )}`,
  );
  return {
    title: `fleetrl comparison (mapf): ${c.config.algos.join(", ")}`,
    subtitle: [
      `trained on ${envLine(env)}; ${c.config.seeds} seed(s), ${c.config.episodes} training episodes per run; evaluated on ${maps.join(", ")}`,
    ],
    sections: [
      {
        id: "summary",
        title: "Summary",
        intro:
          "Mean ± 95% CI over seeds; a seed's value is its mean over the maps (per map below). Seed s plays the same evaluation episodes for every entry.",
        html: `${table(
          ["entry", ...HEADERS],
          c.rows.map((r) => [r.entry, ...cells(r.overall)]),
        )}<details open><summary>per map</summary>${perMap.join("")}</details>`,
      },
      curvesSection(run),
    ],
  };
}

/** Throughput and reward during training and in the greedy evaluations, then the diagnostics. */
export const MAPF_CURVES: Curve[] = [
  {
    title: "Greedy evaluation throughput (mean over the evaluation episodes)",
    yLabel: "goals per step",
    log: "eval",
    value: (r) => r.throughput,
  },
  {
    title: "Throughput per training episode (ε-greedy exploration)",
    yLabel: "goals per step",
    log: "train",
    value: (r) => r["env.throughput"],
  },
  {
    title: "Greedy evaluation reward (goals and shaping)",
    yLabel: "episode reward",
    log: "eval",
    value: (r) => r.reward,
  },
  ...DIAGNOSTIC_CURVES,
];

function curvesSection(run: MapfRun): Section | null {
  if (run.logs.length === 0) return null;
  const charts = learningCurveCharts(run.logs, undefined, 500, MAPF_CURVES);
  if (charts.length === 0) return null;
  return {
    id: "learning",
    title: "Learning curves",
    intro:
      "Per training episode; greedy evaluations every few episodes on fixed seeds (with several seeds: their mean and 95% CI band).",
    html: grid(charts),
  };
}

/** The grid replay: paths over the episode, snapshots, and goals over time. */
function replaySections(replay: MapfReplayFile | null): Section[] {
  if (replay === null) return [];
  const r = replay;
  const cut =
    r.recordedSteps < r.steps ? ` (the first ${r.recordedSteps} of ${r.steps} steps recorded)` : "";
  const snaps = snapshotSteps(r.recordedSteps).map(
    (t) =>
      `<figure class="map-panel">${gridSnapshotSvg(r, t)}<figcaption>step ${t}</figcaption></figure>`,
  );
  const goals = cumulativeGoals(r.goalsPerStep);
  const chart = lineChart({
    title: "Goals reached over the episode",
    xLabel: "step",
    yLabel: "goals (cumulative)",
    series: [{ name: r.dispatcher, points: goals.map((g, t) => [t, g] as [number, number]) }],
    integerX: true,
    width: 500,
    height: 240,
  });
  return [
    {
      id: "replay",
      title: "Grid replay",
      intro: `${r.dispatcher} on ${r.map.name} (${r.map.width} × ${r.map.height}), ${r.agents} robots, seed ${r.seed}${cut}: each robot's path in its colour from its start (hollow circle) to where it ended (filled); diamonds mark the goals it reached, the square the goal it holds at the end (dashed line). Throughput ${fmt(r.metrics.throughput, 3)} goals per step.`,
      html: `<div class="grid-replay">${gridPathsSvg(r)}</div>`,
    },
    {
      id: "snapshots",
      title: "The fleet over steps",
      intro:
        "Robots (dots) and the goals they hold (squares, joined by a line) at evenly spaced steps; a robot that reaches its goal gets a new one at once.",
      html: `<div class="maps">${snaps.join("")}</div>${chart}`,
    },
  ];
}
