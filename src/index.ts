/**
 * fleetrl's public API: `import { loadWorld, DispatchSimulator, … } from "fleetrl"`. The
 * environment, its dispatchers and scenarios, the algorithms, the trainer and the experiments
 * the CLI runs (simulate, train, evaluate, compare), and the trip-file loader.
 *
 * @example
 * import { DispatchConfigSchema, DispatchSimulator, loadWorld, minEtaDispatcher, runEpisode } from "fleetrl";
 * const config = DispatchConfigSchema.parse({ vehicles: 500, startHour: 18 });
 * const { metrics } = runEpisode(new DispatchSimulator(await loadWorld(config), config), minEtaDispatcher, 42);
 */
export type { Algorithm } from "./algorithms/recipe.ts";
export { ALGORITHM_NAMES, type AlgorithmName, algorithmByName } from "./algorithms/registry.ts";
export { type MultiAgentEnv, type Observation, PASS, type StepResult } from "./core/env.ts";
export { UserError } from "./core/errors.ts";
export { RUN_FILES, type RunKind, runKindOf } from "./core/run-layout.ts";
export {
  type LoadReport,
  type LoadTripsOptions,
  loadTrips,
  SHIPPED_TRIPS,
} from "./demand/index.ts";
export {
  type DispatchConfig,
  DispatchConfigSchema,
  defaultDispatchConfig,
} from "./envs/dispatch/config.ts";
export {
  BASELINE_DISPATCHERS,
  baselineDispatcher,
  type Dispatcher,
  greedyDispatcher,
  maxRewardDispatcher,
  minEtaDispatcher,
  randomDispatcher,
} from "./envs/dispatch/dispatchers.ts";
export { DispatchEnv } from "./envs/dispatch/env.ts";
export { type EpisodeResult, runEpisode } from "./envs/dispatch/episode.ts";
export type { EpisodeMetrics } from "./envs/dispatch/metrics.ts";
export { DispatchSimulator } from "./envs/dispatch/simulator.ts";
export { type LoadedWorld, loadWorld } from "./envs/dispatch/world.ts";
export { type CompareConfig, CompareSchema, compare } from "./experiments/compare.ts";
export { type EvalOptions, type EvalResult, evaluate } from "./experiments/evaluate.ts";
export { type TrainRunConfig, TrainRunSchema } from "./experiments/run-config.ts";
export { SCENARIO_NAMES, SCENARIOS, scenarioByName } from "./experiments/scenarios.ts";
export { type SimulateConfig, SimulateConfigSchema, simulate } from "./experiments/simulate.ts";
export { resume, type TrainResult, train } from "./experiments/train.ts";
export { loadCheckpoint, loadPolicy } from "./training/checkpoint.ts";
export { type TrainConfig, TrainConfigSchema } from "./training/train-config.ts";
export { Trainer } from "./training/trainer.ts";
