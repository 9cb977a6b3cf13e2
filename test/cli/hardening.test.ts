/**
 * Bad output locations, bad resumes and bad inputs (issue 14): exit 2, a message that names the
 * file and what was expected, no stack trace, and no work done before the check.
 */
import assert from "node:assert/strict";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCli, startCli, tempDir } from "./run-cli.ts";

const SMALL = ["--vehicles", "60", "--epochs", "3", "--start-hour", "1"];

function userError(args: string[], message: RegExp): void {
  const r = runCli(args);
  assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
  assert.match(r.stderr, message);
  assert.doesNotMatch(r.stderr, /\n\s+at /, `stack trace for ${args.join(" ")}`);
}

test("--out that is a file, under a file or under /proc: exit 2 before any episode runs", () => {
  const dir = tempDir();
  const file = join(dir, "taken.txt");
  writeFileSync(file, "mine");
  for (const cmd of ["simulate", "train"]) {
    const r = runCli([
      cmd,
      ...SMALL,
      ...(cmd === "train" ? ["--episodes", "1"] : []),
      "--out",
      file,
    ]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /taken\.txt: exists and is not a directory/);
    assert.doesNotMatch(r.stderr, /start-up|\n\s+at /, "the check comes before loading anything");
    assert.equal(readFileSync(file, "utf8"), "mine", "nothing lost");
  }
  userError(["simulate", ...SMALL, "--out", join(file, "sub")], /a parent is not a directory/);
  userError(["simulate", ...SMALL, "--out", "/dev/null/x"], /\/dev\/null\/x: cannot create/);
  userError(["simulate", ...SMALL, "--out", "/proc/fleetrl-x"], /\/proc\/fleetrl-x: cannot create/);
});

test("--out in a folder the user cannot write: exit 2 (permission denied)", (t) => {
  if (process.getuid?.() === 0) {
    t.skip(
      "running as root: chmod does not stop root from writing (ENOTDIR and /proc are tested above)",
    );
    return;
  }
  const dir = tempDir();
  chmodSync(dir, 0o500);
  try {
    userError(
      ["simulate", ...SMALL, "--out", join(dir, "sub")],
      /cannot create the run directory \(permission denied\)/,
    );
    userError(
      ["simulate", ...SMALL, "--out", dir],
      /cannot write to this folder \(permission denied\)/,
    );
  } finally {
    chmodSync(dir, 0o700);
  }
});

test("train --resume refuses a checkpoint of another network, and a simulate run", () => {
  const dir = join(tempDir(), "run");
  const r = runCli([
    "train",
    "--episodes",
    "1",
    "--eval-every",
    "1",
    ...SMALL,
    "--out",
    dir,
    "--json",
  ]);
  assert.equal(r.status, 0, r.stderr);
  const configPath = join(dir, "config.json");
  const config = JSON.parse(readFileSync(configPath, "utf8"));
  config.train.policyHidden = [16];
  writeFileSync(configPath, JSON.stringify(config));
  userError(
    ["train", "--resume", dir, "--episodes", "2"],
    /policy \[128, 128\].*checkpoint.*policy \[16\].*config\.json/,
  );

  const sim = join(tempDir(), "sim");
  assert.equal(runCli(["simulate", ...SMALL, "--out", sim]).status, 0);
  userError(["train", "--resume", sim], /not a training run \(a simulate run\)/);
});

test("a random-bytes .parquet and NaN in YAML are named for what they are", () => {
  const dir = tempDir();
  const parquet = join(dir, "trips.parquet");
  writeFileSync(parquet, Buffer.from([0x13, 0x99, 0x00, 0xfe, 0x42, 0x17, 0x00, 0x01, 0xaa]));
  userError(["data", "inspect", parquet], /trips\.parquet: not a valid Parquet file/);
  const yaml = join(dir, "nan.yaml");
  writeFileSync(yaml, "vehicles: .nan\n");
  userError(
    ["simulate", "--config", yaml],
    /nan\.yaml: vehicles: expected a finite number \(got NaN\)/,
  );
});

test("one trainer per run directory: a second is refused naming the holder; a stale lock is taken over", async () => {
  const dir = join(tempDir(), "run");
  const first = startCli(["train", "--episodes", "50", ...SMALL, "--out", dir]);
  const lock = join(dir, "run.lock");
  const deadline = Date.now() + 60_000;
  while (!existsSync(lock) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.ok(existsSync(lock), "no run.lock within a minute");
  userError(
    ["train", "--episodes", "1", ...SMALL, "--out", dir],
    new RegExp(`in use by process ${first.pid} on \\S+ since \\d{4}-`),
  );
  first.kill("SIGKILL");
  await new Promise((resolve) => first.on("close", resolve));
  // The killed trainer's lock is stale (its pid is gone): the next run takes it over.
  assert.ok(existsSync(lock));
  const other = join(tempDir(), "run");
  const r = runCli(["train", "--episodes", "1", ...SMALL, "--out", other]);
  assert.equal(r.status, 0, r.stderr);
  writeFileSync(join(other, "run.lock"), JSON.stringify(JSON.parse(readFileSync(lock, "utf8"))));
  const resumed = runCli(["train", "--resume", other, "--episodes", "2"]);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.ok(!existsSync(join(other, "run.lock")));
});

test("one comparison per directory: compare into a directory another live process holds is refused, nothing written", () => {
  for (const env of ["dispatch", "mapf"]) {
    const dir = join(tempDir(), "cmp");
    mkdirSync(dir);
    // this test's own process holds it (alive, on this host): not stale
    const holder = { pid: process.pid, host: hostname(), startedAt: "2026-12-03T00:00:00.000Z" };
    writeFileSync(join(dir, "run.lock"), JSON.stringify(holder));
    userError(
      ["compare", "--env", env, "--algos", "random", "--out", dir],
      new RegExp(`cmp: in use by process ${process.pid} on \\S+ since 2026-12-03T`),
    );
    assert.deepEqual(readdirSync(dir), ["run.lock"]);
  }
});

test("eval --config: an unknown key is an error naming the file and the keys it knows", () => {
  const dir = tempDir();
  const config = join(dir, "eval.yaml");
  writeFileSync(config, "checkpoint: nowhere.safetensors\nhour: [1]\n");
  userError(["eval", "--config", config], /eval\.yaml: unknown key "hour" \(expected .*hours/);
});
