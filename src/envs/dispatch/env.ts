/**
 * The ride-pooling simulator as a `MultiAgentEnv` (DESIGN §2, multi-agent view): agents are the
 * vehicles (fixed ids 0..vehicles−1); each epoch a vehicle with at least one candidate order is
 * active and picks one of its candidates (local index in its CSR rows) or passes; two vehicles
 * picking the same order conflict and the lower vehicle id wins. The chosen pairs are inserted,
 * each matched vehicle earns its pair's one-step reward (0 for passing vehicles), and the fleet
 * moves Δt to the next decision.
 *
 * Time: the first observation (after `reset`) is the first decision, at startHour + Δt (the
 * simulator's first `advance`), and `infos.time` counts minutes from there. The episode is a time
 * window: after the last epoch every vehicle is truncated (not terminated), the simulator drains
 * (`finish`) and `infos.extra` carries the episode metrics. The final observation describes the
 * fleet right after the last decision (no candidates, nobody active).
 *
 * The env adds nothing to the simulator: a dispatcher's matching turned into actions with
 * `actionsFromPairs` reproduces `runEpisode` exactly (tested). Policy-driven dispatchers score
 * `candFeatures`, run the matching outside the env on `env.candidates`, and step with the result.
 */
import {
  type EnvSpec,
  EnvUsageError,
  type MultiAgentEnv,
  type Observation,
  PASS,
  type StepResult,
} from "../../core/env.ts";
import { resolveActions, validateActions } from "../../core/env-actions.ts";
import type { Candidates } from "./candidates.ts";
import type { DispatchConfig } from "./config.ts";
import {
  geometryFromCity,
  geometryFromLatLon,
  globalState,
  globalStateDim,
  type NodeGeometry,
  type NodeLatLon,
  PAIR_DIM,
  PAIR_FEATURE_NAMES,
  pairFeatures,
  VEHICLE_DIM,
  VEHICLE_FEATURE_NAMES,
  vehicleFeatures,
} from "./features.ts";
import { episodeMetrics } from "./metrics.ts";
import {
  POST_DECISION_DIM,
  POST_DECISION_FEATURE_NAMES,
  postDecisionFeatures,
} from "./post-decision.ts";
import { REWARD_COMPONENT_NAMES, rewardWeights, writeRewardComponents } from "./reward.ts";
import { DispatchSimulator, type DispatchWorld } from "./simulator.ts";
import type { LoadedWorld } from "./world.ts";

export interface DispatchEnvOptions {
  /**
   * Lat/lon of each road node, for worlds without a `city` (hand-made worlds). Given, it is used
   * even if the world has a city, and the global state then uses a grid instead of zones.
   */
  nodeLatLon?: NodeLatLon;
  /** Grid cells per axis of the global state when regions come from `nodeLatLon`. Default 8. */
  gridSize?: number;
}

export class DispatchEnv implements MultiAgentEnv {
  readonly spec: EnvSpec;
  /**
   * The wrapped simulator, for reading (orders, fleet, income, metrics). Do not call its
   * reset/advance/assign/finish: the env drives it.
   */
  readonly simulator: DispatchSimulator;
  /** Normalised node positions and regions the features use. */
  readonly geometry: NodeGeometry;
  private cands: Candidates | null = null;
  private obs: Observation | null = null;
  private state: Float32Array | null = null;
  private over = false;

  constructor(
    world: DispatchWorld | LoadedWorld,
    config: DispatchConfig,
    options: DispatchEnvOptions = {},
  ) {
    this.simulator = new DispatchSimulator(world, config);
    this.geometry = geometryOf(world, options);
    this.spec = {
      numAgents: config.vehicles,
      agentFeatureDim: VEHICLE_DIM,
      pairFeatureDim: PAIR_DIM,
      globalStateDim: globalStateDim(this.geometry),
      agentFeatureNames: VEHICLE_FEATURE_NAMES,
      pairFeatureNames: PAIR_FEATURE_NAMES,
      rewardComponents: { names: REWARD_COMPONENT_NAMES, weights: rewardWeights(config.reward) },
      postDecisionFeatureDim: POST_DECISION_DIM,
      postDecisionFeatureNames: POST_DECISION_FEATURE_NAMES,
    };
  }

  /**
   * The candidate pairs behind the current observation (pair p = observation row p; per-pair
   * eta, reward, insertion positions). Empty after the last decision. Do not modify.
   */
  get candidates(): Candidates {
    if (this.cands === null) throw new EnvUsageError("candidates read before reset()");
    return this.cands;
  }

  reset(seed: number): Observation {
    const sim = this.simulator;
    sim.reset(seed);
    sim.advance();
    this.over = false;
    this.observe(sim.candidates());
    return this.obs!;
  }

  step(actions: Int32Array): StepResult {
    if (this.obs === null || this.cands === null)
      throw new EnvUsageError("step() called before reset()");
    if (this.over)
      throw new EnvUsageError("step() called after the episode ended; call reset(seed)");
    const obs = this.obs;
    const c = this.cands;
    validateActions(obs, actions);
    const n = this.spec.numAgents;
    const effective = new Int32Array(n);
    const conflicts = resolveActions(obs, actions, effective);
    const chosen = pairsFromActions(c, effective);
    const sim = this.simulator;
    const reward64 = sim.assign(c, chosen);
    const rewards = Float32Array.from(reward64);
    const P = REWARD_COMPONENT_NAMES.length;
    const rewardComponents = new Float32Array(n * P); // unmatched vehicles: all 0 (reward 0)
    let stepReward = 0;
    for (const p of chosen) {
      stepReward += c.reward[p];
      const o = c.orderIds[c.pairSlot[p]];
      const distance = sim.orders.directDistance[o];
      const late = c.lateOrders[p];
      const v = c.pairVehicle[p];
      const cfg = sim.config.reward;
      writeRewardComponents(
        cfg,
        distance,
        c.eta[p],
        late,
        c.pricedAddedTime[p],
        rewardComponents,
        v * P,
      );
    }
    // the fleet with this epoch's orders inserted, before it moves and new orders arrive
    const post = postDecisionFeatures(sim, this.geometry);
    let extra: Record<string, number> = {
      matched: chosen.length,
      stepReward,
      pendingOrders: c.orderCount,
      candidatePairs: c.pairCount,
    };
    const dtMinutes = sim.config.dt / 60;
    const time = sim.epoch * dtMinutes;
    const truncated = sim.done ? 1 : 0;
    if (sim.done) {
      this.observe(null);
      sim.finish();
      this.over = true;
      extra = { ...extra, ...episodeMetrics(sim) };
    } else {
      sim.advance();
      this.observe(sim.candidates());
    }
    return {
      obs: this.obs!,
      rewards,
      terminations: new Uint8Array(n),
      truncations: new Uint8Array(n).fill(truncated),
      infos: {
        dt: dtMinutes,
        time,
        effective,
        conflicts,
        extra,
        rewardComponents,
        postDecisionFeatures: post,
      },
    };
  }

  globalState(): Float32Array {
    if (this.state === null) throw new EnvUsageError("globalState() called before reset()");
    return this.state;
  }

  /** Build the observation and global state of the current decision (null: the final one). */
  private observe(c: Candidates | null): void {
    const sim = this.simulator;
    const cands = c ?? emptyCandidates(this.spec.numAgents, sim.now);
    this.cands = cands;
    this.obs = observationOf(sim, cands, this.geometry);
    this.state = globalState(sim, this.geometry);
  }
}

/**
 * The observation of a decision: vehicle v is agent v, active iff it has candidates; its rows are
 * its candidate pairs (pair p = row p), each claiming its order (`candId` = order id). The one
 * definition the env and the policy dispatcher (experiments/policy-dispatcher.ts) share.
 */
export function observationOf(
  sim: DispatchSimulator,
  cands: Candidates,
  geometry: NodeGeometry,
): Observation {
  const n = cands.vehicleCount;
  const agentFeatures = vehicleFeatures(sim, cands, geometry);
  const active = new Uint8Array(n);
  for (let v = 0; v < n; v++) active[v] = cands.rowPtr[v + 1] > cands.rowPtr[v] ? 1 : 0;
  const candId = new Int32Array(cands.pairCount);
  for (let p = 0; p < cands.pairCount; p++) candId[p] = cands.orderIds[cands.pairSlot[p]];
  return {
    active,
    agentFeatures,
    candPtr: cands.rowPtr,
    candFeatures: pairFeatures(sim, cands, geometry, agentFeatures),
    candId,
  };
}

/**
 * The chosen pair indices (ascending) of a joint action: vehicle v's local index a becomes pair
 * `c.rowPtr[v] + a`; PASS entries are skipped. Throws on an index outside v's candidates.
 *
 * @example
 * // vehicle 0 has pairs 0..1, vehicle 1 has pair 2
 * pairsFromActions(c, Int32Array.of(1, 0)); // Int32Array [1, 2]
 */
export function pairsFromActions(c: Candidates, actions: Int32Array): Int32Array {
  if (actions.length !== c.vehicleCount)
    throw new RangeError(`actions: expected length ${c.vehicleCount} (got ${actions.length})`);
  const out: number[] = [];
  for (let v = 0; v < c.vehicleCount; v++) {
    const a = actions[v];
    if (a === PASS) continue;
    const count = c.rowPtr[v + 1] - c.rowPtr[v];
    if (!(a >= 0 && a < count))
      throw new RangeError(`actions[${v}]: vehicle ${v} has ${count} candidate(s) (got ${a})`);
    out.push(c.rowPtr[v] + a);
  }
  return Int32Array.from(out);
}

/**
 * The joint action that picks the given pairs (e.g. `assignPairs`'s matching): the pair's local
 * index for its vehicle, PASS for every other vehicle. Throws if two pairs share a vehicle.
 *
 * @example
 * actionsFromPairs(c, assignPairs(c, scores, "matching")); // then env.step(actions)
 */
export function actionsFromPairs(c: Candidates, pairs: ArrayLike<number>): Int32Array {
  const actions = new Int32Array(c.vehicleCount).fill(PASS);
  for (let i = 0; i < pairs.length; i++) {
    const p = pairs[i];
    if (!(Number.isInteger(p) && p >= 0 && p < c.pairCount))
      throw new RangeError(
        `pairs[${i}]: expected a pair index in 0..${c.pairCount - 1} (got ${p})`,
      );
    const v = c.pairVehicle[p];
    if (actions[v] !== PASS)
      throw new RangeError(
        `pairs[${i}]: vehicle ${v} already has pair ${c.rowPtr[v] + actions[v]}`,
      );
    actions[v] = p - c.rowPtr[v];
  }
  return actions;
}

function geometryOf(world: DispatchWorld | LoadedWorld, options: DispatchEnvOptions): NodeGeometry {
  if (options.nodeLatLon)
    return geometryFromLatLon(world.nodeCount, options.nodeLatLon, options.gridSize);
  if ("city" in world && world.city) return geometryFromCity(world.city);
  throw new TypeError(
    "DispatchEnv: the world has no city to take node positions from; pass options.nodeLatLon",
  );
}

function emptyCandidates(vehicles: number, time: number): Candidates {
  const none32 = new Int32Array(0);
  const none64 = new Float64Array(0);
  return {
    time,
    vehicleCount: vehicles,
    orderCount: 0,
    orderIds: none32,
    pairCount: 0,
    rowPtr: new Int32Array(vehicles + 1),
    pairVehicle: none32,
    pairSlot: none32,
    eta: none64,
    addedRouteTime: none64,
    addedTime: none64,
    lateOrders: none32,
    reward: none64,
    pricedAddedTime: none64,
    pickupPos: none32,
    dropoffPos: none32,
  };
}
