/** The report's SVG building blocks on small worked examples. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { barChart } from "../../src/reports/bar-chart.ts";
import { rampColor } from "../../src/reports/colors.ts";
import { escapeHtml, fmt, fmtCi } from "../../src/reports/format.ts";
import { binSeconds, histogramChart } from "../../src/reports/histogram.ts";
import { curveSeries, learningCurveCharts, movingMean } from "../../src/reports/learning-curves.ts";
import { lineChart, linePath } from "../../src/reports/line-chart.ts";
import { flattenConfig } from "../../src/reports/page.ts";
import { linearScale, niceStep, tickLabel } from "../../src/reports/scale.ts";

test("linear scale widens to nice ticks and maps the domain onto the range", () => {
  const y = linearScale([3, 97], [200, 0]);
  assert.deepEqual(y.domain, [0, 100]);
  assert.deepEqual(y.ticks, [0, 20, 40, 60, 80, 100]);
  assert.equal(y(0), 200);
  assert.equal(y(50), 100);
  assert.equal(y(100), 0);
  assert.deepEqual(linearScale([5, 5], [0, 1]).domain, [4.4, 5.6]);
  assert.deepEqual(linearScale([1, 3], [0, 100], 8, 1).ticks, [1, 2, 3]);
  assert.equal(niceStep(0.3), 0.5);
  assert.equal(niceStep(1300), 2000);
  assert.equal(niceStep(1), 1);
  assert.equal(tickLabel(25000, 5000), "25k");
  assert.equal(tickLabel(0.25, 0.05), "0.25");
  assert.equal(tickLabel(-2, 1), "−2");
});

test("formatting: escaping, thousands, CI cells, NaN as a dash", () => {
  assert.equal(escapeHtml(`a < b & "c"`), "a &lt; b &amp; &quot;c&quot;");
  assert.equal(fmt(25339.4), "25\u2009339");
  assert.equal(fmt(-1234.5, 1), "−1\u2009234.5");
  assert.equal(fmt(Number.NaN), "–");
  assert.equal(fmtCi(12.34, 1.2, 1), "12.3 ± 1.2");
  assert.equal(fmtCi(12, Number.NaN), "12 ± –");
});

test("line paths break at missing values; bands are closed", () => {
  assert.equal(
    linePath([
      [0, 0],
      [10, 5],
    ]),
    "M0 0L10 5",
  );
  assert.equal(
    linePath([
      [0, 0],
      [1, Number.NaN],
      [2, 2],
      [3, 3],
    ]),
    "M0 0M2 2L3 3",
  );
  const svg = lineChart({
    title: "t",
    xLabel: "episode",
    yLabel: "reward",
    series: [
      {
        name: "a",
        points: [
          [1, 1],
          [2, 3],
        ],
        band: [
          [1, 0, 2],
          [2, 2, 4],
        ],
      },
    ],
  });
  assert.match(svg, /<path class="band" d="M[^"]+Z"/);
  assert.match(svg, /<path class="line" d="M[\d.]+ [\d.]+L[\d.]+ [\d.]+"/);
  assert.match(svg, /<title>t<\/title>/);
});

test("moving mean and seed means with a CI band", () => {
  assert.deepEqual(
    movingMean(
      [
        [1, 0],
        [2, 2],
        [3, 4],
      ],
      2,
    ),
    [
      [1, 0],
      [2, 1],
      [3, 3],
    ],
  );
  const logs = [
    [
      { episode: 1, reward: 1 },
      { episode: 2, reward: 3 },
    ],
    [
      { episode: 1, reward: 3 },
      { episode: 2, reward: 5 },
    ],
  ];
  const [s] = curveSeries("ospo", logs, (r) => r.reward, 0, true);
  assert.deepEqual(s.points, [
    [1, 2],
    [2, 4],
  ]);
  // two samples 1 and 3: mean 2, sd √2, t(1) = 12.706 → half-width 12.706
  assert.ok(Math.abs((s.band?.[0][2] ?? 0) - 2 - 12.706) < 1e-3);
  // one long seed: raw (faint) + moving mean
  const long = [Array.from({ length: 100 }, (_, i) => ({ episode: i + 1, reward: i }))];
  const single = curveSeries("ospo", long, (r) => r.reward, 0, true);
  assert.deepEqual(
    single.map((x) => [x.name, x.faint ?? false]),
    [
      ["ospo", true],
      ["ospo (moving mean of 5)", false],
    ],
  );
});

test("bar chart: one bar per entry and group, whiskers where the CI is known", () => {
  const svg = barChart({
    title: "served",
    xLabel: "hour",
    yLabel: "orders",
    groups: ["14:00", "17:00"],
    series: [
      {
        name: "a",
        values: [
          { mean: 10, ci95: 2 },
          { mean: 12, ci95: Number.NaN },
        ],
      },
      {
        name: "b",
        values: [
          { mean: 8, ci95: 1 },
          { mean: 9, ci95: 1 },
        ],
      },
    ],
  });
  assert.equal(svg.match(/<rect [^>]*fill="#/g)?.length, 4 + 2); // bars + legend swatches
  assert.equal(svg.match(/class="whisker"/g)?.length, 3);
  assert.match(svg, /a, 14:00: 10 ± 2/);
});

test("a legend too wide for one row wraps and the chart grows by the extra rows", () => {
  const names = ["policy (ospo)", "min-eta", "greedy", "random", "max-reward", "policy (grpo)"];
  const svg = barChart({
    title: "t",
    xLabel: "x",
    yLabel: "y",
    groups: ["14:00"],
    series: names.map((name) => ({ name, values: [{ mean: 1, ci95: null }] })),
    width: 500,
    height: 280,
  });
  assert.match(svg, /viewBox="0 0 500 298"/);
  const legendY = [...svg.matchAll(/<text x="[\d.]+" y="([\d.]+)" class="legend">/g)].map(
    (m) => +m[1],
  );
  assert.deepEqual([...new Set(legendY)], [18, 36]);
});

test("histograms: binning with an open last bin; outlines per series", () => {
  assert.deepEqual(binSeconds([0, 29, 30, 999, -5], 30, 3).counts, [3, 1, 1]);
  const svg = histogramChart({
    title: "pickup",
    what: "pickup time",
    series: [
      { name: "x", histogram: { binWidth: 30, counts: [5, 3, 2] } },
      { name: "y", histogram: { binWidth: 30, counts: [1, 1, 0] } },
    ],
  });
  assert.equal(svg.match(/class="histogram"/g)?.length, 2);
  assert.match(svg, /share of orders \(%\)/);
  assert.match(svg, /last bin: ≥ 1 min/);
});

test("histogram x-axis ends one bin after the last filled bin; the open last bin is named only if drawn", () => {
  // 32 bins of 30 s (16 min) with data up to bin 9 (4.5–5 min) in one series, bin 3 in the other
  const counts = (filled: number[]) => Array.from({ length: 32 }, (_, i) => filled[i] ?? 0);
  const svg = histogramChart({
    title: "pickup",
    what: "pickup time",
    series: [
      { name: "a", histogram: { binWidth: 30, counts: counts([4, 3, 2, 1, 1, 1, 1, 1, 1, 1]) } },
      { name: "b", histogram: { binWidth: 30, counts: counts([5, 5, 5, 5]) } },
    ],
  });
  // 11 bins drawn (0–5.5 min): the axis' ticks stop at 6 min, not 16
  const ticks = [...svg.matchAll(/text-anchor="middle" class="tick">([\d.]+)<\/text>/g)].map((m) =>
    Number(m[1]),
  );
  assert.ok(ticks.length > 0 && Math.max(...ticks) <= 6, `x ticks ${ticks}`);
  assert.doesNotMatch(svg, /last bin/);
  // a series that fills the open last bin keeps the whole axis and the note
  const tail = counts([1]);
  tail[31] = 2;
  const open = histogramChart({
    title: "pickup",
    what: "pickup time",
    series: [{ name: "a", histogram: { binWidth: 30, counts: tail } }],
  });
  assert.match(open, /last bin: ≥ 15\.5 min/);
});

test("colour ramp ends and config flattening", () => {
  assert.equal(rampColor(0), "#ffffcc");
  assert.equal(rampColor(1), "#0c2c84");
  assert.equal(rampColor(2), "#0c2c84");
  assert.deepEqual(flattenConfig({ env: { vehicles: 60 }, hours: [1, 2], algos: ["a", "b"] }), [
    ["env.vehicles", "60"],
    ["hours", "1, 2"],
    ["algos", "a, b"],
  ]);
});

test("learning curves of more than two algorithms: shared charts without bands, then one banded chart per algorithm", () => {
  const logs = (algo: string, seed: number) => ({
    algo,
    seed,
    train: Array.from({ length: 5 }, (_, i) => ({ episode: i + 1, reward: i + seed })),
    eval: Array.from({ length: 5 }, (_, i) => ({ episode: i + 1, reward: 10 * i + seed })),
  });
  const four = ["ospo", "grpo", "ippo", "mappo"].flatMap((a) => [logs(a, 0), logs(a, 1)]);
  const charts = learningCurveCharts(four);
  // two shared charts (training and evaluation reward), then four small multiples
  assert.equal(charts.length, 6);
  for (const c of charts.slice(0, 2)) assert.doesNotMatch(c, /class="band"/);
  for (const [i, algo] of ["ospo", "grpo", "ippo", "mappo"].entries()) {
    assert.match(charts[2 + i], new RegExp(`${algo}: greedy evaluation reward`));
    assert.equal(charts[2 + i].match(/class="band"/g)?.length, 1);
  }
  // two algorithms keep their bands in the shared charts, and no small multiples
  const two = learningCurveCharts(four.slice(0, 4));
  assert.equal(two.length, 2);
  assert.equal(two[1].match(/class="band"/g)?.length, 2);
});
