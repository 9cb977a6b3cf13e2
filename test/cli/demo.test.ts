/** `fleetrl demo --quick` end to end, as `npm start` runs it (the quick version), and its parts. */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import {
  type DemoRow,
  DemoSchema,
  demoRunConfig,
  demoSentence,
  overHours,
} from "../../src/experiments/demo.ts";
import type { EvalResult, EvalRow, MetricSummary } from "../../src/experiments/evaluate.ts";
import { runCli, tempDir } from "./run-cli.ts";

test("demo --quick trains on ospo-paper, evaluates against the baselines, prints the table, the sentence and the report", () => {
  const dir = join(tempDir("fleetrl-demo-"), "demo");
  const r = runCli(["demo", "--quick", "--out", dir]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /training 3\/3/);
  assert.match(r.stdout, /on scenario ospo-paper \(200 vehicles × 5 min from 0:00\)/);
  const rows = r.stdout
    .split("\n")
    .filter((l) => l.startsWith("| ") && !l.startsWith("| dispatcher"));
  assert.deepEqual(
    rows.map((l) => l.split("|")[1].trim()),
    ["GRPO (trained)", "min-eta", "random"],
  );
  for (const row of rows) {
    const cells = row.split("|").slice(2, -1);
    assert.equal(cells.length, 5, row);
    for (const cell of cells) assert.match(cell, / ± /, row);
    const served = Number(cells[0].split("±")[0]);
    assert.ok(served > 0, row);
  }
  assert.match(
    r.stdout,
    /\nGRPO \(trained 3 episodes\) served .+ random with .+; min-eta, which matches on ETA directly, .+\.\n/,
  );
  const report = join(dir, "report.html");
  assert.match(r.stdout, new RegExp(`report \\(open in a browser\\): ${report}`));
  assert.ok(existsSync(report));
  for (const f of ["config.json", "train.jsonl", "best.safetensors", "evaluation.json"])
    assert.ok(existsSync(join(dir, f)), f);
  // the run is the scenario's, with the demo's values over it
  const config = JSON.parse(readFileSync(join(dir, "config.json"), "utf8"));
  assert.equal(config.scenario, "ospo-paper");
  assert.equal(config.env.deadline, "assignment");
  assert.equal(config.env.vehicles, 200);
  assert.equal(config.train.lr, 1e-4);
  assert.equal(config.train.epsilonDecay, "auto");
  const html = readFileSync(report, "utf8");
  for (const id of ["summary", "learning", "hourly", "distributions", "map"])
    assert.match(html, new RegExp(`<section id="${id}">`));
  assert.match(html, /policy \(grpo\)/);
  assert.match(html, /scenario ospo-paper: 200 vehicles × 5 epochs/);

  // the directory now holds a run: a second demo into it is refused (exit 2)
  const again = runCli(["demo", "--quick", "--out", dir]);
  assert.equal(again.status, 2);
  assert.match(again.stderr, /already holds a run \(choose another --out\)/);
});

test("demo: an invalid option exits 2 naming the field", () => {
  const r = runCli(["demo", "--quick", "--episodes", "0", "--out", join(tempDir(), "x")]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /episodes: .*>=1 \(got 0\)/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});

test("demo: an unknown --scenario exits 2 listing the known ones", () => {
  const r = runCli(["demo", "--quick", "--scenario", "nope", "--out", join(tempDir(), "x")]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--scenario: unknown scenario "nope" \(expected one of ospo-paper, /);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});

test("demoRunConfig: the scenario's env and train keys under the demo's own values", () => {
  const paper = demoRunConfig(DemoSchema.parse({}));
  assert.equal(paper.scenario, "ospo-paper");
  assert.equal(paper.env.vehicles, 1000);
  assert.equal(paper.env.startHour, 0);
  assert.equal(paper.env.epochs, 30);
  assert.equal(paper.env.deadline, "assignment");
  assert.equal(paper.env.evalSampleFraction, 0.95);
  assert.equal(paper.env.reward.addedTime, "with-new-trip");
  assert.equal(paper.train.lr, 1e-4);
  assert.equal(paper.train.epsilonDecay, "auto");
  assert.equal(paper.train.explorationUnit, "pair");
  assert.equal(paper.train.episodes, 20);
  assert.equal(paper.train.algo, "grpo");
  assert.equal(paper.train.evalEvery, 5);

  const own = demoRunConfig(
    DemoSchema.parse({
      lr: 3e-4,
      epsilonDecay: 0.9,
      vehicles: 200,
      episodes: 3,
      evalEvery: 5,
      rollouts: 2,
    }),
  );
  assert.equal(own.train.rollouts, 2);
  assert.equal(paper.train.rollouts, 1, "the training default when the demo sets none");
  assert.equal(own.train.lr, 3e-4);
  assert.equal(own.train.epsilonDecay, 0.9);
  assert.equal(own.env.vehicles, 200);
  assert.equal(own.train.evalEvery, 3, "evalEvery is capped at the episodes");
  assert.equal(own.env.deadline, "assignment", "the rest stays the scenario's");

  const peak = demoRunConfig(DemoSchema.parse({ scenario: "manhattan-peak" }));
  assert.equal(peak.scenario, "manhattan-peak");
  assert.equal(peak.env.deadline, "pickup");
  assert.equal(peak.train.lr, 1e-5, "no scenario lr: the train schema's default");

  assert.equal(DemoSchema.safeParse({ scenario: "nope" }).success, false);
});

const ms = (mean: number, ci95: number): MetricSummary => ({ mean, ci95 });

function row(dispatcher: string, served: MetricSummary, pickupS: MetricSummary): DemoRow {
  return {
    dispatcher,
    served,
    pickupS,
    serviceRate: ms(0.9, 0.01),
    detourS: ms(300, 5),
    reward: ms(15_000, 50),
  };
}

test("demoSentence: a clear win over random, min-eta still faster", () => {
  const rows = [
    row("policy", ms(3000, 10), ms(300, 5)),
    row("min-eta", ms(3060, 10), ms(180, 5)),
    row("random", ms(2800, 10), ms(400, 5)),
  ];
  assert.equal(
    demoSentence(rows, { policy: "OSPO (trained 30 episodes)" }),
    "OSPO (trained 30 episodes) served 7.1% more orders than random with 25% shorter pickups; " +
      "min-eta, which matches on ETA directly, still picks up 1.7× faster and serves 2.0% more.",
  );
});

test("demoSentence: a loss to random is said as one", () => {
  const rows = [
    row("policy", ms(2700, 10), ms(450, 5)),
    row("min-eta", ms(2850, 10), ms(180, 5)),
    row("random", ms(2800, 10), ms(400, 5)),
  ];
  assert.equal(
    demoSentence(rows, { policy: "OSPO (trained 3 episodes)" }),
    "OSPO (trained 3 episodes) served 3.6% fewer orders than random with 13% longer pickups — worse than random; " +
      "min-eta, which matches on ETA directly, still picks up 2.5× faster and serves 5.6% more.",
  );
});

test("demoSentence: differences inside the CIs claim nothing, not even a lead over min-eta", () => {
  const rows = [
    row("policy", ms(2810, 30), ms(385, 20)),
    row("min-eta", ms(2805, 30), ms(390, 20)),
    row("random", ms(2800, 30), ms(400, 20)),
  ];
  assert.equal(
    demoSentence(rows, { policy: "P" }),
    "P served about as many orders as random with about the same pickup times — no better than random yet; " +
      "min-eta, which matches on ETA directly, picks up about as fast and serves about as many.",
  );
  // one episode per hour: no CI, so no difference is clear
  const single = rows.map((r) => ({ ...r, served: ms(r.served.mean, Number.NaN) }));
  assert.match(demoSentence(single, { policy: "P" }), /^P served about as many orders as random/);
});

test("demoSentence: a clear lead over min-eta is claimed only as far as it goes", () => {
  const rows = [
    row("policy", ms(3100, 10), ms(150, 5)),
    row("min-eta", ms(3060, 10), ms(180, 5)),
    row("random", ms(2800, 10), ms(400, 5)),
  ];
  assert.equal(
    demoSentence(rows, { policy: "P" }),
    "P served 11% more orders than random with 63% shorter pickups; " +
      "min-eta, which matches on ETA directly, picks up 1.2× slower than the policy and serves 1.3% fewer.",
  );
});

test("overHours: the mean of the hour means with the per-hour CIs propagated", () => {
  const s = (mean: number, ci95: number) => ms(mean, ci95);
  const evalRow = (hour: number, dispatcher: string, served: number, ci: number): EvalRow => ({
    hour,
    dispatcher,
    episodes: 3,
    reward: s(served * 5, ci),
    served: s(served, ci),
    serviceRate: s(0.9, 0),
    confirmationS: s(60, 0),
    pickupS: s(200, 0),
    detourS: s(300, 0),
    incomeGini: s(0.1, 0),
  });
  const e: EvalResult = {
    checkpoint: "x",
    policy: "GRPO (run x, best)",
    seeds: [0, 1, 2],
    rows: [
      evalRow(1, "policy", 100, 3),
      evalRow(1, "random", 90, 1),
      evalRow(23, "policy", 200, 4),
      evalRow(23, "random", 80, 1),
    ],
    distributions: [],
  };
  const rows = overHours(e);
  assert.deepEqual(
    rows.map((r) => r.dispatcher),
    ["policy", "random"],
  );
  assert.equal(rows[0].served.mean, 150);
  assert.equal(rows[0].served.ci95, 2.5); // √(3² + 4²) / 2
  assert.equal(rows[1].served.mean, 85);
});
