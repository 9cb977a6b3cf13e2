/** `fleetrl demo --quick` end to end, as `npm start` runs it (the quick version). */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli, tempDir } from "./run-cli.ts";

test("demo --quick trains, evaluates against the baselines, prints the table and writes the report", () => {
  const dir = join(tempDir("fleetrl-demo-"), "demo");
  const r = runCli(["demo", "--quick", "--out", dir]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /training 3\/3/);
  const rows = r.stdout
    .split("\n")
    .filter((l) => l.startsWith("| ") && !l.startsWith("| dispatcher"));
  assert.deepEqual(
    rows.map((l) => l.split("|")[1].trim()),
    ["OSPO (trained)", "min-eta", "greedy", "random"],
  );
  for (const row of rows) {
    const served = Number(row.split("|")[3]);
    assert.ok(served > 0, row);
  }
  const report = join(dir, "report.html");
  assert.match(r.stdout, new RegExp(`report \\(open in a browser\\): ${report}`));
  assert.ok(existsSync(report));
  for (const f of ["config.json", "train.jsonl", "best.safetensors", "evaluation.json"])
    assert.ok(existsSync(join(dir, f)), f);
  const html = readFileSync(report, "utf8");
  for (const id of ["summary", "learning", "hourly", "distributions", "map"])
    assert.match(html, new RegExp(`<section id="${id}">`));
  assert.match(html, /policy \(ospo\)/);

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
