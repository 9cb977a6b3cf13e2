/** `npm test` in a terminal: one character per test, failures in full, TAP's summary lines last. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { tempDir } from "./run-cli.ts";

test("the compact reporter prints dots, the failure, and ends with # tests / # pass / # fail", () => {
  const file = join(tempDir(), "sample.test.mjs");
  const cases = Array.from({ length: 30 }, (_, i) => `test("ok ${i}", () => {});`).join("\n");
  writeFileSync(
    file,
    `import { test } from "node:test";\nimport assert from "node:assert";\n${cases}\ntest("boom", () => assert.equal(1, 2));\n`,
  );
  const r = spawnSync(
    process.execPath,
    [
      "--test",
      "--test-reporter=./scripts/compact-reporter.mjs",
      "--test-reporter-destination=stdout",
      file,
    ],
    // Without the parent runner's NODE_TEST_CONTEXT, the child reports as `npm test` does.
    { encoding: "utf8", env: { ...process.env, NODE_TEST_CONTEXT: undefined } },
  );
  assert.equal(r.status, 1, "a failing test fails the run");
  assert.match(r.stdout, /^\.{30}X\n/);
  assert.match(r.stdout, /not ok - boom .*sample\.test\.mjs:\d+\)\nAssertionError/);
  const last = r.stdout.trim().split("\n").slice(-8);
  assert.deepEqual(last.slice(0, 4), ["# tests 31", "# suites 0", "# pass 30", "# fail 1"]);
  assert.ok(r.stdout.split("\n").length < 40, "compact: far fewer lines than TAP");
});
