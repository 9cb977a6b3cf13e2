/** Whole reports built from small hand-made run directories with known contents. */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { loadCity } from "../../src/city/city.ts";
import { buildReport } from "../../src/reports/report.ts";
import { loadRun } from "../../src/reports/run-data.ts";
import { eventsPerMinute, orderTimes } from "../../src/reports/simulation-sections.ts";

const city = loadCity();

function dir(files: Record<string, unknown>): string {
  const d = mkdtempSync(join(tmpdir(), "fleetrl-report-"));
  for (const [name, value] of Object.entries(files))
    writeFileSync(join(d, name), typeof value === "string" ? value : JSON.stringify(value));
  return d;
}

test("a training run without evaluation: summary, learning curves, config and a hint to evaluate", () => {
  const rows = Array.from({ length: 30 }, (_, i) =>
    JSON.stringify({
      episode: i + 1,
      reward: 100 + i,
      "env.served": 50 + i,
      "env.meanPickupS": 90,
    }),
  );
  const evals = [10, 20, 30].map((e) => JSON.stringify({ episode: e, reward: 200 + e }));
  const d = dir({
    "config.json": {
      train: { algo: "ospo", seed: 0 },
      env: { vehicles: 60, epochs: 3, startHour: 1, date: "2013-09-01" },
    },
    "train.jsonl": `${rows.join("\n")}\n`,
    "eval.jsonl": `${evals.join("\n")}\n`,
  });
  const { html, sections } = buildReport(loadRun(d), city);
  assert.deepEqual(
    sections.map((s) => s.id),
    ["summary", "learning", "config"],
  );
  assert.match(html, /60 vehicles × 3 epochs of 60 s from 01:00 on 2013-09-01 \(the shipped day\)/);
  assert.match(html, /best greedy evaluation: reward<\/td><td>230\.0 \(episode 30\)/);
  assert.match(html, /ospo \(moving mean of 2\)/);
  assert.match(
    html,
    /No evaluation yet: <code>fleetrl eval --checkpoint [^<]*best\.safetensors<\/code>/,
  );
  assert.equal(html.match(/<svg class="chart line-chart"/g)?.length, 4);
});

test("a simulation: per-order times and per-zone counts from the event log", () => {
  // nodes in two different zones
  const a = 0;
  const b = city.nodeZone.findIndex((z) => z >= 0 && z !== city.nodeZone[a]);
  const [za, zb] = [city.nodeZone[a], city.nodeZone[b]];
  const events = {
    startTime: 3600,
    orders: { requestTime: [3600, 3600, 3660], pickupNode: [a, b, b], dropoffNode: [b, a, a] },
    eventTypes: ["request", "assign", "pickup", "dropoff", "lost"],
    events: {
      // order 0 served (assign at 3660, pickup at 3750); order 1 lost at 3900; order 2 never assigned
      time: [3600, 3600, 3660, 3660, 3750, 3900, 4000],
      type: [0, 0, 1, 0, 2, 4, 3],
      order: [0, 1, 0, 2, 0, 1, 0],
      vehicle: [-1, -1, 4, -1, 4, -1, 4],
    },
    snapshots: [
      { time: 3660, node: [1, 2], at: [3660, 3660], onboard: [0, 0] },
      { time: 3720, node: [1, 2], at: [3720, 3720], onboard: [1, 0] },
    ],
  };
  const d = dir({
    "config.json": {
      dispatcher: "greedy",
      vehicles: 2,
      epochs: 2,
      startHour: 1,
      date: "2013-09-01",
    },
    "metrics.json": { requested: 3, served: 1, lost: 2, serviceRate: 1 / 3, meanPickupS: null },
    "events.json": events,
  });
  const run = loadRun(d);
  assert.equal(run.kind, "simulate");
  if (run.kind !== "simulate") return;
  const t = orderTimes(run.events);
  assert.deepEqual([...t.assign], [3660, Number.NaN, Number.NaN]);
  assert.deepEqual([...t.pickup], [3750, Number.NaN, Number.NaN]);
  const { html, sections } = buildReport(run, city);
  assert.deepEqual(
    sections.map((s) => s.id),
    ["summary", "timeline", "distributions", "map", "config"],
  );
  assert.match(html, /service rate \(%\)<\/td><td>33\.3/);
  assert.match(html, /mean pickup time \(s\)<\/td><td>–/);
  assert.match(html, new RegExp(`\\(zone ${za}\\): 100\\.0% served, 1 served, 0 lost`));
  assert.match(html, new RegExp(`\\(zone ${zb}\\): 0\\.0% served, 0 served, 2 lost`));
  assert.match(html, /33\.3% served<br>1 served, 2 lost/);
});

test("timeline: x-axis is the decision window; orders waiting at its end are not drawn as lost", () => {
  const types = ["request", "assign", "pickup", "dropoff", "lost"];
  const ev = (time: number, type: string, order: number) => ({
    time,
    type: types.indexOf(type),
    order,
  });
  const list = [
    ev(10, "request", 0),
    ev(60, "assign", 0),
    ev(400, "pickup", 0), // in the drain after the window: not in the chart
    ev(20, "request", 1),
    ev(180, "lost", 1), // still waiting when the 3-minute window closed
    ev(30, "request", 2),
    ev(100, "lost", 2), // expired inside the window
  ];
  const { series, pendingAtEnd } = eventsPerMinute({
    startTime: 0,
    orders: { requestTime: [10, 20, 30], pickupNode: [1, 2, 3], dropoffNode: [4, 5, 6] },
    eventTypes: types,
    events: {
      time: list.map((e) => e.time),
      type: list.map((e) => e.type),
      order: list.map((e) => e.order),
      vehicle: list.map(() => 0),
    },
    snapshots: [0, 60, 120].map((time) => ({ time, node: [0], at: [time], onboard: [0] })),
  });
  const counts = Object.fromEntries(series.map((s) => [s.name, s.points.map((p) => p[1])]));
  assert.deepEqual(counts, {
    requested: [3, 0, 0],
    assigned: [0, 1, 0],
    "picked up": [0, 0, 0],
    lost: [0, 1, 0],
  });
  assert.equal(pendingAtEnd, 1);
});

test("a training run's diagnostics are charted where logged: entropy, approx KL, clip fraction, decisions/s (no critic: no explained variance)", () => {
  const rows = Array.from({ length: 12 }, (_, i) =>
    JSON.stringify({
      episode: i + 1,
      reward: 100 + i,
      entropy: 2 - i / 10,
      approxKl: 0.001 * i,
      clipFraction: 0.01 * i,
      explainedVariance: null, // OSPO: NaN, written as null
      decisionsPerSecond: 4000 + i,
    }),
  );
  const d = dir({
    "config.json": { train: { algo: "ospo", seed: 0 }, env: { vehicles: 60 } },
    "train.jsonl": `${rows.join("\n")}\n`,
    "eval.jsonl": "",
  });
  const { html } = buildReport(loadRun(d), city);
  for (const title of [
    "Policy entropy",
    "Approximate KL to the behaviour policy",
    "Clip fraction",
    "Rollout speed",
  ])
    assert.ok(html.includes(title), title);
  assert.ok(!html.includes("Critic explained variance"));
  // reward (train) and the four diagnostics; no eval rows, no served/pickup columns
  assert.equal(html.match(/<svg class="chart line-chart"/g)?.length, 5);
});
