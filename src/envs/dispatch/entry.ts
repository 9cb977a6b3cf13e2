/**
 * The dispatch environment as a registered one (the default `--env dispatch`): the `env:`
 * section of a training run and the environments it builds on the loaded city and demand.
 */
import { z } from "zod";
import type { EnvironmentEntry, TrainingEnvs } from "../environment.ts";
import { type DispatchConfig, DispatchConfigSchema } from "./config.ts";
import { DispatchEnv } from "./env.ts";
import { type LoadedWorld, loadWorld } from "./world.ts";

/** A training run's `env:`: the dispatch config, with OSPO's fresh seeded 95% of the trips per episode. */
export const DispatchTrainSchema = DispatchConfigSchema.extend({
  sampleFraction: z.number().gt(0).max(1).default(0.95),
});

/**
 * Training and evaluation environments on a loaded world. Evaluation replays
 * `evalSampleFraction` of the window (default all of it: its seeds then vary the fleet only).
 */
export function dispatchTrainingEnvs(config: DispatchConfig, world: LoadedWorld): TrainingEnvs {
  world.oracleAt(Math.floor(config.startHour) % 24); // start-up: the hour's travel-time table
  const evalConfig = { ...config, sampleFraction: config.evalSampleFraction };
  return { env: new DispatchEnv(world, config), evalEnv: new DispatchEnv(world, evalConfig) };
}

export const dispatchEntry: EnvironmentEntry = {
  name: "dispatch",
  summary: "ride-pooling order dispatch on the Manhattan road network and trips",
  headline: [
    { label: "served", key: "served", digits: 0 },
    { label: "pickup", key: "meanPickupS", digits: 1, unit: " s" },
  ],
  trainSchema: DispatchTrainSchema,
  build: async (env, { demand }) => {
    const config = env as DispatchConfig;
    return dispatchTrainingEnvs(config, await loadWorld(config, { demandFile: demand }));
  },
};
