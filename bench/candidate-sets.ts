/**
 * How the candidate set shapes the ospo-paper problem: one episode per dispatcher (seed 1) at
 * 00:00 on the shipped day under the ospo-paper scenario, with every pending order a candidate
 * of every available vehicle (ordersPerVehicle 0, the authors' rule) and with each vehicle's k
 * nearest. Prints served orders, mean pickup, candidate pairs per episode and episode time —
 * the evidence behind the scenario's ordersPerVehicle (docs/results.md).
 *
 *   npx tsx bench/candidate-sets.ts [--k 0,64,32,16] [--seed 1]
 */
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { DispatchConfigSchema } from "../src/envs/dispatch/config.ts";
import { BASELINE_DISPATCHERS } from "../src/envs/dispatch/dispatchers.ts";
import { runEpisode } from "../src/envs/dispatch/episode.ts";
import { DispatchSimulator } from "../src/envs/dispatch/simulator.ts";
import { loadWorld } from "../src/envs/dispatch/world.ts";
import { scenarioByName } from "../src/experiments/scenarios.ts";

const { values } = parseArgs({
  options: { k: { type: "string", default: "0,64,32,16" }, seed: { type: "string", default: "1" } },
});
const seed = Number(values.seed);
const base = DispatchConfigSchema.parse(scenarioByName("ospo-paper").env);
const world = await loadWorld(base);
world.oracleAt(base.startHour);
console.log(
  `ospo-paper at ${base.startHour}:00, ${base.vehicles} vehicles, seed ${seed}, load ${loadavg()[0].toFixed(1)}`,
);
console.log(
  "| orders per vehicle | dispatcher | requested | served | pickup min | pairs per episode | episode ms |",
);
console.log("|---|---|---|---|---|---|---|");
for (const k of values.k.split(",").map(Number)) {
  const config = { ...base, ordersPerVehicle: k };
  for (const dispatcher of BASELINE_DISPATCHERS) {
    const sim = new DispatchSimulator(world, config);
    let pairs = 0;
    const t = performance.now();
    const { metrics: m } = runEpisode(
      sim,
      {
        ...dispatcher,
        scores: (c, rng, s) => {
          pairs += c.pairCount;
          return dispatcher.scores(c, rng, s);
        },
      },
      seed,
    );
    const ms = performance.now() - t;
    console.log(
      `| ${k === 0 ? "all" : k} | ${dispatcher.name} | ${m.requested} | ${m.served} (${(100 * m.serviceRate).toFixed(1)}%) | ` +
        `${(m.meanPickupS / 60).toFixed(2)} | ${pairs} | ${ms.toFixed(0)} |`,
    );
  }
}
