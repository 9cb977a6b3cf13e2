/**
 * Parallel rollouts (issue "Scale out", part 1): the same updates with 1 and N players (this
 * thread and N − 1 worker threads) on a named scenario (default ospo-paper). Each update collects
 * `--rollouts` episodes; prints the rollout phase and the whole update per N (medians over the
 * measured updates, the first update apart for jit compilation), their ratio to N = 1 measured in
 * this run, peak memory (max RSS of a process of its own per N, worker threads included) and
 * whether the weights agree. The ratios across processes carry the run-to-run spread of episode
 * times (±30% here); the paired ratio does not: before each measured update of N > 1, the
 * update's episodes are played one by one in this thread and by the pool, back to back, with the
 * same weights. With `--policy-lag 1` the worker threads play the next update's episodes while
 * this thread updates (the whole update is the figure then; no paired ratio: the pool plays ahead).
 *
 *   npx tsx bench/rollouts.ts [--scenario ospo-paper] [--algo ospo] [--rollouts 2] [--updates 3] [--workers 1,2]
 *                             [--policy-lag 0]
 */
import { execFileSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { resourceUsage } from "node:process";
import { parseArgs } from "node:util";
import { DispatchTrainSchema } from "../src/envs/dispatch/entry.ts";
import { environmentByName } from "../src/envs/registry.ts";
import { startRolloutPool } from "../src/experiments/rollout-pool.ts";
import type { AnyTrainRun } from "../src/experiments/run-config.ts";
import { scenarioByName } from "../src/experiments/scenarios.ts";
import type { RolloutPool } from "../src/training/rollout.ts";
import { parseTrainConfig } from "../src/training/train-config.ts";
import { Trainer } from "../src/training/trainer.ts";

const { values } = parseArgs({
  options: {
    scenario: { type: "string", default: "ospo-paper" },
    algo: { type: "string", default: "ospo" },
    rollouts: { type: "string", default: "2" },
    updates: { type: "string", default: "3" },
    workers: { type: "string", default: "1,2" },
    "policy-lag": { type: "string", default: "0" },
    only: { type: "string" }, // internal: measure this N and print one JSON line
  },
});
const scenario = scenarioByName(values.scenario);
const rollouts = Number(values.rollouts);
const updates = Number(values.updates);
const env = DispatchTrainSchema.parse(scenario.env);
const train = parseTrainConfig({
  ...scenario.train,
  algo: values.algo,
  rollouts,
  policyLag: Number(values["policy-lag"]),
  episodes: rollouts * (updates + 1),
  evalEvery: 1_000_000, // no evaluation: rollouts and updates only
});
const run: AnyTrainRun = { environment: "dispatch", env, train };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
interface Row {
  n: number;
  rollout: number;
  update: number;
  rssMb: number;
  weights: string;
  /** Median over the measured updates of (its episodes played one by one in this thread) /
   * (the same episodes, same weights, played by the pool), timed back to back here; N > 1. */
  paired: number | null;
}

/** The paired ratio of one update (see Row.paired); the order alternates to cancel drift. */
async function pairedRatio(trainer: Trainer, pool: RolloutPool, first: boolean): Promise<number> {
  const batches = trainer.nextBatches(undefined, 0);
  const { jobs } = batches[0];
  const time = async (f: () => unknown) => {
    const t = performance.now();
    await f();
    return performance.now() - t;
  };
  const alone = () => time(() => jobs.map((job) => trainer.play(job)));
  const pooled = () => time(() => pool.collect(batches, (job) => trainer.play(job)));
  if (first) {
    const a = await alone();
    return a / (await pooled());
  }
  const p = await pooled();
  return (await alone()) / p;
}

async function measure(n: number): Promise<Row> {
  const envs = await environmentByName("dispatch").build(env, {});
  const trainer = await Trainer.create({ ...envs, config: train });
  const pool = n > 1 ? await startRolloutPool(run, n) : null;
  const rollout: number[] = [];
  const total: number[] = [];
  const paired: number[] = [];
  for (let u = 0; u <= updates; u++) {
    if (pool && u > 0 && train.policyLag === 0)
      paired.push(await pairedRatio(trainer, pool, u % 2 === 1));
    const t0 = performance.now();
    const row = pool ? await trainer.trainEpisodeOn(pool) : trainer.trainEpisode();
    if (u === 0) continue;
    rollout.push(row.rolloutSeconds as number);
    total.push((performance.now() - t0) / 1000);
  }
  await pool?.close();
  const rssMb = resourceUsage().maxRSS / 1024;
  const weights = Buffer.from(trainer.policy.params.buffer).toString("base64").slice(0, 16);
  const ratio = paired.length ? median(paired) : null;
  return { n, rollout: median(rollout), update: median(total), rssMb, weights, paired: ratio };
}

if (values.only !== undefined) {
  console.log(JSON.stringify(await measure(Number(values.only))));
  process.exit(0);
}
console.log(
  `scenario ${scenario.name}: ${env.vehicles} vehicles, ${env.epochs} epochs; ${train.algo}, ` +
    `${rollouts} episodes per update, policy lag ${train.policyLag}, ${updates} measured updates after a warm-up one; ` +
    `node ${process.version}, ${cpus().length} cores, load ${loadavg()[0].toFixed(1)}`,
);

const rows: Row[] = values.workers.split(",").map((n) => {
  const args = process.argv.slice(1).filter((a) => !a.startsWith("--only"));
  const out = execFileSync(process.execPath, [...process.execArgv, ...args, "--only", n], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  return JSON.parse(out.trim().split("\n").at(-1) as string) as Row;
});
console.log(
  "\n| workers | rollout phase s (×N=1) | whole update s (×N=1) | paired rollout × | RSS MB | weights |",
);
console.log("|---|---|---|---|---|---|");
for (const r of rows) {
  const speed = (a: number, b: number) => `${a.toFixed(2)} (${(b / a).toFixed(2)}×)`;
  console.log(
    `| ${r.n} | ${speed(r.rollout, rows[0].rollout)} | ${speed(r.update, rows[0].update)} | ${r.paired?.toFixed(2) ?? "–"} | ${r.rssMb.toFixed(0)} | ${r.weights}… |`,
  );
}
