/** Recognising run directories and rejecting bad ones with errors that name the file. */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { UserError } from "../../src/core/errors.ts";
import { loadRun, runKind } from "../../src/reports/run-data.ts";

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), "fleetrl-report-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(d, name, ".."), { recursive: true });
    writeFileSync(join(d, name), text);
  }
  return d;
}

const row = (episode: number, reward: number) => JSON.stringify({ episode, reward });

function throwsUser(f: () => unknown, pattern: RegExp) {
  assert.throws(f, (e: unknown) => e instanceof UserError && pattern.test(e.message));
}

test("run kinds are recognised by their files", () => {
  assert.equal(runKind(dir({ "config.json": "{}", "train.jsonl": "" })), "train");
  assert.equal(runKind(dir({ "config.json": "{}", "compare.json": "{}" })), "compare");
  assert.equal(
    runKind(dir({ "config.json": "{}", "metrics.json": "{}", "events.json": "{}" })),
    "simulate",
  );
  throwsUser(() => runKind(dir({ "notes.txt": "hi" })), /not a run directory/);
  throwsUser(() => runKind(join(tmpdir(), "no-such-fleetrl-run")), /no such run directory/);
});

test("a training log: torn last line skipped, a bad line or field named with its line", () => {
  const ok = dir({
    "config.json": JSON.stringify({ train: { algo: "grpo", seed: 3 } }),
    "train.jsonl": `${row(1, 5)}\n${row(2, 6)}\n{"episode":3,"rew`,
  });
  const run = loadRun(ok);
  assert.equal(run.kind, "train");
  if (run.kind !== "train") return;
  assert.deepEqual(
    run.logs.train.map((r) => r.reward),
    [5, 6],
  );
  assert.equal(run.logs.algo, "grpo");
  assert.equal(run.evaluation, null);
  throwsUser(
    () =>
      loadRun(
        dir({ "config.json": "{}", "train.jsonl": `${row(1, 5)}\nnot json\n${row(2, 6)}\n` }),
      ),
    /train\.jsonl: row 2: expected one JSON object per line/,
  );
  throwsUser(
    () => loadRun(dir({ "config.json": "{}", "train.jsonl": `{"episode":1,"reward":"x"}\n` })),
    /train\.jsonl: row 1: reward: expected a number \(got "x"\)/,
  );
});

test("corrupt or malformed JSON files are named", () => {
  throwsUser(
    () => loadRun(dir({ "config.json": "{oops", "train.jsonl": "" })),
    /config\.json: not valid JSON/,
  );
  throwsUser(
    () => loadRun(dir({ "config.json": "{}", "compare.json": "[1," })),
    /compare\.json: not valid JSON/,
  );
  throwsUser(
    () =>
      loadRun(
        dir({ "config.json": "{}", "train.jsonl": "", "evaluation.json": '{"checkpoint":"x"}' }),
      ),
    /evaluation\.json: .*seeds/,
  );
  throwsUser(
    () =>
      loadRun(
        dir({ "config.json": "{}", "metrics.json": '{"served":"many"}', "events.json": "{}" }),
      ),
    /metrics\.json: served/,
  );
});
