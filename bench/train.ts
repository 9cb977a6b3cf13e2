/**
 * Learning benchmark on a named scenario (default "manhattan-peak", DESIGN §4: 1000 vehicles,
 * capacity 3, 30 one-minute epochs from 00:00 on the shipped day; "ospo-paper": the paper's
 * semantics, every available vehicle × its 64 nearest pending orders). Prints, start-up apart:
 * time per training episode (rollout with exploration, advantages + 10 × 256 updates), time of a
 * greedy policy-inference episode, and peak memory. The first episode (jit compilation) is
 * reported separately; figures are medians over the measured episodes. Training keys of the
 * scenario (ε per pair, KL mean, …) apply.
 *
 *   npx tsx bench/train.ts [--scenario ospo-paper] [--episodes 5] [--algo ospo] [--vehicles 1000]
 *                          [--orders-per-vehicle K] (0 = every pending order)
 */
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import type { AlgorithmName } from "../src/algorithms/registry.ts";
import { DispatchConfigSchema } from "../src/envs/dispatch/config.ts";
import { DispatchEnv } from "../src/envs/dispatch/env.ts";
import { loadWorld } from "../src/envs/dispatch/world.ts";
import { scenarioByName } from "../src/experiments/scenarios.ts";
import { Trainer } from "../src/training/trainer.ts";

const { values } = parseArgs({
  options: {
    episodes: { type: "string", default: "5" },
    algo: { type: "string", default: "ospo" },
    vehicles: { type: "string", default: "1000" },
    scenario: { type: "string", default: "manhattan-peak" },
    "orders-per-vehicle": { type: "string" },
  },
});
const episodes = Number(values.episodes);
const scenario = scenarioByName(values.scenario);
const perVehicle = values["orders-per-vehicle"];
const config = DispatchConfigSchema.parse({
  sampleFraction: 0.95,
  ...scenario.env,
  vehicles: Number(values.vehicles),
  ...(perVehicle !== undefined ? { ordersPerVehicle: Number(perVehicle) } : {}),
});
console.log(
  `scenario ${scenario.name}: ${config.vehicles} vehicles × capacity ${config.capacity}, ${config.epochs} epochs of ${config.dt} s ` +
    `from ${config.startHour}:00 on ${config.date}, candidates ${config.candidates}` +
    `${config.candidates === "all" ? ` (${config.ordersPerVehicle || "every"} order(s) per vehicle)` : ""}; ` +
    `${values.algo} with its defaults (10 updates × 256); ` +
    `node ${process.version}, ${cpus().length} cores, load ${loadavg()[0].toFixed(1)}`,
);
let t = performance.now();
const world = await loadWorld(config);
world.oracleAt(config.startHour);
console.log(`start-up: data + travel-time table ${(performance.now() - t).toFixed(0)} ms`);

const env = new DispatchEnv(world, config);
const evalEnv = new DispatchEnv(world, { ...config, sampleFraction: config.evalSampleFraction });
const trainer = await Trainer.create({
  env,
  evalEnv,
  config: {
    ...scenario.train,
    algo: values.algo as AlgorithmName,
    episodes: episodes + 1,
    evalEvery: 1_000_000,
  },
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
