/**
 * The held-out table of a study: for each named group of training runs (the seeds of one
 * learner), each run's evaluation.json (`fleetrl eval --checkpoint <run>/best.safetensors
 * --hours … --baselines ''`) averaged over its hours, then mean ± 95% CI (Student t) over the
 * runs — one markdown row per group, the columns of docs/results.md.
 *
 *   npx tsx bench/heldout-table.ts "GRPO (300 episodes)=runs/p300-grpo-1,runs/p300-grpo-2,runs/p300-grpo-3"
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { meanCi95 } from "../src/core/stats.ts";

const COLUMNS = ["reward", "served", "confirmationS", "pickupS", "detourS"] as const;
const DIGITS = [0, 0, 1, 1, 1];

interface Row {
  dispatcher: string;
  [metric: string]: unknown;
}

if (process.argv.length < 3) {
  console.error('usage: npx tsx bench/heldout-table.ts "NAME=run1,run2,…" ["NAME=…" …]');
  process.exit(2);
}
console.log(`| entry | episode reward | served | confirmation s | pickup s | detour s | runs |`);
console.log(`|---|---|---|---|---|---|---|`);
for (const arg of process.argv.slice(2)) {
  const [name, dirs] = arg.split("=");
  const runs = dirs.split(",");
  const perRun = runs.map((dir) => {
    const rows = (
      JSON.parse(readFileSync(join(dir, "evaluation.json"), "utf8")).rows as Row[]
    ).filter((r) => r.dispatcher === "policy");
    if (rows.length === 0) throw new Error(`${dir}/evaluation.json: no policy rows`);
    return COLUMNS.map(
      (c) => rows.reduce((s, r) => s + (r[c] as { mean: number }).mean, 0) / rows.length,
    );
  });
  const cells = COLUMNS.map((_, j) => {
    const { mean, half } = meanCi95(perRun.map((r) => r[j]));
    return `${mean.toFixed(DIGITS[j])} ± ${half.toFixed(DIGITS[j])}`;
  });
  console.log(`| ${name} | ${cells.join(" | ")} | ${runs.length} |`);
}
