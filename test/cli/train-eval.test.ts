/**
 * `train`, `eval`, `compare` and `simulate --dispatcher policy:` end to end on the shipped day,
 * as a user runs them (tiny fleets and windows so the file stays fast).
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli, startCli, tempDir } from "./run-cli.ts";

const SMALL = ["--vehicles", "60", "--epochs", "3", "--start-hour", "1"];

function json(r: { stdout: string; stderr: string; status: number | null }) {
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test("train writes a run directory; --resume continues it; eval and simulate use the policy", () => {
  const dir = join(tempDir(), "run");
  const first = json(
    runCli(["train", "--episodes", "2", "--eval-every", "1", ...SMALL, "--out", dir, "--json"]),
  );
  assert.equal(first.episodes, 2);
  for (const f of [
    "config.json",
    "train.csv",
    "train.jsonl",
    "eval.csv",
    "checkpoint.safetensors",
    "best.safetensors",
  ]) {
    assert.ok(existsSync(join(dir, f)), f);
  }
  const resumed = json(runCli(["train", "--resume", dir, "--episodes", "3", "--json"]));
  assert.equal(resumed.episodes, 3);
  assert.equal(readFileSync(join(dir, "train.csv"), "utf8").trim().split("\n").length, 1 + 3);

  const evalArgs = [
    "eval",
    "--checkpoint",
    join(dir, "best.safetensors"),
    "--hours",
    "2",
    "--seeds",
    "2",
    "--baselines",
    "min-eta",
  ];
  const evaluation = json(runCli([...evalArgs, "--json"]));
  assert.equal(evaluation.policy, "OSPO (run run, best)");
  assert.equal(evaluation.written, join(dir, "evaluation.json"));
  const human = runCli(evalArgs);
  assert.equal(human.status, 0, human.stderr);
  assert.match(human.stdout, /\| 2 \| OSPO \(run run, best\) \|/);
  assert.ok(human.stdout.includes(`written to ${join(dir, "evaluation.json")}`));
  assert.deepEqual(
    evaluation.rows.map((r: { hour: number; dispatcher: string }) => `${r.hour}/${r.dispatcher}`),
    ["2/policy", "2/min-eta"],
  );
  for (const row of evaluation.rows) assert.ok(row.served.mean > 0 && row.episodes === 2);

  const sim = json(
    runCli([
      "simulate",
      ...SMALL,
      "--dispatcher",
      `policy:${join(dir, "best.safetensors")}`,
      "--out",
      join(dir, "sim"),
      "--json",
    ]),
  );
  assert.ok(sim.metrics.served > 0);
  assert.equal(sim.metrics.served + sim.metrics.lost, sim.metrics.requested);
});

test("Ctrl-C stops training after the current episode with a checkpoint; --resume finishes the run", async () => {
  const dir = join(tempDir(), "run");
  const child = startCli(["train", "--episodes", "50", ...SMALL, "--out", dir, "--json"]);
  let stdout = "";
  child.stdout.on("data", (d) => (stdout += d));
  const checkpoint = join(dir, "checkpoint.safetensors");
  const deadline = Date.now() + 120_000;
  while (!existsSync(checkpoint) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 100));
  assert.ok(existsSync(checkpoint), "no checkpoint within 2 minutes");
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  child.kill("SIGINT");
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  assert.equal(code, 130, "an interrupted training exits 130");
  assert.match(stderr, /stopped early after episode \d+/);
  const result = JSON.parse(stdout);
  assert.equal(result.stoppedEarly, true);
  assert.ok(result.episodes >= 1 && result.episodes < 50);
  // A kill during a checkpoint write leaves its temp file; resume removes it.
  const leftover = join(dir, "checkpoint.safetensors.tmp-4242");
  writeFileSync(leftover, "torn");
  const total = result.episodes + 1;
  const resumed = json(runCli(["train", "--resume", dir, "--episodes", String(total), "--json"]));
  assert.equal(resumed.episodes, total);
  assert.ok(!existsSync(leftover), "temp file of an interrupted write removed on resume");
  const config = JSON.parse(readFileSync(join(dir, "config.json"), "utf8"));
  assert.equal(config.train.episodes, total, "config.json holds the run's new total");
  assert.ok(!existsSync(join(dir, "run.lock")), "the lock is released at the end");
});

test("compare trains and evaluates every entry and writes Markdown and CSV", () => {
  const out = join(tempDir(), "cmp");
  const r = json(
    runCli([
      "compare",
      "--algos",
      "grpo,greedy",
      "--seeds",
      "2",
      "--episodes",
      "1",
      "--hours",
      "2",
      ...SMALL,
      "--out",
      out,
      "--json",
    ]),
  );
  assert.deepEqual(
    r.rows.map((x: { entry: string }) => x.entry),
    ["grpo", "greedy"],
  );
  assert.ok(existsSync(join(out, "grpo-seed0", "checkpoint.safetensors")));
  assert.ok(existsSync(join(out, "grpo-seed1", "train.csv")));
  const csv = readFileSync(join(out, "compare.csv"), "utf8").trim().split("\n");
  assert.equal(csv.length, 1 + 2 * 2); // header + (all, hour 2) per entry
  assert.match(readFileSync(join(out, "compare.md"), "utf8"), /\| greedy \|/);
});

test("bad input: clear errors, exit code 2, no stack trace", () => {
  const dir = tempDir();
  const corrupt = join(dir, "corrupt.safetensors");
  writeFileSync(corrupt, "not a checkpoint");
  const cases: [string[], RegExp][] = [
    [["train", "--algo", "sarsa"], /train\.algo/],
    [["train", "--episodes", "0"], /train\.episodes/],
    [["train", "--resume", join(dir, "nowhere")], /config/],
    [["eval", "--checkpoint", corrupt, "--hours", "2"], /corrupt\.safetensors/],
    [["eval", "--checkpoint", corrupt, "--hours", "25"], /--hours/],
    [["simulate", "--dispatcher", `policy:${corrupt}`, ...SMALL], /corrupt\.safetensors/],
    [["compare", "--algos", "ospo,dqn"], /algos/],
  ];
  for (const [args, message] of cases) {
    const r = runCli(args);
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /\n\s+at /, `stack trace for ${args.join(" ")}`);
  }
});

test("compare --rollouts 2: the same table and weights with --workers 1 and 2", () => {
  const outs = ["1", "2"].map((workers) => {
    const out = join(tempDir(), `cmp-w${workers}`);
    const args = ["compare", "--algos", "grpo", "--seeds", "1", "--episodes", "2", "--hours", "2"];
    const r = runCli([...args, "--rollouts", "2", "--workers", workers, ...SMALL, "--out", out]);
    assert.equal(r.status, 0, r.stderr);
    return out;
  });
  const [one, two] = outs.map((out) => ({
    table: readFileSync(join(out, "compare.csv"), "utf8"),
    weights: readFileSync(join(out, "grpo-seed0", "checkpoint.safetensors")),
    log: readFileSync(join(out, "grpo-seed0", "train.jsonl"), "utf8"),
  }));
  assert.equal(one.table, two.table);
  assert.ok(one.weights.equals(two.weights), "weights differ between 1 and 2 workers");
  // --rollouts took effect: both episodes went into one update, logged as one row
  assert.equal(one.log.trim().split("\n").length, 1);
});

test("compare: Ctrl-C keeps what is done (exit 130); the same command resumes and skips finished runs", async () => {
  const out = join(tempDir(), "cmp");
  const args = [
    "compare",
    "--algos",
    "greedy,grpo",
    "--seeds",
    "1",
    "--episodes",
    "20",
    "--hours",
    "2",
    ...SMALL,
    "--out",
    out,
  ];
  const child = startCli(args);
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const checkpoint = join(out, "grpo-seed0", "checkpoint.safetensors");
  const deadline = Date.now() + 120_000;
  while (!existsSync(checkpoint) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 100));
  assert.ok(existsSync(checkpoint), "no checkpoint within 2 minutes");
  child.kill("SIGINT");
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  assert.equal(code, 130, stderr);
  assert.match(stderr, /run 1\/2: greedy — overall/);
  assert.match(stderr, /stopped early: 1 entries finished/);
  assert.ok(
    existsSync(join(out, "greedy", "compare-eval.json")),
    "the finished dispatcher is kept",
  );
  assert.ok(!existsSync(join(out, "compare.md")));

  const again = runCli(args);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stderr, /run 1\/2: greedy \(done before; read back\)/);
  assert.match(again.stderr, /grpo, seed 0: resuming the interrupted run/);
  const rows = readFileSync(join(out, "grpo-seed0", "train.csv"), "utf8")
    .trim()
    .split("\n");
  assert.equal(rows.length, 1 + 20, "the resumed run has every episode once");
  assert.match(readFileSync(join(out, "compare.md"), "utf8"), /\| greedy \|.*\n\| grpo \|/);

  const other = runCli([...args.slice(0, -2), "--seeds", "2", "--out", out]);
  assert.equal(other.status, 2, "another comparison in the same directory is refused");
  assert.match(other.stderr, /holds another comparison/);
});
