/**
 * Named scenarios: documented presets of environment (and training) values. A scenario is the
 * bottom layer of a command's configuration: `--scenario NAME` (or `scenario: NAME` in a config
 * file) lays its values under the config file, and flags override both. Every value a scenario
 * sets is a plain config key, so `fleetrl scenarios` prints exactly what it changes.
 */
import { UserError } from "../core/errors.ts";
import type { DispatchConfig, RewardConfig } from "../envs/dispatch/config.ts";
import type { TrainConfigInput } from "../training/train-config.ts";

export interface Scenario {
  readonly name: string;
  /** One paragraph for `fleetrl scenarios` and the docs. */
  readonly summary: string;
  /** Environment keys (DispatchConfig). */
  readonly env: Partial<Omit<DispatchConfig, "reward">> & { reward?: Partial<RewardConfig> };
  /** Training keys (TrainConfig) that belong to the scenario's method. */
  readonly train: Partial<TrainConfigInput>;
}

/**
 * The dispatch semantics of the OSPO paper's code (RS2002/OSPO: Order_Env.py, Platform.py,
 * Worker.py, train.py) on the shipped day.
 */
const ospoPaper: Scenario = {
  name: "ospo-paper",
  summary:
    "The OSPO paper's semantics on the shipped day: 1000 vehicles of capacity 3, 30 one-minute " +
    "epochs from 00:00 (~3,700 requests), an order is lost only if still unassigned 5 min after " +
    "its request, each available vehicle × its 64 nearest pending orders is a candidate, a vehicle takes " +
    "no new order while it has a pickup to make, the reward's added time includes the new " +
    "rider's own trip, the fleet starts uniformly over the zones, 95% of the trips per episode " +
    "(evaluation too); ε-exploration per (vehicle, order) pair, the KL as a mean over the " +
    "candidates, minibatches drawn with replacement, lr 1e-4, ε at 0.01 by half the budget.",
  env: {
    vehicles: 1000,
    capacity: 3,
    startHour: 0,
    epochs: 30,
    dt: 60,
    maxWait: 300,
    deadline: "assignment",
    // The authors cap neither pickup nor detour; these are sanity caps.
    maxPickupEta: 3600,
    maxDetour: 3600,
    candidates: "all",
    // The authors score every pending order; we keep each vehicle's 64 nearest (docs/results.md:
    // all of them is ~1.2 M pairs and ~50 s of updates per episode; an untrained policy then
    // serves 73% instead of 97%, and learning has more to fix — `ordersPerVehicle: 0` gives it).
    ordersPerVehicle: 64,
    availability: "no-pending-pickup",
    initialPositions: "zones",
    sampleFraction: 0.95,
    evalSampleFraction: 0.95,
    reward: { addedTime: "with-new-trip" },
  },
  train: {
    // The published lr 1e-5 (× 0.99 per episode) barely moves our policy in 60 episodes; 1e-4
    // learns within 10 (docs/results.md). ε reaches 0.01 at half the budget, whatever it is.
    lr: 1e-4,
    epsilonDecay: "auto",
    explorationUnit: "pair",
    klEstimator: "mean",
    minibatch: "with-replacement",
  },
};

/** fleetrl's realistic scenario: the schema defaults, spelled out. */
const manhattanPeak: Scenario = {
  name: "manhattan-peak",
  summary:
    "fleetrl's realistic dispatch: 1000 vehicles of capacity 3, 30 one-minute epochs from 00:00, " +
    "an order is lost unless picked up within 5 min of its request, the 20 nearest vehicles " +
    "within 5 min are an order's candidates, vehicles pool while a seat is free, the fleet starts " +
    "where the trips of the hour before ended (nothing of the window's own demand leaks into " +
    "the start). The defaults of every command.",
  env: {
    vehicles: 1000,
    capacity: 3,
    startHour: 0,
    epochs: 30,
    dt: 60,
    maxWait: 300,
    deadline: "pickup",
    maxPickupEta: 300,
    maxDetour: 600,
    candidates: "nearest-vehicles",
    candidatesPerOrder: 20,
    availability: "free-seat",
    initialPositions: "recent-dropoffs",
    reward: { addedTime: "onboard" },
  },
  train: {},
};

export const SCENARIOS: readonly Scenario[] = [ospoPaper, manhattanPeak];
export const SCENARIO_NAMES = SCENARIOS.map((s) => s.name);

/** The scenario of that name; a UserError listing the known names otherwise. */
export function scenarioByName(name: string, source = "--scenario"): Scenario {
  const found = SCENARIOS.find((s) => s.name === name);
  if (!found)
    throw new UserError(
      `${source}: unknown scenario ${JSON.stringify(name)} (expected one of ${SCENARIO_NAMES.join(", ")})`,
    );
  return found;
}
