/**
 * The SAPO study's tables (docs/results.md, "Swarm training with shared experience"): every
 * `--every` updates, each condition's training reward and served (the train log: means over the
 * window's updates and their episodes, shared ones included) and the greedy evaluation at the
 * training hour at that update (eval log), as mean ± 95% CI (Student t) over the nodes.
 *
 *   npx tsx bench/sapo-table.ts [--every 8] "alone (I=2, J=0)=runs/sapo/alone-1,…" "sharing (I=1, J=1)=runs/sapo/sharing-1,…"
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { meanCi95 } from "../src/core/stats.ts";

const { values, positionals } = parseArgs({
  options: { every: { type: "string", default: "1" } },
  allowPositionals: true,
});
const every = Number(values.every);
const rows = (path: string) =>
  readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, number>);
const cell = (xs: number[]) => {
  const { mean, half } = meanCi95(xs);
  return `${mean.toFixed(0)} ± ${half.toFixed(0)}`;
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

console.log(
  `| condition | update | train reward (last ${every}) | train served (last ${every}) | greedy eval reward | greedy eval served |`,
);
console.log("|---|---|---|---|---|---|");
for (const arg of positionals) {
  const at = arg.lastIndexOf("=");
  const [name, dirs] = [arg.slice(0, at), arg.slice(at + 1)];
  const runs = dirs.split(",");
  const train = runs.map((d) => rows(join(d, "train.jsonl")));
  const evals = runs.map((d) => rows(join(d, "eval.jsonl")));
  const perUpdate = train[0][0].episode; // episodes per update
  const updates = Math.min(...train.map((t) => t.length));
  for (let u = 0; u <= updates; u += every) {
    const ev = evals.map((e) => e.find((r) => r.episode === u * perUpdate));
    const evalCells = ev.every((r) => r !== undefined)
      ? [cell(ev.map((r) => r!.reward)), cell(ev.map((r) => r!.served))]
      : ["", ""];
    const window = (t: Record<string, number>[], key: string) =>
      mean(t.slice(Math.max(0, u - every), u).map((r) => r[key]));
    const trainCells =
      u === 0
        ? ["", ""]
        : [
            cell(train.map((t) => window(t, "reward"))),
            cell(train.map((t) => window(t, "env.served"))),
          ];
    console.log(`| ${name} | ${u} | ${[...trainCells, ...evalCells].join(" | ")} |`);
  }
}
