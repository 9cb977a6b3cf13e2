/**
 * The README's sample output of `simulate` is what the command prints today: every line of the
 * block (but "...", the elided rows, and the run directory's timestamp) must appear in the
 * command's output, in order. When the simulator changes, this test names the stale line.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli, tempDir } from "./run-cli.ts";

/** The command and output lines of the README's `$ npx fleetrl simulate …` sample. */
export function readmeSimulateSample(readme: string): { args: string[]; lines: string[] } {
  const block = readme.split("\n");
  const start = block.findIndex((l) => l.startsWith("$ npx fleetrl simulate"));
  assert.ok(start >= 0, "README has a `$ npx fleetrl simulate` sample");
  const command = block[start].replace(/#.*$/, "").trim().split(/\s+/).slice(3);
  const lines: string[] = [];
  for (const line of block.slice(start + 1)) {
    if (line.startsWith("run directory:") || line.startsWith("$") || line.startsWith("```")) break;
    if (line.trim() !== "..." && line.trim() !== "") lines.push(line.replace(/\s+#.*$/, ""));
  }
  return { args: command, lines };
}

test("README's simulate sample output matches the command's output", () => {
  const { args, lines } = readmeSimulateSample(readFileSync("README.md", "utf8"));
  assert.ok(lines.length >= 3, "the sample shows some rows");
  const r = runCli([...args, "--out", join(tempDir(), "sim")]);
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout.split("\n");
  let at = 0;
  for (const line of lines) {
    const found = out.indexOf(line, at);
    assert.ok(found >= 0, `README line is stale: "${line}"\ncommand prints:\n${r.stdout}`);
    at = found + 1;
  }
});
