/**
 * The fleet ablation's table (issue 12, docs/results.md "Policy-optimization variants on
 * ospo-paper"): a folder of training runs named `<variant>-seed<s>/`, each with its
 * `train.jsonl` and the `evaluation.json` that `fleetrl eval --checkpoint
 * <run>/checkpoint.safetensors --hours … --baselines ''` wrote beside the checkpoint.
 *
 * Per variant, mean ± 95% CI (Student t) over the seeds of:
 * - held-out reward, served and pickup (a seed's value: its mean over the evaluation hours);
 * - Δ reward against the variant's base (`ospo` for `ospo+…`, `grpo` for the GRPO family),
 *   paired by seed (the same seed plays the same first episodes and evaluation episodes);
 * - training stability from `train.jsonl`: policy entropy of the first and last episode, approx
 *   KL averaged over the episodes and its largest value, the largest clip fraction (share of
 *   ratios outside PPO's range) of any episode of any seed;
 * - wall time per training episode (rollout + update, as logged);
 * - the other variants whose final weights and optimizer state are bit-identical on every seed
 *   both ran (a hash of the checkpoint's tensors; its metadata, which names the recipe, aside).
 *
 * `--figure FILE.png` also draws training reward, entropy and approx KL per episode (mean over
 * the seeds, 95% CI band), one column of charts per family, with the report's charts in headless
 * Chromium (as bench/learning-curves-figure.ts).
 *
 *   npx tsx bench/fleet-ablation-table.ts runs/fleet-ablation [--figure docs/img/fleet-ablation.png]
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { meanCi95 } from "../src/core/stats.ts";
import { type LineSeries, lineChart } from "../src/reports/line-chart.ts";
import { grid, page } from "../src/reports/page.ts";

const { values, positionals } = parseArgs({
  options: { figure: { type: "string" } },
  allowPositionals: true,
});
if (positionals.length !== 1) {
  console.error("usage: npx tsx bench/fleet-ablation-table.ts RUNS_DIR [--figure FILE.png]");
  process.exit(2);
}
const root = positionals[0];

/** Table order: the OSPO family, then the GRPO family (the first of each is the base). */
const ORDER = [
  "ospo",
  "ospo+median",
  "ospo+etr",
  "ospo+bpo+median",
  "ospo+mdpo",
  "grpo",
  "mc-grpo",
  "gdpo",
  "bpo",
  "etr",
  "mdpo",
];
const baseOf = (variant: string) => (variant.startsWith("ospo") ? "ospo" : "grpo");

type Row = Record<string, number>;
interface Heldout {
  reward: number;
  served: number;
  pickupS: number;
}
interface Run {
  seed: number;
  /** Hash of the final checkpoint's tensor bytes, in the header's order. */
  tensors: string;
  episodes: Row[];
  /** Held-out means over the hours; null until the run has been evaluated. */
  heldout: Heldout | null;
}
/** A run in the table: trained and evaluated. */
type Done = Run & { heldout: Heldout };

function readRun(dir: string, seed: number): Run {
  const episodes = readFileSync(join(dir, "train.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Row);
  let heldout: Run["heldout"] = null;
  try {
    const rows = (
      JSON.parse(readFileSync(join(dir, "evaluation.json"), "utf8")).rows as Record<
        string,
        unknown
      >[]
    ).filter((r) => r.dispatcher === "policy");
    const avg = (key: string) =>
      rows.reduce((s, r) => s + (r[key] as { mean: number }).mean, 0) / rows.length;
    if (rows.length > 0)
      heldout = { reward: avg("reward"), served: avg("served"), pickupS: avg("pickupS") };
  } catch {
    // not evaluated yet
  }
  return { seed, tensors: tensorHash(join(dir, "checkpoint.safetensors")), episodes, heldout };
}

/** safetensors: an 8-byte little-endian header length, a JSON header, then the tensor bytes. */
function tensorHash(file: string): string {
  const bytes = readFileSync(file);
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString("utf8")) as Record<
    string,
    { data_offsets: [number, number] }
  >;
  const data = bytes.subarray(8 + headerLength);
  const hash = createHash("sha1");
  for (const [name, entry] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    hash.update(name);
    hash.update(data.subarray(entry.data_offsets[0], entry.data_offsets[1]));
  }
  return hash.digest("hex");
}

/** The other variants with bit-identical final checkpoints on every seed both ran. */
function sameWeights(label: string): string[] {
  const mine = new Map((variants.get(label) ?? []).map((r) => [r.seed, r.tensors]));
  return labels.filter((other) => {
    if (other === label) return false;
    const shared = (variants.get(other) ?? []).filter((r) => mine.has(r.seed));
    return shared.length > 0 && shared.every((r) => mine.get(r.seed) === r.tensors);
  });
}

const variants = new Map<string, Done[]>();
for (const name of readdirSync(root).sort()) {
  const m = /^(.+)-seed(\d+)$/.exec(name);
  if (!m) continue;
  let run: Run;
  try {
    run = readRun(join(root, name), Number(m[2]));
  } catch {
    continue; // no train.jsonl yet
  }
  // only finished runs (trained and evaluated) enter the table and the figure
  if (run.heldout === null) console.error(`${name}: not evaluated yet, left out`);
  else variants.set(m[1], [...(variants.get(m[1]) ?? []), run as Done]);
}
const labels = [...variants.keys()].sort(
  (a, b) => (ORDER.indexOf(a) + 1 || 99) - (ORDER.indexOf(b) + 1 || 99),
);

/** Mean ± 95% CI; `digits` decimals, or "e" for two significant digits in e-notation. */
const fmt = (xs: number[], digits: number | "e") => {
  if (xs.length === 0) return "–";
  const { mean, half } = meanCi95(xs);
  const f = (x: number) => (digits === "e" ? x.toExponential(1) : x.toFixed(digits));
  return xs.length < 2 ? f(mean) : `${f(mean)} ± ${f(half)}`;
};
const last = (xs: Row[]) => xs[xs.length - 1];

console.log(
  "| variant | held-out reward | served | pickup s | Δ reward vs base (paired) | entropy ep 1 → last | approx KL mean / max | clip fraction max | s / episode | seeds | same weights as |",
);
console.log("|---|---|---|---|---|---|---|---|---|---|---|");
for (const label of labels) {
  const runs = variants.get(label) ?? [];
  const held = (k: keyof Heldout) => runs.map((r) => r.heldout[k]);
  const base = baseOf(label);
  const baseBySeed = new Map((variants.get(base) ?? []).map((r) => [r.seed, r.heldout.reward]));
  const paired = runs.filter((r) => baseBySeed.has(r.seed));
  const delta =
    label === base
      ? "—"
      : fmt(
          paired.map((r) => r.heldout.reward - (baseBySeed.get(r.seed) ?? 0)),
          0,
        );
  const entropy = `${fmt(
    runs.map((r) => r.episodes[0].entropy),
    4,
  )} → ${fmt(
    runs.map((r) => last(r.episodes).entropy),
    4,
  )}`;
  const kl = `${fmt(
    runs.map((r) => r.episodes.reduce((s, e) => s + e.approxKl, 0) / r.episodes.length),
    "e",
  )} / ${fmt(
    runs.map((r) => Math.max(...r.episodes.map((e) => e.approxKl))),
    "e",
  )}`;
  const clipped = Math.max(...runs.flatMap((r) => r.episodes.map((e) => e.clipFraction)));
  const seconds = fmt(
    runs.map(
      (r) =>
        r.episodes.reduce((s, e) => s + e.rolloutSeconds + e.updateSeconds, 0) / r.episodes.length,
    ),
    1,
  );
  const episodes = [...new Set(runs.map((r) => r.episodes.length))].join("/");
  console.log(
    `| ${label} | ${fmt(held("reward"), 0)} | ${fmt(held("served"), 0)} | ${fmt(held("pickupS"), 1)} | ${delta} | ${entropy} | ${kl} | ${clipped} | ${seconds} | ${runs.length} (${episodes} ep) | ${sameWeights(label).join(", ") || "—"} |`,
  );
}

if (values.figure) {
  /** Mean ± CI over the seeds at every episode all of them reached. */
  const series = (family: string[], metric: string, scale = 1): LineSeries[] =>
    family.map((label, i) => {
      const runs = variants.get(label) ?? [];
      const n = Math.min(...runs.map((r) => r.episodes.length));
      const points: [number, number][] = [];
      const band: [number, number, number][] = [];
      for (let e = 0; e < n; e++) {
        const { mean, half } = meanCi95(runs.map((r) => r.episodes[e][metric] * scale));
        points.push([e + 1, mean]);
        band.push([e + 1, mean - half, mean + half]);
      }
      return { name: `${label} (${runs.length} seeds)`, points, band, color: i };
    });
  const families = [
    labels.filter((l) => baseOf(l) === "ospo"),
    labels.filter((l) => baseOf(l) === "grpo"),
  ].filter((family) => family.length > 0);
  // approx KL in units of a power of ten, so the axis labels stay short
  const maxKl = Math.max(
    ...[...variants.values()].flat().flatMap((r) => r.episodes.map((e) => e.approxKl)),
  );
  const klExponent = Math.floor(Math.log10(maxKl));
  // one row per metric, one column per family
  const charts = (
    [
      ["reward", "training episode reward", "reward", 1],
      ["entropy", "policy entropy", "entropy", 1],
      ["approxKl", "approx KL", `approx KL × 1e${klExponent}`, 10 ** -klExponent],
    ] as const
  ).flatMap(([metric, title, yLabel, scale]) =>
    families.map((family) =>
      lineChart({
        title: `${title}, ${baseOf(family[0]).toUpperCase()} family`,
        xLabel: "episode",
        yLabel,
        series: series(family, metric, scale),
        integerX: true,
      }),
    ),
  );
  const html = page({
    title: "fleet ablation on ospo-paper",
    subtitle: ["per training episode, mean over the seeds; the band is its 95% CI"],
    sections: [{ id: "curves", title: "Training stability", html: grid(charts) }],
  });
  const file = join(tmpdir(), `fleetrl-ablation-${process.pid}.html`);
  writeFileSync(file, html);
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
  });
  const tab = await browser.newPage({ viewport: { width: 1120, height: 700 } });
  await tab.goto(`file://${file}`);
  await tab.locator("#curves").screenshot({ path: values.figure });
  await browser.close();
  console.log(`wrote ${values.figure}`);
}
