/**
 * Learning benchmark, scenario "manhattan-peak" (DESIGN §4): 1000 vehicles, capacity 3, 30
 * one-minute epochs from 00:00 on the shipped day. Prints, start-up apart: time per OSPO training
 * episode (rollout with exploration, advantages + 10 × 256 updates), time of a greedy
 * policy-inference episode, and peak memory. The first episode (jit compilation) is reported
 * separately; figures are medians over the measured episodes.
 *
 *   npx tsx bench/train.ts [--episodes 5] [--algo ospo] [--vehicles 1000]
 */
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import type { AlgorithmName } from "../src/algorithms/algorithm.ts";
import { DispatchConfigSchema } from "../src/envs/dispatch/config.ts";
import { DispatchEnv } from "../src/envs/dispatch/env.ts";
import { loadWorld } from "../src/envs/dispatch/world.ts";
import { Trainer } from "../src/experiments/trainer.ts";

const { values } = parseArgs({
  options: {
    episodes: { type: "string", default: "5" },
    algo: { type: "string", default: "ospo" },
    vehicles: { type: "string", default: "1000" },
  },
});
const episodes = Number(values.episodes);
const config = DispatchConfigSchema.parse({
  vehicles: Number(values.vehicles),
  sampleFraction: 0.95,
});
console.log(
  `scenario manhattan-peak: ${config.vehicles} vehicles × capacity ${config.capacity}, ${config.epochs} epochs of ${config.dt} s ` +
    `from ${config.startHour}:00 on ${config.date}; ${values.algo} with its defaults (10 updates × 256); ` +
    `node ${process.version}, ${cpus().length} cores, load ${loadavg()[0].toFixed(1)}`,
);
let t = performance.now();
const world = await loadWorld(config);
world.oracleAt(config.startHour);
console.log(`start-up: data + travel-time table ${(performance.now() - t).toFixed(0)} ms`);

const env = new DispatchEnv(world, config);
const evalEnv = new DispatchEnv(world, { ...config, sampleFraction: 1 });
const trainer = await Trainer.create({
  env,
  evalEnv,
  config: { algo: values.algo as AlgorithmName, episodes: episodes + 1, evalEvery: 1_000_000 },
});
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rollout: number[] = [];
const update: number[] = [];
const total: number[] = [];
for (let e = 0; e <= episodes; e++) {
  t = performance.now();
  const row = trainer.trainEpisode();
  const ms = performance.now() - t;
  const r = Number(row.rolloutSeconds) * 1000;
  const u = Number(row.updateSeconds) * 1000;
  if (e === 0) {
    console.log(
      `first episode (includes jit compilation): ${ms.toFixed(0)} ms (rollout ${r.toFixed(0)}, updates ${u.toFixed(0)})`,
    );
    continue;
  }
  rollout.push(r);
  update.push(u);
  total.push(ms);
}
console.log(
  `training episode (median of ${episodes}): ${median(total).toFixed(0)} ms — rollout ${median(rollout).toFixed(0)} ms, ` +
    `advantages + updates ${median(update).toFixed(0)} ms (target ≤ 3000 ms)`,
);
const evalMs: number[] = [];
for (let i = 0; i < 3; i++) {
  t = performance.now();
  trainer.evaluate([100_000 + i]);
  evalMs.push(performance.now() - t);
}
console.log(
  `policy-inference episode (greedy, median of 3): ${median(evalMs).toFixed(0)} ms (target ≤ 1500 ms)`,
);
console.log(
  `peak memory (max RSS): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (target ≤ 500 MB)`,
);
