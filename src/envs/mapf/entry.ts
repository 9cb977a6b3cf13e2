/**
 * Lifelong multi-agent path finding as a registered environment (`fleetrl train --env mapf`):
 * the `env:` section of a training run and the maps it plays — a MovingAI `.map` file, or a
 * generated map (random obstacles, a maze, a warehouse) drawn afresh from each episode's seed,
 * so the greedy evaluations play maps the training never saw. `mixed` draws a random map or a
 * maze (even odds) per episode.
 */
import { z } from "zod";
import { UserError } from "../../core/errors.ts";
import type { Rng } from "../../core/rng.ts";
import type { EnvironmentEntry } from "../environment.ts";
import { emptyMap, mazeMap, randomMap, warehouseMap } from "./generators.ts";
import { type GridMap, readMapFile } from "./grid-map.ts";
import { MAPF_DEFAULTS, MapfEnv, type MapGenerator } from "./mapf-env.ts";

export const MAP_KINDS = ["random", "maze", "mixed", "warehouse", "empty"] as const;

const side = () => z.number().int().min(3).max(1024);
const count = (d: number) => z.number().int().min(1).max(64).default(d);

export const MapfTrainSchema = z
  .object({
    map: z
      .string()
      .min(1)
      .default("random")
      .describe(`${MAP_KINDS.join(" | ")} (generated per episode) | a MovingAI .map file`),
    evalMap: z
      .string()
      .min(1)
      .optional()
      .describe("the map of the greedy evaluations (default: as map)"),
    width: side().default(32).describe("cells per row of a generated random/maze/empty map"),
    height: side().default(32).describe("rows of a generated random/maze/empty map"),
    density: z.number().min(0).max(0.6).default(0.2).describe("obstacle share of a random map"),
    loops: z.number().min(0).max(1).default(0.2).describe("inner walls knocked down in a maze"),
    shelfRows: count(4).describe("warehouse: rows of shelf blocks"),
    shelfCols: count(3).describe("warehouse: columns of shelf blocks"),
    shelfWidth: count(6).describe("warehouse: cells of a shelf block along x"),
    shelfHeight: count(2).describe("warehouse: cells of a shelf block along y"),
    aisle: count(2).describe("warehouse: aisle width"),
    margin: z.number().int().min(0).max(64).default(3).describe("warehouse: open side columns"),
    agents: z.number().int().min(1).max(10_000).default(MAPF_DEFAULTS.agents),
    steps: z.number().int().min(1).max(100_000).default(MAPF_DEFAULTS.steps),
    window: z.number().int().min(1).max(31).default(MAPF_DEFAULTS.window).describe("odd"),
    stepCost: z.number().min(0).default(MAPF_DEFAULTS.stepCost),
    progressReward: z
      .number()
      .min(0)
      .default(MAPF_DEFAULTS.progressReward)
      .describe("shaping: reward per cell closer to the goal"),
  })
  .strict();
export type MapfTrainConfig = z.output<typeof MapfTrainSchema>;

/** The map of `name` under `config`: a generator for the kinds, else a file read now. */
export function mapSource(name: string, config: MapfTrainConfig): GridMap | MapGenerator {
  const { width, height } = config;
  const generator = (make: (rng: Rng) => GridMap, w = width, h = height): MapGenerator => ({
    name,
    width: w,
    height: h,
    generate: make,
  });
  switch (name) {
    case "random":
      return generator((rng) => randomMap(width, height, config.density, rng));
    case "maze":
      return generator((rng) => mazeMap(width, height, config.loops, rng));
    case "mixed":
      return generator((rng) =>
        rng.split("kind").bernoulli(0.5)
          ? randomMap(width, height, config.density, rng)
          : mazeMap(width, height, config.loops, rng),
      );
    case "empty":
      return emptyMap(width, height);
    case "warehouse":
      return warehouseMap(config);
    default:
      return readMapFile(name);
  }
}

/** A `MapfEnv` on the map `name`; bad values (too many agents, an even window) are user errors. */
export function mapfEnvOf(name: string, config: MapfTrainConfig): MapfEnv {
  try {
    const { agents, steps, window, stepCost, progressReward } = config;
    const map = mapSource(name, config);
    return new MapfEnv({ map, agents, steps, window, stepCost, progressReward });
  } catch (e) {
    if (e instanceof RangeError) throw new UserError(`env: ${e.message}`);
    throw e;
  }
}

export const mapfEntry: EnvironmentEntry = {
  name: "mapf",
  summary: "lifelong multi-agent path finding: warehouse robots on grid maps, judged by throughput",
  headline: [{ label: "throughput", key: "throughput", digits: 3 }],
  trainSchema: MapfTrainSchema,
  build: async (env) => {
    const config = env as MapfTrainConfig;
    return {
      env: mapfEnvOf(config.map, config),
      evalEnv: mapfEnvOf(config.evalMap ?? config.map, config),
    };
  },
};
