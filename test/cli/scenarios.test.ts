/**
 * Named scenarios from the command line: `fleetrl scenarios`, `--scenario` under config files and
 * flags, the scenario's training keys reaching `train`, and unknown names refused.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli, tempDir } from "./run-cli.ts";

function json(r: { stdout: string; stderr: string; status: number | null }) {
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

const readConfig = (dir: string) => JSON.parse(readFileSync(join(dir, "config.json"), "utf8"));

test("fleetrl scenarios lists ospo-paper and manhattan-peak with their values", () => {
  const { scenarios } = json(runCli(["scenarios", "--json"]));
  const byName = Object.fromEntries(scenarios.map((s: { name: string }) => [s.name, s]));
  assert.deepEqual(Object.keys(byName).sort(), ["manhattan-peak", "ospo-paper"]);
  assert.equal(byName["ospo-paper"].env.deadline, "assignment");
  assert.equal(byName["ospo-paper"].env.availability, "no-pending-pickup");
  assert.equal(byName["ospo-paper"].train.explorationUnit, "pair");
  assert.equal(byName["manhattan-peak"].env.deadline, "pickup");
  const human = runCli(["scenarios"]);
  assert.equal(human.status, 0);
  assert.match(human.stdout, /ospo-paper\n {2}The OSPO paper's semantics/);
  assert.match(human.stdout, / {4}candidates: "all"/);
});

test("simulate --scenario: the scenario's values, under the config file, under the flags", () => {
  const dir = tempDir();
  const file = join(dir, "run.yaml");
  writeFileSync(file, "scenario: ospo-paper\nmaxWait: 120\nvehicles: 70\n");
  const out = join(dir, "sim");
  json(
    runCli([
      "simulate",
      "--config",
      file,
      "--vehicles",
      "50",
      "--epochs",
      "2",
      "--out",
      out,
      "--json",
    ]),
  );
  const config = readConfig(out);
  assert.equal(config.scenario, "ospo-paper");
  assert.equal(config.deadline, "assignment"); // scenario
  assert.equal(config.candidates, "all");
  assert.equal(config.reward.addedTime, "with-new-trip");
  assert.equal(config.reward.base, 3); // the scenario's nested reward merges with the defaults
  assert.equal(config.maxWait, 120); // file over scenario
  assert.equal(config.vehicles, 50); // flag over file
  assert.equal(config.epochs, 2);
});

test("train --scenario ospo-paper: environment and training keys in the run's config.json", () => {
  const out = join(tempDir(), "run");
  const args = ["train", "--scenario", "ospo-paper", "--episodes", "1", "--eval-every", "1"];
  json(runCli([...args, "--vehicles", "40", "--epochs", "2", "--out", out, "--json"]));
  const config = readConfig(out);
  assert.equal(config.scenario, "ospo-paper");
  assert.equal(config.env.availability, "no-pending-pickup");
  assert.equal(config.env.evalSampleFraction, 0.95);
  assert.equal(config.train.explorationUnit, "pair");
  assert.equal(config.train.klEstimator, "mean");
  assert.equal(config.train.minibatch, "with-replacement");
  assert.equal(config.env.vehicles, 40);
});

test("evalSampleFraction decides the share of the trips the in-training evaluation replays", () => {
  const requested = (fraction: number) => {
    const out = join(tempDir(), "run");
    const file = join(out, "..", "run.yaml");
    writeFileSync(file, `env:\n  evalSampleFraction: ${fraction}\n`);
    const args = ["train", "--config", file, "--episodes", "1", "--eval-every", "1"];
    json(
      runCli([
        ...args,
        "--vehicles",
        "30",
        "--epochs",
        "4",
        "--start-hour",
        "0",
        "--out",
        out,
        "--json",
      ]),
    );
    const row = JSON.parse(readFileSync(join(out, "eval.jsonl"), "utf8").trim().split("\n")[0]);
    return row.requested as number;
  };
  const all = requested(1);
  const half = requested(0.5);
  // 4 minutes from 00:00: ~500 requests; a seeded half of them (binomial, ±3σ ≈ ±8%).
  assert.ok(all > 300, `only ${all} requests`);
  assert.ok(Math.abs(half / all - 0.5) < 0.08, `${half} of ${all}`);
});

test("an unknown scenario exits 2 naming the known ones, before any work", () => {
  for (const args of [
    ["simulate", "--scenario", "paper"],
    ["train", "--scenario", "paper", "--out", join(tempDir(), "never")],
  ]) {
    const r = runCli(args);
    assert.equal(r.status, 2, r.stderr);
    assert.match(
      r.stderr,
      /--scenario: unknown scenario "paper" \(expected one of ospo-paper, manhattan-peak\)/,
    );
    assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/);
  }
  const dir = tempDir();
  const file = join(dir, "bad.json");
  writeFileSync(file, JSON.stringify({ scenario: "nope" }));
  const r = runCli(["simulate", "--config", file]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /bad\.json: scenario: unknown scenario "nope"/);
});
