/**
 * A tiny dispatch environment with a known best matching, for learning tests and as the
 * reference implementation of the `MultiAgentEnv` contract.
 *
 * World: a G×G grid (1 minute per cell, Manhattan distance). Each step (1 minute) draws afresh,
 * from the seed: vehicle positions, which vehicles are busy (inactive), and 3–5 new orders.
 * A vehicle's candidates are the orders within `maxPickupMinutes`; taking order o gives
 *   r = rewardBase − costPerMinute · pickupMinutes(v, o)      (default 3 − 0.5·t ∈ [1, 3]),
 * passing gives 0. The state never depends on actions, so the one-step optimum (the
 * maximum-reward conflict-free matching) is also the episode optimum: regret is exact.
 * Every step is redrawn until that optimum is UNIQUE and positive (the runner-up is at least
 * `costPerMinute` worse), so "learned the best matching" is unambiguous.
 *
 * Features are normalised to [−1, 1]: pair features start with the pickup time / bound, which
 * alone determines the reward. Post-decision features (a vehicle right after the matching, before
 * the next draw): where its order puts it (its own cell if it passed), whether it was matched,
 * the time, and the taken pickup time / bound.
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
import { Rng } from "../../core/rng.ts";
import { type BestAssignment, bestAssignment } from "./best-assignment.ts";

export interface TinyEnvOptions {
  /** Number of vehicles (agents). Default 3; keep ≤ 5 (the optimum is found exhaustively). */
  numVehicles?: number;
  /** Grid side G (cells per axis). Default 5. */
  gridSize?: number;
  /** Fewest / most new orders per step (inclusive). Defaults 3 / 5. */
  minOrders?: number;
  maxOrders?: number;
  /** Steps (minutes) per episode. Default 4. */
  episodeSteps?: number;
  /** Probability that a vehicle is busy (inactive) in a step. Default 0.25. */
  busyProbability?: number;
  /** Orders farther than this (minutes) are not candidates. Default 4. */
  maxPickupMinutes?: number;
  /** Reward of a matched vehicle: rewardBase − costPerMinute·pickup. Defaults 3 and 0.5. */
  rewardBase?: number;
  costPerMinute?: number;
}

/** The options' defaults. */
export const TINY_DEFAULTS: Required<TinyEnvOptions> = {
  numVehicles: 3,
  gridSize: 5,
  minOrders: 3,
  maxOrders: 5,
  episodeSteps: 4,
  busyProbability: 0.25,
  maxPickupMinutes: 4,
  rewardBase: 3,
  costPerMinute: 0.5,
};

const AGENT_FEATURES = ["x", "y", "active", "timeFraction", "candidateFraction"] as const;
const PAIR_FEATURES = ["pickupFraction", "dx", "dy", "orderX", "orderY"] as const;
const POST_DECISION_FEATURES = ["x", "y", "matched", "timeFraction", "pickupFraction"] as const;
const MAX_REDRAWS = 10_000;

export class TinyDispatchEnv implements MultiAgentEnv {
  readonly spec: EnvSpec;
  readonly options: Required<TinyEnvOptions>;

  private rng: Rng | null = null;
  private stepIndex = 0;
  private nextOrderId = 0;
  private obs: Observation | null = null;
  private pairReward = new Float64Array(0);
  private best: BestAssignment | null = null;
  private positions: Int32Array;
  private orders = new Int32Array(0); // (x, y) per order of the current step
  private busy: Uint8Array;

  constructor(options: TinyEnvOptions = {}) {
    const o: Required<TinyEnvOptions> = { ...TINY_DEFAULTS, ...options };
    checkInt("numVehicles", o.numVehicles, 1, 6);
    checkInt("gridSize", o.gridSize, 2, 100);
    checkInt("minOrders", o.minOrders, 1, 8);
    checkInt("maxOrders", o.maxOrders, o.minOrders, 8);
    checkInt("episodeSteps", o.episodeSteps, 1, 10_000);
    if (!(o.busyProbability >= 0 && o.busyProbability < 1))
      throw new RangeError(
        `busyProbability: expected a number in [0, 1) (got ${o.busyProbability})`,
      );
    if (!(o.maxPickupMinutes >= 1))
      throw new RangeError(`maxPickupMinutes: expected ≥ 1 (got ${o.maxPickupMinutes})`);
    if (!(o.costPerMinute > 0 && o.rewardBase - o.costPerMinute * o.maxPickupMinutes > 0))
      throw new RangeError(
        "rewardBase, costPerMinute: expected costPerMinute > 0 and every match reward > 0 " +
          `(rewardBase − costPerMinute·maxPickupMinutes = ${o.rewardBase - o.costPerMinute * o.maxPickupMinutes})`,
      );
    this.options = o;
    this.spec = {
      numAgents: o.numVehicles,
      agentFeatureDim: AGENT_FEATURES.length,
      pairFeatureDim: PAIR_FEATURES.length,
      globalStateDim: 2 * o.gridSize * o.gridSize + 1,
      agentFeatureNames: AGENT_FEATURES,
      pairFeatureNames: PAIR_FEATURES,
      postDecisionFeatureDim: POST_DECISION_FEATURES.length,
      postDecisionFeatureNames: POST_DECISION_FEATURES,
    };
    this.positions = new Int32Array(2 * o.numVehicles);
    this.busy = new Uint8Array(o.numVehicles);
  }

  reset(seed: number): Observation {
    this.rng = new Rng(seed).split("tiny-dispatch");
    this.stepIndex = 0;
    this.nextOrderId = 0;
    this.drawStep();
    return this.obs!;
  }

  step(actions: Int32Array): StepResult {
    if (this.obs === null) throw new EnvUsageError("step() called before reset()");
    if (this.stepIndex >= this.options.episodeSteps)
      throw new EnvUsageError("step() called after the episode ended; call reset(seed)");
    const obs = this.obs;
    validateActions(obs, actions);
    const n = this.spec.numAgents;
    const effective = new Int32Array(n);
    const conflicts = resolveActions(obs, actions, effective);
    const rewards = new Float32Array(n);
    let matched = 0;
    for (let i = 0; i < n; i++) {
      if (effective[i] === PASS) continue;
      rewards[i] = this.pairReward[obs.candPtr[i] + effective[i]];
      matched++;
    }
    const optimalReward = this.best!.reward;
    const postDecisionFeatures = this.postDecision(obs, effective);
    this.stepIndex++;
    const over = this.stepIndex >= this.options.episodeSteps;
    if (over) {
      this.obs = this.finalObservation();
      this.best = { actions: new Int32Array(n).fill(PASS), reward: 0, ties: 1 };
    } else {
      this.drawStep();
    }
    return {
      obs: this.obs,
      rewards,
      terminations: new Uint8Array(n).fill(over ? 1 : 0),
      truncations: new Uint8Array(n),
      infos: {
        dt: 1,
        time: this.stepIndex,
        effective,
        conflicts,
        extra: { matched, optimalReward },
        postDecisionFeatures,
      },
    };
  }

  globalState(): Float32Array {
    if (this.obs === null) throw new EnvUsageError("globalState() called before reset()");
    const g = this.options.gridSize;
    const state = new Float32Array(this.spec.globalStateDim);
    for (let i = 0; i < this.spec.numAgents; i++) {
      if (this.obs.active[i]) state[this.positions[2 * i + 1] * g + this.positions[2 * i]] += 1;
    }
    for (let k = 0; k < this.orders.length / 2; k++) {
      state[g * g + this.orders[2 * k + 1] * g + this.orders[2 * k]] += 1;
    }
    state[2 * g * g] = this.stepIndex / this.options.episodeSteps;
    return state;
  }

  /**
   * The best conflict-free joint action for the current observation, its summed reward, and the
   * number of joint actions reaching it (always 1 before the episode ends). Regret of a step =
   * `reward` − the summed rewards the step returned (also reported as `infos.extra.optimalReward`).
   */
  optimalAssignment(): BestAssignment {
    if (this.best === null) throw new EnvUsageError("optimalAssignment() called before reset()");
    return { actions: this.best.actions.slice(), reward: this.best.reward, ties: this.best.ties };
  }

  /** Reward each candidate row of the current observation would earn if taken (no conflicts). */
  candidateRewards(): Float64Array {
    return this.pairReward.slice();
  }

  /** Each vehicle after the effective actions of `obs` (before the next step is drawn). */
  private postDecision(obs: Observation, effective: Int32Array): Float32Array {
    const n = this.spec.numAgents;
    const D = POST_DECISION_FEATURES.length;
    const scale = this.options.gridSize - 1;
    const out = new Float32Array(n * D);
    for (let i = 0; i < n; i++) {
      const a = effective[i];
      // a taken candidate's row holds the order's cell (orderX/Y) and its pickup fraction
      const row = a === PASS ? -1 : (obs.candPtr[i] + a) * PAIR_FEATURES.length;
      const x = row < 0 ? this.positions[2 * i] / scale : obs.candFeatures[row + 3];
      const y = row < 0 ? this.positions[2 * i + 1] / scale : obs.candFeatures[row + 4];
      const pickup = row < 0 ? 0 : obs.candFeatures[row];
      const time = this.stepIndex / this.options.episodeSteps;
      out.set([x, y, row < 0 ? 0 : 1, time, pickup], i * D);
    }
    return out;
  }

  /** Draw vehicles and orders for the current step until the best matching is unique and > 0. */
  private drawStep(): void {
    for (let attempt = 0; attempt < MAX_REDRAWS; attempt++) {
      this.drawWorld();
      const obs = this.buildObservation();
      const best = bestAssignment(obs, this.pairReward);
      if (best.ties === 1 && best.reward > 0) {
        this.obs = obs;
        this.best = best;
        this.nextOrderId += this.orders.length / 2;
        return;
      }
    }
    throw new RangeError(
      "TinyDispatchEnv: could not draw a step with a unique best matching; " +
        "use more orders, a larger grid or a larger maxPickupMinutes",
    );
  }

  private drawWorld(): void {
    const { gridSize: g, minOrders, maxOrders, busyProbability } = this.options;
    const rng = this.rng!;
    for (let i = 0; i < this.spec.numAgents; i++) {
      this.positions[2 * i] = rng.int(g);
      this.positions[2 * i + 1] = rng.int(g);
      this.busy[i] = rng.bernoulli(busyProbability) ? 1 : 0;
    }
    const k = minOrders + rng.int(maxOrders - minOrders + 1);
    this.orders = new Int32Array(2 * k);
    for (let j = 0; j < 2 * k; j++) this.orders[j] = rng.int(g);
  }

  private buildObservation(): Observation {
    const n = this.spec.numAgents;
    const { gridSize: g, maxPickupMinutes, rewardBase, costPerMinute, episodeSteps } = this.options;
    const numOrders = this.orders.length / 2;
    const scale = g - 1;
    const active = new Uint8Array(n);
    const agentFeatures = new Float32Array(n * AGENT_FEATURES.length);
    const candPtr = new Int32Array(n + 1);
    const pairRows: number[] = [];
    const ids: number[] = [];
    const rewards: number[] = [];
    for (let i = 0; i < n; i++) {
      const busy = this.busy[i] === 1;
      const vx = this.positions[2 * i];
      const vy = this.positions[2 * i + 1];
      active[i] = busy ? 0 : 1;
      let count = 0;
      if (!busy) {
        for (let o = 0; o < numOrders; o++) {
          const ox = this.orders[2 * o];
          const oy = this.orders[2 * o + 1];
          const pickup = Math.abs(ox - vx) + Math.abs(oy - vy);
          if (pickup > maxPickupMinutes) continue;
          pairRows.push(pickup / maxPickupMinutes, (ox - vx) / scale, (oy - vy) / scale);
          pairRows.push(ox / scale, oy / scale);
          ids.push(this.nextOrderId + o);
          rewards.push(rewardBase - costPerMinute * pickup);
          count++;
        }
      }
      candPtr[i + 1] = candPtr[i] + count;
      agentFeatures.set(
        [vx / scale, vy / scale, active[i], this.stepIndex / episodeSteps, count / numOrders],
        i * AGENT_FEATURES.length,
      );
    }
    this.pairReward = Float64Array.from(rewards);
    return {
      active,
      agentFeatures,
      candPtr,
      candFeatures: Float32Array.from(pairRows),
      candId: Int32Array.from(ids),
    };
  }

  /** After the last step: nobody active, no candidates, no orders. */
  private finalObservation(): Observation {
    const n = this.spec.numAgents;
    this.orders = new Int32Array(0);
    this.pairReward = new Float64Array(0);
    const agentFeatures = new Float32Array(n * AGENT_FEATURES.length);
    const scale = this.options.gridSize - 1;
    for (let i = 0; i < n; i++) {
      agentFeatures.set(
        [this.positions[2 * i] / scale, this.positions[2 * i + 1] / scale, 0, 1, 0],
        i * AGENT_FEATURES.length,
      );
    }
    return {
      active: new Uint8Array(n),
      agentFeatures,
      candPtr: new Int32Array(n + 1),
      candFeatures: new Float32Array(0),
      candId: new Int32Array(0),
    };
  }
}

function checkInt(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new RangeError(`${name}: expected an integer in ${min}..${max} (got ${value})`);
}
