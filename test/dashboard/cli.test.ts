/** `fleetrl dashboard` as a user runs it: prints its URL, serves, stops cleanly on Ctrl-C. */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

const ENTRY = ["--import", "tsx", "src/cli/main.ts", "dashboard"];

test("fleetrl dashboard prints its URL on 127.0.0.1, serves the API and stops on SIGINT", async () => {
  const runs = mkdtempSync(join(tmpdir(), "fleetrl-dash-cli-"));
  const child = spawn(process.execPath, [...ENTRY, "--port", "0", "--runs", runs], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (d) => {
        out += d;
        const line = out.split("\n").find((l) => l.startsWith("http"));
        if (line) resolve(line.trim());
      });
      child.on("exit", (code) => reject(new Error(`exited ${code} before printing a URL`)));
    });
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await fetch(`${url}api/runs`);
    assert.equal(res.status, 200);
    assert.deepEqual((await res.json()).runs, []);
    const page = await fetch(url);
    assert.match(await page.text(), /fleetrl dashboard/);
    const exit = new Promise<number | null>((resolve) => child.on("exit", resolve));
    child.kill("SIGINT");
    assert.equal(await exit, 0);
  } finally {
    child.kill();
    rmSync(runs, { recursive: true, force: true });
  }
});

test("a missing runs folder or a bad port is a user error (exit 2, no stack trace)", () => {
  for (const args of [
    ["--runs", join(tmpdir(), "fleetrl-no-such-runs")],
    ["--port", "70000"],
    ["--port", "abc"],
  ]) {
    const r = spawnSync(process.execPath, [...ENTRY, ...args], {
      encoding: "utf8",
      timeout: 30_000,
    });
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
  }
});
