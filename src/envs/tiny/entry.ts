/**
 * The tiny environment as a registered one (`fleetrl train --env tiny`): a few seconds of
 * training with a known optimum, to try the CLI or an algorithm variant without the city.
 */
import { z } from "zod";
import { UserError } from "../../core/errors.ts";
import type { EnvironmentEntry } from "../environment.ts";
import { TINY_DEFAULTS, TinyDispatchEnv, type TinyEnvOptions } from "./tiny-env.ts";

const d = TINY_DEFAULTS;
const TinyTrainSchema = z
  .object({
    numVehicles: z.number().int().min(1).max(6).default(d.numVehicles).describe("agents"),
    gridSize: z.number().int().min(2).max(100).default(d.gridSize).describe("cells per axis"),
    minOrders: z.number().int().min(1).max(8).default(d.minOrders),
    maxOrders: z.number().int().min(1).max(8).default(d.maxOrders),
    episodeSteps: z.number().int().min(1).max(10_000).default(d.episodeSteps),
    busyProbability: z.number().min(0).lt(1).default(d.busyProbability),
    maxPickupMinutes: z.number().min(1).default(d.maxPickupMinutes),
    rewardBase: z.number().default(d.rewardBase),
    costPerMinute: z.number().gt(0).default(d.costPerMinute),
  })
  .strict();

export const tinyEntry: EnvironmentEntry = {
  name: "tiny",
  summary: "a 5×5 grid with a known best matching (tests, examples)",
  headline: [{ label: "matched", key: "matched", digits: 0 }],
  trainSchema: TinyTrainSchema,
  build: async (env) => {
    const options = env as TinyEnvOptions;
    try {
      return { env: new TinyDispatchEnv(options), evalEnv: new TinyDispatchEnv(options) };
    } catch (e) {
      // the cross-field rules (maxOrders ≥ minOrders, every match reward > 0)
      if (e instanceof RangeError) throw new UserError(`env: ${e.message}`);
      throw e;
    }
  },
};
