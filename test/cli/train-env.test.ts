/**
 * `fleetrl train --env NAME`: the trainer runs an environment that is not dispatch through the
 * same `train` path (run directory, logs, checkpoints, resume) — here the tiny environment, whose
 * evaluation rows carry the optimum, so learning is measured as regret against it.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { runCli, tempDir } from "./run-cli.ts";

const EVAL_SEEDS = Array.from({ length: 20 }, (_, i) => 10_000 + i);

/** Train on the tiny env from the CLI; returns the run directory and its evaluation rows. */
function trainTiny(algo: string, episodes: number, extra: Record<string, unknown> = {}) {
  const dir = tempDir("fleetrl-env-");
  const config = join(dir, "tiny.json");
  writeFileSync(
    config,
    JSON.stringify({
      environment: "tiny",
      env: { episodeSteps: 16 },
      train: { lr: 1e-3, evalSeeds: EVAL_SEEDS, ...extra },
    }),
  );
  const out = join(dir, "run");
  const args = ["train", "--config", config, "--algo", algo, "--episodes", String(episodes)];
  const r = runCli([...args, "--eval-every", "10", "--seed", "1", "--out", out, "--json"]);
  assert.equal(r.status, 0, r.stderr);
  const rows = readFileSync(join(out, "eval.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l));
  return { out, rows, result: JSON.parse(r.stdout) };
}

const regret = (row: { optimalReward: number; reward: number; steps: number }) =>
  (row.optimalReward - row.reward) / row.steps;

describe("train --env tiny: a second environment through the real train path", () => {
  test("OSPO finds the best matching (regret per step < 0.1; untrained ≈ 1.2)", () => {
    const { out, rows, result } = trainTiny("ospo", 30);
    assert.equal(result.environment, "tiny");
    assert.equal(JSON.parse(readFileSync(join(out, "config.json"), "utf8")).environment, "tiny");
    const best = Math.min(...rows.map(regret));
    assert.ok(best < 0.1, `best regret ${best}`);
  });

  test("MAPPO (a critic on the env's global state) improves and resumes the run", () => {
    const { out, rows } = trainTiny("mappo", 40, { matchWeight: "probability" });
    assert.ok(regret(rows.at(-1)) < 0.6, `regret ${regret(rows.at(-1))} (untrained ≈ 1.2)`);
    const r = runCli(["train", "--resume", out, "--episodes", "50", "--json"]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).episodes, 50);
    const log = readFileSync(join(out, "train.jsonl"), "utf8").trim().split("\n");
    assert.deepEqual(
      log.map((l) => JSON.parse(l).episode),
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
  });

  test("bad input: unknown environment, a dispatch scenario or key on tiny, eval of a tiny policy", () => {
    const unknown = runCli(["train", "--env", "warehouse", "--episodes", "1"]);
    assert.equal(unknown.status, 2);
    assert.match(
      unknown.stderr,
      /unknown environment "warehouse" \(expected one of: dispatch, tiny, mapf\)/,
    );
    const scenario = runCli(["train", "--env", "tiny", "--scenario", "ospo-paper"]);
    assert.equal(scenario.status, 2);
    assert.match(scenario.stderr, /scenarios are presets of the dispatch environment, not of tiny/);
    const key = runCli(["train", "--env", "tiny", "--vehicles", "5", "--episodes", "1"]);
    assert.equal(key.status, 2);
    assert.match(key.stderr, /env: Unrecognized key: "vehicles"/);
    const { out } = trainTiny("ospo", 1, {});
    const ev = runCli([
      "eval",
      "--checkpoint",
      join(out, "checkpoint.safetensors"),
      "--hours",
      "1",
    ]);
    assert.equal(ev.status, 2);
    assert.match(
      ev.stderr,
      /a policy of the tiny environment; only dispatch policies can be played here/,
    );
    assert.doesNotMatch(ev.stderr, /at .*\.ts:\d+/);
  });
});

test("--rollouts 4 with --workers 2 trains the run --workers 1 trains; bad counts exit 2", () => {
  const dir = tempDir();
  const args = (n: string) => [
    "train",
    "--env",
    "tiny",
    "--episodes",
    "8",
    "--rollouts",
    "4",
    "--workers",
    n,
    "--out",
    join(dir, `w${n}`),
  ];
  for (const n of ["1", "2"]) assert.equal(runCli(args(n)).status, 0);
  const weights = (n: string) =>
    readFileSync(join(dir, `w${n}`, "checkpoint.safetensors")).toString("hex");
  assert.equal(weights("2"), weights("1"));
  const rows = readFileSync(join(dir, "w2", "train.jsonl"), "utf8")
    .trim()
    .split("\n");
  assert.equal(rows.length, 2); // two updates of four episodes
  for (const bad of [
    ["--workers", "0"],
    ["--rollouts", "1.5"],
  ]) {
    const r = runCli(["train", "--env", "tiny", ...bad]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /expected a whole number ≥ 1/);
  }
});

test("the human summary shows the environment's own headline metric (tiny: matched), not dispatch's", () => {
  const dir = tempDir("fleetrl-env-");
  const out = join(dir, "run");
  const r = runCli(["train", "--env", "tiny", "--algo", "grpo", "--episodes", "2", "--out", out]);
  assert.equal(r.status, 0, r.stderr);
  const last = JSON.parse(
    readFileSync(join(out, "train.jsonl"), "utf8").trim().split("\n").at(-1)!,
  );
  assert.match(
    r.stdout,
    new RegExp(
      `^last episode: reward ${last.reward.toFixed(1)}, matched ${last["env.matched"]}$`,
      "m",
    ),
  );
  assert.doesNotMatch(r.stdout, /served|pickup/);
});
