/**
 * Reports of mapf runs: a simulation's grid replay drawn from its replay.json (known answer: a
 * lone robot on a two-cell corridor shuttles between the cells, reaching a goal every step),
 * a training run's throughput curves and held-out table, a comparison's per-map tables, and a
 * corrupt replay.json refused naming the file and the field.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { loadCity } from "../../src/city/city.ts";
import { MapfSimulateSchema, simulateMapf } from "../../src/experiments/mapf-simulate.ts";
import { cellSize, cumulativeGoals, snapshotSteps } from "../../src/reports/grid-replay.ts";
import { buildReport, writeReport } from "../../src/reports/report.ts";
import { loadRun } from "../../src/reports/run-data.ts";

const city = loadCity();
const temp = () => mkdtempSync(join(tmpdir(), "fleetrl-mapf-report-"));

async function simulated(env: Record<string, unknown>): Promise<string> {
  const out = join(temp(), "sim");
  await simulateMapf(MapfSimulateSchema.parse({ environment: "mapf", ...env }), out);
  return out;
}

test("a simulation on a two-cell corridor: the robot's path shuttles, a goal every step", async () => {
  const dir = temp();
  const map = join(dir, "corridor.map");
  writeFileSync(map, "type octile\nheight 1\nwidth 2\nmap\n..\n");
  const out = await simulated({ map, agents: 1, steps: 4, dispatcher: "shortest-path" });
  const result = writeReport(out, city);
  assert.equal(result.kind, "simulate");
  assert.deepEqual(result.sections, ["summary", "replay", "snapshots", "config"]);
  const html = readFileSync(result.path, "utf8");
  const s = cellSize(2, 960);
  assert.equal(s, 16);
  const start = JSON.parse(readFileSync(join(out, "replay.json"), "utf8")).positions[0];
  const [a, b] = start === 0 ? ["8,8", "24,8"] : ["24,8", "8,8"];
  assert.match(html, new RegExp(`<polyline class="path" points="${a} ${b} ${a} ${b} ${a}"`));
  // four goals reached: four diamonds (one "z"-closed path each)
  const reached = /<path class="reached" d="([^"]*)"/.exec(html)![1];
  assert.equal(reached.split("z").length - 1, 4);
  assert.match(html, /throughput \(goals per step\)<\/td><td>1\.000</);
  assert.doesNotMatch(html, /<script/);
});

test("a corrupt replay.json is refused naming the file and the field", async () => {
  const out = await simulated({ map: "empty", width: 5, height: 5, agents: 3, steps: 5 });
  const path = join(out, "replay.json");
  const replay = JSON.parse(readFileSync(path, "utf8"));
  replay.positions.pop();
  writeFileSync(path, JSON.stringify(replay));
  assert.throws(
    () => loadRun(out),
    /replay\.json: positions: expected \(recordedSteps \+ 1\) × agents = 18 cells/,
  );
});

test("a mapf training run: throughput curves and the held-out table per map", () => {
  const dir = temp();
  const rows = Array.from({ length: 6 }, (_, i) =>
    JSON.stringify({ episode: i + 1, reward: i, "env.throughput": 0.1 * i, entropy: 1 }),
  );
  const evals = [0, 3, 6].map((e) =>
    JSON.stringify({ episode: e, reward: e, throughput: 0.05 * e, best: e === 6 }),
  );
  const summary = (mean: number) => ({ mean, ci95: 0.01 });
  const metrics = (t: number) => ({
    throughput: summary(t),
    goals: summary(64 * t),
    waitFraction: summary(0.1),
    fairness: summary(0.9),
    conflicts: summary(0),
  });
  writeFileSync(
    join(dir, "config.json"),
    JSON.stringify({ environment: "mapf", train: { algo: "grpo", seed: 0 }, env: { map: "maze" } }),
  );
  writeFileSync(join(dir, "train.jsonl"), `${rows.join("\n")}\n`);
  writeFileSync(join(dir, "eval.jsonl"), `${evals.join("\n")}\n`);
  writeFileSync(
    join(dir, "evaluation.json"),
    JSON.stringify({
      environment: "mapf",
      checkpoint: "x/best.safetensors",
      policy: "GRPO (run x, best)",
      seeds: [200000, 200001],
      maps: ["maze", "room"],
      agents: 16,
      steps: 64,
      rows: [
        { map: "maze", dispatcher: "policy", episodes: 2, metrics: metrics(0.4) },
        { map: "maze", dispatcher: "whca", episodes: 2, metrics: metrics(0.6) },
      ],
    }),
  );
  const { html, sections } = buildReport(loadRun(dir), city);
  assert.deepEqual(
    sections.map((s) => s.id),
    ["summary", "learning", "evaluation", "config"],
  );
  assert.match(html, /Greedy evaluation throughput/);
  assert.match(html, /Throughput per training episode/);
  assert.doesNotMatch(html, /Orders served|pickup time/);
  assert.match(html, /<td>GRPO \(run x, best\)<\/td><td>0\.400 ± 0\.010<\/td>/);
  assert.match(html, /best greedy evaluation: throughput<\/td><td>0\.300 \(episode 6/);
});

test("snapshot steps and cumulative goals", () => {
  assert.deepEqual(snapshotSteps(60), [0, 20, 40, 60]);
  assert.deepEqual(snapshotSteps(2), [0, 1, 2]);
  assert.deepEqual(cumulativeGoals([1, 0, 2]), [0, 1, 1, 3]);
});
