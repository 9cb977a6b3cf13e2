/**
 * The SAPO study's tables (docs/results.md, "Swarm training with shared experience"): per
 * update, each condition's training reward and served (the train log: means over the update's
 * episodes, shared ones included) and the greedy evaluation at the training hour (eval log), as
 * mean ± 95% CI (Student t) over the nodes.
 *
 *   npx tsx bench/sapo-table.ts "local-only (I=2, J=0)=runs/sapo-local-1-u5,…" "sharing (I=1, J=1)=runs/sapo-share-1-u5,…"
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { meanCi95 } from "../src/core/stats.ts";

const rows = (path: string) =>
  readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, number>);
const cell = (xs: number[]) => {
  const { mean, half } = meanCi95(xs);
  return `${mean.toFixed(0)} ± ${half.toFixed(0)}`;
};

console.log(
  "| condition | update | train reward | train served | greedy eval reward | greedy eval served |",
);
console.log("|---|---|---|---|---|---|");
for (const arg of process.argv.slice(2)) {
  const at = arg.lastIndexOf("=");
  const [name, dirs] = [arg.slice(0, at), arg.slice(at + 1)];
  const runs = dirs.split(",");
  const train = runs.map((d) => rows(join(d, "train.jsonl")).slice(0, 5));
  const evals = runs.map((d) => rows(join(d, "eval.jsonl")));
  const perUpdate = train[0][0].episode; // episodes per update
  for (let u = 0; u <= 5; u++) {
    const ev = evals.map((e) => e.find((r) => r.episode === u * perUpdate));
    const evalCells = ev.every((r) => r !== undefined)
      ? [cell(ev.map((r) => r!.reward)), cell(ev.map((r) => r!.served))]
      : ["", ""];
    const trainCells =
      u === 0
        ? ["", ""]
        : [cell(train.map((t) => t[u - 1].reward)), cell(train.map((t) => t[u - 1]["env.served"]))];
    console.log(`| ${name} | ${u} | ${[...trainCells, ...evalCells].join(" | ")} |`);
  }
}
