/**
 * One greedy policy, two players: the trainer's evaluation (DispatchEnv + selectJointAction,
 * ε = 0) and the dispatcher that `eval`, `compare` and `simulate --dispatcher policy:` run
 * (policyDispatcher through runEpisode). Both must take the same joint action at every epoch,
 * so the same seed gives the same episode to the last float of every metric.
 */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { DispatchTrainSchema, dispatchTrainingEnvs } from "../../src/envs/dispatch/entry.ts";
import { runEpisode } from "../../src/envs/dispatch/episode.ts";
import { geometryFromCity } from "../../src/envs/dispatch/features.ts";
import { DispatchSimulator } from "../../src/envs/dispatch/simulator.ts";
import { type LoadedWorld, loadWorld } from "../../src/envs/dispatch/world.ts";
import { policyDispatcher } from "../../src/experiments/policy-dispatcher.ts";
import { Trainer } from "../../src/training/trainer.ts";

const config = DispatchTrainSchema.parse({ vehicles: 150, epochs: 8, startHour: 18 });
const KEYS = ["served", "lost", "meanPickupS", "meanDetourS", "episodeReward", "distanceKm"];

describe("the trainer's greedy evaluation and the policy dispatcher play the same episode", () => {
  let world: LoadedWorld;
  before(async () => {
    world = await loadWorld(config);
  });

  for (const matchWeight of ["probability", "score"] as const) {
    test(`matching on ${matchWeight}`, async () => {
      const { env, evalEnv } = dispatchTrainingEnvs(config, world);
      const trainer = await Trainer.create({
        env,
        evalEnv,
        config: { seed: 5, episodes: 1, lr: 1e-3, matchWeight, evalEvery: 10 },
      });
      trainer.train(); // one update: weights that are not just the initialisation
      const seed = 4242;
      const viaTrainer = trainer.evaluate([seed]).episodes[0].extra;
      const sim = new DispatchSimulator(world, {
        ...config,
        sampleFraction: config.evalSampleFraction,
      });
      const dispatcher = policyDispatcher(
        trainer.policy,
        geometryFromCity(world.city),
        matchWeight,
      );
      const viaDispatcher = runEpisode(sim, dispatcher, seed).metrics as unknown as Record<
        string,
        number
      >;
      assert.ok(viaDispatcher.served > 100, `served ${viaDispatcher.served}`);
      for (const key of KEYS) assert.equal(viaTrainer[key], viaDispatcher[key], key);
    });
  }
});
