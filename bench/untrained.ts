/**
 * The starting point of a learning curve: the greedy evaluation of each seed's *untrained*
 * policy, on the same evaluation episodes `fleetrl train` uses (config evalSeeds), under a named
 * scenario — what "learned" is measured against beside the first in-training evaluation.
 *
 *   npx tsx bench/untrained.ts [--scenario ospo-paper] [--algo ospo] [--seeds 1,2,3]
 */
import { parseArgs } from "node:util";
import type { AlgorithmName } from "../src/algorithms/registry.ts";
import { DispatchEnv } from "../src/envs/dispatch/env.ts";
import { loadWorld } from "../src/envs/dispatch/world.ts";
import { TrainRunSchema } from "../src/experiments/run-config.ts";
import { scenarioByName } from "../src/experiments/scenarios.ts";
import { Trainer } from "../src/training/trainer.ts";

const { values } = parseArgs({
  options: {
    scenario: { type: "string", default: "ospo-paper" },
    algo: { type: "string", default: "ospo" },
    seeds: { type: "string", default: "1,2,3" },
  },
});
const scenario = scenarioByName(values.scenario);
const run = TrainRunSchema.parse({
  env: scenario.env,
  train: { ...scenario.train, algo: values.algo },
});
const world = await loadWorld(run.env);
const evalEnv = new DispatchEnv(world, { ...run.env, sampleFraction: run.env.evalSampleFraction });
console.log(
  `untrained ${values.algo} policies on ${scenario.name}, evaluation seeds ${run.train.evalSeeds.join(", ")}`,
);
console.log("| seed | served | pickup s | reward |");
console.log("|---|---|---|---|");
for (const seed of values.seeds.split(",").map(Number)) {
  const trainer = await Trainer.create({
    env: evalEnv,
    evalEnv,
    config: { ...run.train, algo: values.algo as AlgorithmName, seed },
  });
  const ev = trainer.evaluate();
  console.log(
    `| ${seed} | ${ev.means.served.toFixed(0)} | ${ev.means.meanPickupS.toFixed(0)} | ${ev.reward.toFixed(0)} |`,
  );
}
