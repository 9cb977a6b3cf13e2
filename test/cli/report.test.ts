/**
 * `fleetrl report` end to end: tiny real runs of train + eval, compare and simulate, their
 * reports checked as HTML and in headless Chromium (plots rendered, ~69 zones per map, no console
 * errors, no network), a screenshot saved as report.png in each run directory; bad input exits 2.
 */
import assert from "node:assert/strict";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { chromiumSkip, launchChromium } from "../browser/chromium.ts";
import { runCli, tempDir } from "./run-cli.ts";

const SMALL = ["--vehicles", "60", "--epochs", "3", "--start-hour", "1"];
const root = tempDir("fleetrl-report-");
const dirs = {
  train: join(root, "train"),
  compare: join(root, "compare"),
  simulate: join(root, "sim"),
};
const reports: Record<string, { path: string; kind: string; sections: string[] }> = {};

function ok(args: string[]) {
  const r = runCli(args);
  assert.equal(r.status, 0, r.stderr);
  return r;
}

before(() => {
  ok(["train", "--episodes", "2", "--eval-every", "1", ...SMALL, "--out", dirs.train, "--json"]);
  ok([
    "eval",
    "--checkpoint",
    join(dirs.train, "best.safetensors"),
    "--hours",
    "2",
    "--seeds",
    "2",
    "--baselines",
    "min-eta",
    "--json",
  ]);
  ok([
    "compare",
    "--algos",
    "grpo,greedy",
    "--seeds",
    "2",
    "--episodes",
    "2",
    "--eval-every",
    "1",
    "--hours",
    "2",
    ...SMALL,
    "--out",
    dirs.compare,
    "--json",
  ]);
  ok(["simulate", ...SMALL, "--out", dirs.simulate, "--json"]);
  for (const [kind, dir] of Object.entries(dirs))
    reports[kind] = JSON.parse(ok(["report", dir, "--json"]).stdout);
});

const EXPECTED_SECTIONS: Record<string, string[]> = {
  train: ["summary", "learning", "hourly", "distributions", "map", "config"],
  compare: ["summary", "learning", "hourly", "distributions", "map", "config"],
  simulate: ["summary", "timeline", "distributions", "map", "config"],
};

test("every run kind gets a self-contained report with its sections", () => {
  for (const [kind, dir] of Object.entries(dirs)) {
    const r = reports[kind];
    assert.equal(r.kind, kind);
    assert.equal(r.path, join(dir, "report.html"));
    assert.deepEqual(r.sections, EXPECTED_SECTIONS[kind]);
    const html = readFileSync(r.path, "utf8");
    for (const id of r.sections) assert.match(html, new RegExp(`<section id="${id}">`));
    // nothing to fetch: no scripts, no external src/href/url()
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    assert.doesNotMatch(html, /url\(/i);
    // lines with points; one path per zone in every map
    const lines = [...html.matchAll(/<path class="line" d="([^"]*)"/g)].map((m) => m[1]);
    assert.ok(lines.length > 0 && lines.some((d) => d.includes("L")), kind);
    const maps = html.split('<svg class="chart map"').slice(1);
    assert.ok(maps.length >= 1);
    for (const m of maps) assert.equal(m.match(/<path class="zone"/g)?.length, 69);
  }
  const train = readFileSync(reports.train.path, "utf8");
  assert.match(train, /policy \(ospo\)/);
  assert.match(train, /min-eta/);
  const compare = readFileSync(reports.compare.path, "utf8");
  assert.match(compare, /grpo \(2 seeds\)/);
  assert.match(compare, /<path class="band"/);
});

let browser: Browser | null = null;
after(async () => {
  await browser?.close();
});

test("reports render in headless Chromium; a screenshot is saved beside each", {
  skip: chromiumSkip(),
}, async () => {
  browser = await launchChromium();
  for (const [kind, dir] of Object.entries(dirs)) {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page: ${e.message}`));
    page.on("request", (req) => {
      if (!req.url().startsWith("file:")) problems.push(`request: ${req.url()}`);
    });
    await page.goto(`file://${reports[kind].path}`);
    const charts = await page.$$eval("svg.chart", (svgs) =>
      svgs.map((s) => {
        const box = s.getBoundingClientRect();
        return {
          cls: s.getAttribute("class"),
          w: box.width,
          h: box.height,
          marks: s.querySelectorAll("path, rect, circle").length,
        };
      }),
    );
    assert.ok(charts.length >= 4, `${kind}: ${charts.length} charts`);
    for (const c of charts)
      assert.ok(c.w > 0 && c.h > 0 && c.marks > 0, `${kind}: ${JSON.stringify(c)}`);
    const zones = await page.$$eval("svg.map", (maps) =>
      maps.map((m) => {
        const paths = [...m.querySelectorAll("path.zone")];
        return {
          n: paths.length,
          drawn: paths.filter((p) => p.getBoundingClientRect().width > 0).length,
        };
      }),
    );
    for (const z of zones) assert.ok(z.n === 69 && z.drawn >= 60, `${kind}: ${JSON.stringify(z)}`);
    const png = await page.screenshot({ fullPage: true });
    writeFileSync(join(dir, "report.png"), png);
    assert.ok(png.length > 10_000);
    assert.deepEqual(problems, [], kind);
    await page.close();
  }
});

test("report: not a run directory, a missing one or a corrupt file exit 2 without a stack trace", () => {
  const cases: [string, RegExp][] = [
    [root, /not a run directory/],
    [join(root, "nope"), /no such run directory/],
  ];
  const corrupt = join(root, "corrupt");
  cpSync(dirs.simulate, corrupt, { recursive: true });
  writeFileSync(join(corrupt, "metrics.json"), "{ not json");
  cases.push([corrupt, /metrics\.json: not valid JSON/]);
  for (const [dir, message] of cases) {
    const r = runCli(["report", dir]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
});
