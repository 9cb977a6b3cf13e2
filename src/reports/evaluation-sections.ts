/**
 * Sections drawn from held-out evaluations — evaluation.json of `fleetrl eval` or compare.json
 * of `fleetrl compare` — in one shape: entries (dispatchers / algorithms) × evaluation hours,
 * each with mean ± 95% CI per metric and order distributions.
 */
import type { Zone } from "../city/zones-file.ts";
import { barChart } from "./bar-chart.ts";
import { fmtCi } from "./format.ts";
import { histogramChart } from "./histogram.ts";
import { grid, type Section, table } from "./page.ts";
import type { CompareFile, Distributions, Evaluation, MetricKey, Summary } from "./run-files.ts";
import { zoneMaps } from "./zone-map.ts";

export interface HourlyResults {
  hours: number[];
  entries: string[];
  /** entry → per hour (aligned with `hours`) metric summaries, undefined where not evaluated. */
  metrics: Map<string, (Record<MetricKey, Summary> | undefined)[]>;
  /** entry → distributions merged over the hours. */
  distributions: Map<string, Distributions>;
}

/** evaluation.json's rows; the trained policy is shown as "policy (<algo>)". */
export function fromEvaluation(e: Evaluation, policyName: string): HourlyResults {
  const name = (d: string) => (d === "policy" ? policyName : d);
  const hours = [...new Set(e.rows.map((r) => r.hour))];
  const entries = [...new Set(e.rows.map((r) => name(r.dispatcher)))];
  const metrics = new Map(
    entries.map(
      (n) =>
        [n, hours.map(() => undefined)] as [string, (Record<MetricKey, Summary> | undefined)[]],
    ),
  );
  const distributions = new Map<string, Distributions>();
  e.rows.forEach((r, i) => {
    const entry = name(r.dispatcher);
    (metrics.get(entry) as (Record<MetricKey, Summary> | undefined)[])[hours.indexOf(r.hour)] = r;
    const d = e.distributions[i];
    if (d) distributions.set(entry, merge(distributions.get(entry), d));
  });
  return { hours, entries, metrics, distributions };
}

/** compare.json's rows (per hour) and distributions. */
export function fromCompare(c: CompareFile): HourlyResults {
  const hours = c.config.hours;
  const entries = c.rows.map((r) => r.entry);
  const metrics = new Map(
    c.rows.map(
      (r) => [r.entry, hours.map((h) => r.byHour.find((b) => b.hour === h)?.metrics)] as const,
    ),
  );
  const distributions = new Map<string, Distributions>();
  for (const [entry, perHour] of Object.entries(c.distributions))
    for (const d of perHour) distributions.set(entry, merge(distributions.get(entry), d));
  return { hours, entries, metrics, distributions };
}

const BARS: { metric: MetricKey; title: string; yLabel: string; scale?: number; digits: number }[] =
  [
    {
      metric: "reward",
      title: "Episode reward per evaluation hour",
      yLabel: "episode reward",
      digits: 0,
    },
    {
      metric: "served",
      title: "Orders served per evaluation hour",
      yLabel: "orders served",
      digits: 0,
    },
    {
      metric: "serviceRate",
      title: "Service rate per evaluation hour",
      yLabel: "service rate (%)",
      scale: 100,
      digits: 1,
    },
    {
      metric: "pickupS",
      title: "Mean pickup time per evaluation hour",
      yLabel: "pickup time (s)",
      digits: 1,
    },
  ];

/** Bars per hour and entry (mean, 95% CI whiskers) for reward, served, service rate, pickup. */
export function hourlySection(r: HourlyResults, intro: string): Section {
  const groups = r.hours.map((h) => `${String(h).padStart(2, "0")}:00`);
  const charts = BARS.map((b) =>
    barChart({
      title: b.title,
      xLabel: "start hour of the evaluation episode",
      yLabel: b.yLabel,
      groups,
      scale: b.scale,
      digits: b.digits,
      width: 500,
      height: 280,
      series: r.entries.map((entry) => ({
        name: entry,
        values: (r.metrics.get(entry) ?? []).map(
          (m) => m?.[b.metric] ?? { mean: Number.NaN, ci95: null },
        ),
      })),
    }),
  );
  return { id: "hourly", title: "Evaluation by hour", intro, html: grid(charts) };
}

/** Pickup-time and detour histograms, one outline per entry, over every evaluation episode. */
export function distributionsSection(r: HourlyResults): Section | null {
  const entries = r.entries.filter((e) => r.distributions.has(e));
  if (entries.length === 0) return null;
  const d = (e: string) => r.distributions.get(e) as Distributions;
  return {
    id: "distributions",
    title: "Pickup time and detour",
    intro:
      "Share of delivered orders per 30-second bin, over every evaluation episode and hour. Pickup time: from assignment to pickup; detour: time in the vehicle beyond the direct trip (pooling).",
    html: grid([
      histogramChart({
        title: "Pickup time of delivered orders",
        what: "pickup time",
        series: entries.map((e) => ({ name: e, histogram: d(e).pickupS })),
        width: 500,
        height: 280,
      }),
      histogramChart({
        title: "Detour of delivered orders",
        what: "detour",
        series: entries.map((e) => ({ name: e, histogram: d(e).detourS })),
        width: 500,
        height: 280,
      }),
    ]),
  };
}

/** Maps of the service rate per pickup zone, one per entry. */
export function mapSection(r: HourlyResults, zones: readonly Zone[]): Section | null {
  const entries = r.entries.filter((e) => r.distributions.has(e));
  if (entries.length === 0) return null;
  return {
    id: "map",
    title: "Served and lost demand by zone",
    intro:
      "Manhattan's taxi zones shaded by the share of their orders that were served (orders counted at their pickup zone, over every evaluation episode and hour). Hover a zone for its counts.",
    html: zoneMaps(
      zones,
      entries.map((e) => {
        const d = r.distributions.get(e) as Distributions;
        return { name: e, served: d.servedByZone, lost: d.lostByZone };
      }),
    ),
  };
}

/** Table of every (hour, entry) evaluation: mean ± 95% CI. */
export function hourlyTable(r: HourlyResults): string {
  const rows: string[][] = [];
  r.hours.forEach((hour, h) => {
    for (const entry of r.entries) {
      const m = r.metrics.get(entry)?.[h];
      if (m) rows.push([`${hour}:00`, entry, ...metricCells(m)]);
    }
  });
  return table(["hour", "entry", ...METRIC_HEADERS], rows);
}

export const METRIC_HEADERS = [
  "episode reward",
  "served",
  "service rate %",
  "pickup s",
  "detour s",
  "income Gini",
];

/** Cells for the six metrics, as in compare.md. */
export function metricCells(m: Record<MetricKey, Summary>): string[] {
  const s = (x: Summary, k: number, d: number) => fmtCi(x.mean * k, x.ci95 * k, d);
  return [
    s(m.reward, 1, 0),
    s(m.served, 1, 0),
    s(m.serviceRate, 100, 1),
    s(m.pickupS, 1, 1),
    s(m.detourS, 1, 1),
    s(m.incomeGini, 1, 3),
  ];
}

function merge(into: Distributions | undefined, from: Distributions): Distributions {
  const out: Distributions = into ?? {
    pickupS: { binWidth: from.pickupS.binWidth, counts: from.pickupS.counts.map(() => 0) },
    detourS: { binWidth: from.detourS.binWidth, counts: from.detourS.counts.map(() => 0) },
    servedByZone: {},
    lostByZone: {},
  };
  for (const key of ["pickupS", "detourS"] as const)
    from[key].counts.forEach((n, i) => {
      out[key].counts[i] = (out[key].counts[i] ?? 0) + n;
    });
  for (const [z, n] of Object.entries(from.servedByZone))
    out.servedByZone[z] = (out.servedByZone[z] ?? 0) + n;
  for (const [z, n] of Object.entries(from.lostByZone))
    out.lostByZone[z] = (out.lostByZone[z] ?? 0) + n;
  return out;
}
