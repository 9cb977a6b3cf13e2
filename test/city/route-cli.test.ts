/** `fleetrl route` end to end: a real process, JSON on stdout, exit code 2 on bad input. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const repo = fileURLToPath(new URL("../..", import.meta.url));

/** Run the CLI as users do (`npx tsx`), or through node's tsx loader (same code, less start-up). */
function fleetrl(args: string[], via: "npx" | "node" = "node") {
  const cmd = via === "npx" ? "npx" : process.execPath;
  const pre = via === "npx" ? ["tsx"] : ["--import", "tsx"];
  const r = spawnSync(cmd, [...pre, "src/cli/main.ts", ...args], { cwd: repo, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("route --json prints one JSON object with time, distance, path and snapped nodes", () => {
  const args = ["route", "--from", "40.7549,-73.9840", "--to", "40.7069,-74.0113", "--hour", "8"];
  const r = fleetrl([...args, "--json"], "npx");
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.router, "road");
  assert.equal(out.day, "weekday");
  assert.equal(out.hour, 8);
  assert.ok(out.timeS > 6 * 60 && out.timeS < 40 * 60, `${out.timeS}`);
  assert.ok(Math.abs(out.timeMin - out.timeS / 60) < 0.01);
  assert.ok(out.distanceM > 5000 && out.distanceM < 12000, `${out.distanceM}`);
  assert.ok(out.pathNodes > 10);
  assert.equal(out.snapped.from.zone, 161);
  assert.ok(out.snapped.from.distanceM < 100);
  assert.equal(out.zoneNames.from, "Midtown Center");
});

test("route with the zone router, human output", () => {
  const r = fleetrl([
    "route",
    "--from",
    "40.7549,-73.9840",
    "--to",
    "40.8116,-73.9465",
    "--router",
    "zones",
    "--day",
    "sunday",
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /sunday at 08:00 \(zone-to-zone matrix\)/);
  assert.match(r.stdout, /travel time \d+ s \([\d.]+ min\)/);
});

test("bad input exits with code 2 and a clear message, no stack trace", () => {
  const cases: [string[], RegExp][] = [
    [["--from", "40.75;-73.98", "--to", "40.7069,-74.0113"], /--from: expected LAT,LON/],
    [["--from", "40.7549,-73.9840", "--to", "40.6782,-73.9442"], /outside the city/],
    [
      ["--from", "40.7549,-73.9840", "--to", "40.7069,-74.0113", "--hour", "25"],
      /--hour: expected an integer 0\.\.23/,
    ],
    [
      ["--from", "40.7549,-73.9840", "--to", "40.7069,-74.0113", "--day", "monday"],
      /--day: expected one of weekday, saturday, sunday/,
    ],
  ];
  for (const [args, message] of cases) {
    const r = fleetrl(["route", ...args, "--json"]);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.equal(r.stdout, "");
  }
});
