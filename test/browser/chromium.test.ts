/**
 * Browser tests on a machine without Chromium: skipped with one line that names the browser and
 * its install command, unless CI is set — then they run and fail.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";

function runWithout(env: Record<string, string>) {
  const { CI: _ci, NODE_TEST_CONTEXT: _inner, ...rest } = process.env;
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", "--test", "test/browser/fixtures/needs-chromium.ts"],
    { env: { ...rest, CHROMIUM_PATH: "/nonexistent/chromium", ...env }, encoding: "utf8" },
  );
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test("without Chromium the browser tests skip with one line naming it and its install command", () => {
  const { status, out } = runWithout({});
  assert.equal(status, 0, out);
  assert.match(out, /# skipped 2/);
  const loud = out.split("\n").filter((l) => l.includes("!!!"));
  assert.equal(loud.length, 1, out);
  assert.match(loud[0], /Chromium not found at \/nonexistent\/chromium/);
  assert.match(loud[0], /apt-get install chromium/);
});

test("with CI set the browser tests run and fail when Chromium is missing", () => {
  const { status, out } = runWithout({ CI: "1" });
  assert.notEqual(status, 0, out);
  assert.match(out, /# fail 2/);
  assert.match(out, /install Debian's package \(apt-get install chromium\)/);
});
