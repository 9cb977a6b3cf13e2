/**
 * A study's learning curves as one PNG for the docs: for each named group of training runs
 * (seeds of one algorithm), the greedy-evaluation served orders and mean pickup per episode,
 * mean over the runs with its 95% CI band — drawn by the report's own charts, rendered by
 * headless Chromium (Debian's package).
 *
 *   npx tsx bench/learning-curves-figure.ts --out docs/img/ospo-paper-curves.png \
 *     "OSPO=runs/criterion-ospo-1,runs/criterion-ospo-2,runs/criterion-ospo-3" "GRPO=…"
 */
import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";
import { meanCi95 } from "../src/core/stats.ts";
import { type LineSeries, lineChart } from "../src/reports/line-chart.ts";
import { grid, page } from "../src/reports/page.ts";

const { values, positionals } = parseArgs({
  options: { out: { type: "string" }, title: { type: "string", default: "learning curves" } },
  allowPositionals: true,
});
if (!values.out || positionals.length === 0)
  throw new Error('usage: --out FILE.png "NAME=dir1,dir2" ["NAME=…" …]');

type Row = Record<string, number>;
const groups = positionals.map((arg) => {
  const [name, dirs] = arg.split("=");
  const runs = dirs.split(",").map((d) =>
    readFileSync(join(d, "eval.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Row),
  );
  return { name, runs };
});

function series(metric: string, scale = 1): LineSeries[] {
  return groups.map(({ name, runs }, i) => {
    const episodes = [...new Set(runs.flatMap((r) => r.map((x) => x.episode)))].sort(
      (a, b) => a - b,
    );
    const points: [number, number][] = [];
    const band: [number, number, number][] = [];
    for (const e of episodes) {
      const xs = runs.flatMap((r) =>
        r.filter((x) => x.episode === e).map((x) => x[metric] * scale),
      );
      if (xs.length < runs.length) continue; // every seed has it
      const { mean, half } = meanCi95(xs);
      points.push([e, mean]);
      band.push([e, mean - half, mean + half]);
    }
    return { name: `${name} (${runs.length} seeds)`, points, band, color: i, dots: true };
  });
}

const charts = [
  lineChart({
    title: "served orders (greedy evaluation)",
    xLabel: "episode",
    yLabel: "served",
    series: series("served"),
    integerX: true,
  }),
  lineChart({
    title: "mean pickup (greedy evaluation)",
    xLabel: "episode",
    yLabel: "pickup, min",
    series: series("meanPickupS", 1 / 60),
    integerX: true,
  }),
];
const html = page({
  title: values.title,
  subtitle: ["mean over the training seeds at each evaluation; the band is its 95% CI"],
  sections: [{ id: "curves", title: "Greedy evaluation during training", html: grid(charts) }],
});
const file = join(tmpdir(), `fleetrl-curves-${process.pid}.html`);
writeFileSync(file, html);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
});
const tab = await browser.newPage({ viewport: { width: 1060, height: 600 } });
await tab.goto(`file://${file}`);
await tab.locator("#curves").screenshot({ path: values.out });
await browser.close();
console.log(`wrote ${values.out}`);
