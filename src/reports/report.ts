/**
 * `fleetrl report`: one self-contained HTML page for a run directory — learning curves, per-hour
 * evaluation bars, pickup-time and detour distributions, a map of served / lost demand per zone,
 * a summary table and the run's config, as far as the run's files hold them.
 */
import { join } from "node:path";
import { type City, loadCity } from "../city/city.ts";
import { writeFileAtomic } from "../core/atomic-write.ts";
import { RUN_FILES, type RunKind } from "../core/run-layout.ts";
import {
  distributionsSection,
  fromCompare,
  fromEvaluation,
  type HourlyResults,
  hourlySection,
  hourlyTable,
  METRIC_HEADERS,
  mapSection,
  metricCells,
} from "./evaluation-sections.ts";
import { escapeHtml, fmt } from "./format.ts";
import { learningCurveCharts } from "./learning-curves.ts";
import { mapfReport } from "./mapf-report.ts";
import { flattenConfig, grid, page, type Section, table } from "./page.ts";
import {
  type CompareRun,
  loadRun,
  type RunData,
  type SimulateRun,
  type TrainRun,
} from "./run-data.ts";
import {
  orderTimes,
  simulationDistributionsSection,
  simulationMapSection,
  timelineSection,
} from "./simulation-sections.ts";

/** What the city contributes to a report: zone polygons, and node → zone for event logs. */
export type ReportCity = Pick<City, "zones" | "nodeZone">;

export interface ReportResult {
  path: string;
  kind: RunKind;
  /** Ids of the sections the report holds, in order. */
  sections: string[];
}

/** Load the run in `dir`, build its report and write `dir/report.html` (atomically). */
export function writeReport(dir: string, city: ReportCity = loadCity()): ReportResult {
  const run = loadRun(dir);
  const { html, sections } = buildReport(run, city);
  const path = join(run.dir, RUN_FILES.report);
  writeFileAtomic(path, html);
  const kind = run.kind === "mapf" ? run.runKind : run.kind;
  return { path, kind, sections: sections.map((s) => s.id) };
}

/** The report page of a loaded run (pure: same data, same page). */
export function buildReport(run: RunData, city: ReportCity): { html: string; sections: Section[] } {
  const built =
    run.kind === "mapf"
      ? mapfReport(run)
      : run.kind === "train"
        ? trainReport(run, city)
        : run.kind === "compare"
          ? compareReport(run, city)
          : simulateReport(run, city);
  const sections = [...built.sections.filter((s): s is Section => s !== null), configSection(run)];
  return {
    html: page({
      title: built.title,
      subtitle: [...built.subtitle, `run directory: ${run.dir}`],
      sections,
    }),
    sections,
  };
}

interface Built {
  title: string;
  subtitle: string[];
  sections: (Section | null)[];
}

function trainReport(run: TrainRun, city: ReportCity): Built {
  const { train, eval: evals, algo } = run.logs;
  const last = train[train.length - 1];
  const best = evals.reduce<(typeof evals)[number] | null>(
    (b, r) => (b === null || r.reward > b.reward ? r : b),
    null,
  );
  const summaryRows: string[][] = [
    ["episodes trained", fmt(train.length)],
    ["last episode: reward", fmt(last?.reward, 1)],
    ["last episode: orders served", fmt(num(last?.["env.served"]))],
    ["last episode: service rate", `${fmt(100 * num(last?.["env.serviceRate"]), 1)}%`],
    ["last episode: mean pickup time", `${fmt(num(last?.["env.meanPickupS"]), 1)} s`],
    [
      "best greedy evaluation: reward",
      best ? `${fmt(best.reward, 1)} (episode ${best.episode})` : "none yet",
    ],
  ];
  const results = run.evaluation ? fromEvaluation(run.evaluation, `policy (${algo})`) : null;
  const evalNote = run.evaluation
    ? `<h3>Held-out evaluation (fleetrl eval; mean ± 95% CI over seeds ${run.evaluation.seeds.join(", ")})</h3>${hourlyTable(results as HourlyResults)}`
    : `<p class="intro">No evaluation yet: <code>fleetrl eval --checkpoint ${escapeHtml(join(run.dir, RUN_FILES.best))}</code> adds per-hour bars, distributions and maps to this report.</p>`;
  const charts = learningCurveCharts([run.logs]);
  return {
    title: `fleetrl training run: ${algo}`,
    subtitle: [scenario(run.config)],
    sections: [
      { id: "summary", title: "Summary", html: table(["", "value"], summaryRows) + evalNote },
      charts.length > 0
        ? {
            id: "learning",
            title: "Learning curves",
            intro: "Per training episode; greedy evaluations every few episodes on fixed seeds.",
            html: grid(charts),
          }
        : null,
      ...(results
        ? evaluationSections(
            results,
            "Each dispatcher plays the same episodes (paired seeds); bars are means over the seeds, whiskers their 95% CI.",
            city,
          )
        : []),
    ],
  };
}

function compareReport(run: CompareRun, city: ReportCity): Built {
  const c = run.compare;
  const results = fromCompare(c);
  // an algorithm's curves take the colour of its entry in the bars, histograms and tables
  const charts = learningCurveCharts(run.runs, (algo, i) => {
    const entry = results.entries.indexOf(algo);
    return entry >= 0 ? entry : results.entries.length + i;
  });
  const overall = table(
    ["entry", ...METRIC_HEADERS],
    c.rows.map((r) => [r.entry, ...metricCells(r.overall)]),
  );
  return {
    title: `fleetrl comparison: ${c.config.algos.join(", ")}`,
    subtitle: [
      `${c.config.seeds} seed(s), ${c.config.episodes} training episodes per run; evaluated on hours ${c.config.hours.join(", ")}`,
      scenario(run.config),
    ],
    sections: [
      {
        id: "summary",
        title: "Summary",
        intro: "Mean ± 95% CI over seeds; a seed's value is its mean over the evaluation hours.",
        html: `${overall}<details><summary>per hour</summary>${hourlyTable(results)}</details>`,
      },
      charts.length > 0
        ? {
            id: "learning",
            title: "Learning curves",
            intro:
              "Mean over the training seeds at each episode; the shaded band is its 95% CI (with more than two algorithms, the bands are drawn one algorithm per chart after the shared charts).",
            html: grid(charts),
          }
        : null,
      ...evaluationSections(
        results,
        "Mean over seeds (seed s plays evaluation episode 200000 + s for every entry); whiskers: 95% CI.",
        city,
      ),
    ],
  };
}

function evaluationSections(r: HourlyResults, intro: string, city: ReportCity): (Section | null)[] {
  return [hourlySection(r, intro), distributionsSection(r), mapSection(r, city.zones)];
}

const SIM_METRICS: [string, string, number, number][] = [
  // key, label, scale, digits
  ["requested", "orders requested", 1, 0],
  ["served", "orders served", 1, 0],
  ["lost", "orders lost", 1, 0],
  ["pendingAtEnd", "… of them still waiting at the end", 1, 0],
  ["serviceRate", "service rate (%)", 100, 1],
  ["meanConfirmationS", "mean confirmation time (s)", 1, 1],
  ["meanPickupS", "mean pickup time (s)", 1, 1],
  ["meanWaitS", "mean wait (s)", 1, 1],
  ["meanInVehicleS", "mean time in vehicle (s)", 1, 1],
  ["meanDetourS", "mean detour (s)", 1, 1],
  ["occupancy", "riders per vehicle", 1, 2],
  ["distanceKm", "distance driven (km)", 1, 0],
  ["emptyDistanceKm", "empty distance (km)", 1, 0],
  ["meanIncome", "mean income per vehicle", 1, 2],
  ["incomeStd", "income standard deviation", 1, 2],
  ["incomeGini", "income Gini", 1, 3],
  ["episodeReward", "episode reward", 1, 1],
  ["discountedReward", "discounted reward (γ = 0.99 per minute)", 1, 1],
];

function simulateReport(run: SimulateRun, city: ReportCity): Built {
  const dispatcher = String(run.config.dispatcher ?? "dispatcher");
  const known = new Set(SIM_METRICS.map(([k]) => k));
  const rows = [
    ...SIM_METRICS.filter(([k]) => k in run.metrics).map(([k, label, scale, digits]) => [
      label,
      fmt(scale * run.metrics[k], digits),
    ]),
    ...Object.entries(run.metrics)
      .filter(([k]) => !known.has(k))
      .map(([k, v]) => [k, fmt(v, 2)]),
  ];
  const times = orderTimes(run.events);
  return {
    title: `fleetrl simulation: ${dispatcher}`,
    subtitle: [scenario({ env: run.config, demand: run.config.demand })],
    sections: [
      { id: "summary", title: "Summary", html: table(["metric", "value"], rows) },
      timelineSection(run.events),
      simulationDistributionsSection(times, dispatcher),
      simulationMapSection(run.events, times, dispatcher, city.zones, city.nodeZone),
    ],
  };
}

function configSection(run: RunData): Section {
  return {
    id: "config",
    title: "Configuration",
    intro: "The run's resolved config (config.json): every option, defaults included.",
    html: `<details><summary>show all ${flattenConfig(run.config).length} options</summary>${table(["option", "value"], flattenConfig(run.config), "key")}</details>`,
  };
}

/** "60 vehicles × 3 epochs from 01:00 on 2013-09-01" from a config with an `env` object. */
function scenario(config: Record<string, unknown>): string {
  const env = (config.env ?? {}) as Record<string, unknown>;
  const hour =
    typeof env.startHour === "number"
      ? `${String(Math.floor(env.startHour)).padStart(2, "0")}:00`
      : "?";
  const demand = typeof config.demand === "string" ? config.demand : "the shipped day";
  const named = typeof config.scenario === "string" ? `scenario ${config.scenario}: ` : "";
  return `${named}${env.vehicles ?? "?"} vehicles × ${env.epochs ?? "?"} epochs of ${env.dt ?? 60} s from ${hour} on ${env.date ?? "?"} (${demand})`;
}

function num(v: unknown): number {
  return typeof v === "number" ? v : Number.NaN;
}
