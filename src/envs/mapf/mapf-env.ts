/**
 * Lifelong multi-agent path finding (warehouse robots) as a `MultiAgentEnv`: N agents on a grid,
 * each with a goal; reaching it earns +1 and draws a new seeded goal at once. Every step each
 * agent picks one of its candidates — wait, or a move up/down/left/right that is legal now —
 * and the fleet is judged by throughput (goals per step).
 *
 * Conflicts (world.ts has the movement rule): a move is a candidate only into a free cell no
 * agent occupies at the start of the step, so swaps and following the leader are never offered.
 * Each candidate claims its target cell (`candId` = the cell; wait claims the agent's own cell,
 * which no other candidate names), so two agents moving into one cell are resolved by the
 * contract's rule — the lower id moves, the other waits. One claim per candidate suffices: the
 * edge a move crosses could only clash in a swap, which is never a candidate, and with `candId`
 * the trainer's joint action is the exact matching (several claims would make it a greedy one).
 *
 * Time: one step per `infos.dt` (`spec.timeUnit` "step"). The episode is cut off after `steps`
 * steps (every agent truncated: the task itself never ends).
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
import { gini } from "../../core/stats.ts";
import {
  AGENT_SCALARS,
  goalScalars,
  PAIR_SCALARS,
  WINDOW_CHANNELS,
  WindowPatch,
  windowNames,
} from "./features.ts";
import type { GridMap } from "./grid-map.ts";
import { ACTIONS, MapfWorld } from "./world.ts";

/** A map drawn afresh for every episode (seeded), of a fixed size. */
export interface MapGenerator {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  generate(rng: Rng): GridMap;
}

export interface MapfEnvOptions {
  /** The map, or a generator drawing one per episode from the episode's seed. */
  map: GridMap | MapGenerator;
  /** Agents. Default 64. */
  agents?: number;
  /** Steps per episode. Default 64. */
  steps?: number;
  /** Side of the local observation window (odd). Default 11. */
  window?: number;
  /** Subtracted from every agent's reward every step. Default 0. */
  stepCost?: number;
  /**
   * Potential-based shaping (Ng, Harada & Russell 1999): + progressReward per cell an agent
   * gets closer to its goal in a step (− when it moves away). Default 0: the reward is the
   * goals alone. It gives one-step learners (OSPO) a signal before the first arrival.
   */
  progressReward?: number;
  /**
   * Optional fixed start cells and first goals (one per agent, cells `y · width + x`) instead of
   * seeded ones: worked examples and tests. Later goals are drawn from the seed as usual.
   */
  fixed?: { starts: readonly number[]; goals: readonly number[] };
}

export const MAPF_DEFAULTS = { agents: 64, steps: 64, window: 11, stepCost: 0, progressReward: 0 };

/** Per-episode metrics (see `MapfEnv.metrics`). */
export interface MapfMetrics {
  steps: number;
  agents: number;
  goals: number;
  /** Goals reached per step, averaged over the episode (the fleet's rate). */
  throughput: number;
  /** Share of agent-steps spent not moving (wait, pass, or a lost conflict). */
  waitFraction: number;
  /** Agents that lost a cell to a lower id, summed over steps. */
  conflicts: number;
  /** Per-agent goals: Jain's fairness index (Σx)² / (n·Σx²) (1 = equal; 1 when nobody scored). */
  fairness: number;
  goalsGini: number;
}

/** One observation's arrays, at their largest (every agent with all five candidates). */
interface ObsBuffers {
  active: Uint8Array;
  candPtr: Int32Array;
  cells: Int32Array;
  actions: Int8Array;
  candFeatures: Float32Array;
  agentFeatures: Float32Array;
}

/** Global state: per block of the map, agents, goals and free cells (each a fraction), then time. */
const BLOCKS_PER_SIDE = 16;

export class MapfEnv implements MultiAgentEnv {
  readonly spec: EnvSpec;
  readonly options: Required<Omit<MapfEnvOptions, "map" | "fixed">>;
  private readonly fixed: MapfEnvOptions["fixed"];
  private readonly source: GridMap | MapGenerator;
  private readonly width: number;
  private readonly height: number;
  private readonly block: number;
  private world: MapfWorld | null = null;
  private obs: Observation | null = null;
  private over = false;
  private conflictsTotal = 0;
  private candActions: Int8Array = new Int8Array(0);
  // Observations live in two buffer sets used in turn: an observation stays valid until the
  // next-but-one reset/step (the contract asks for the next one; the conformance checker reads
  // the previous observation after stepping). Fresh ~0.4 MB arrays every step cost more than
  // writing the features (pages zeroed and faulted in).
  private readonly buffers: [ObsBuffers, ObsBuffers];
  private turn = 0;
  private readonly targets: Int32Array;
  private readonly reached: Uint8Array;
  private readonly patch: WindowPatch;

  constructor(options: MapfEnvOptions) {
    const o = { ...MAPF_DEFAULTS, ...options };
    if (!Number.isInteger(o.window) || o.window < 1 || o.window % 2 === 0 || o.window > 31)
      throw new RangeError(`window: expected an odd integer in 1..31 (got ${o.window})`);
    if (!Number.isInteger(o.steps) || o.steps < 1)
      throw new RangeError(`steps: expected an integer ≥ 1 (got ${o.steps})`);
    if (!Number.isFinite(o.stepCost) || o.stepCost < 0)
      throw new RangeError(`stepCost: expected a number ≥ 0 (got ${o.stepCost})`);
    if (!Number.isFinite(o.progressReward) || o.progressReward < 0)
      throw new RangeError(`progressReward: expected a number ≥ 0 (got ${o.progressReward})`);
    this.source = o.map;
    this.fixed = options.fixed;
    const { agents, steps, window, stepCost, progressReward } = o;
    this.options = { agents, steps, window, stepCost, progressReward };
    this.width = o.map.width;
    this.height = o.map.height;
    // a fixed map is checked now (too many agents is an error at construction, not at reset)
    if ("free" in o.map) this.world = new MapfWorld(o.map, o.agents);
    else if (!Number.isInteger(o.agents) || o.agents < 1)
      throw new RangeError(`agents: expected an integer ≥ 1 (got ${o.agents})`);
    const n = o.agents;
    const win = WINDOW_CHANNELS.length * o.window * o.window;
    this.block = Math.ceil(Math.max(this.width, this.height) / BLOCKS_PER_SIDE);
    const blocks = Math.ceil(this.width / this.block) * Math.ceil(this.height / this.block);
    const names = windowNames(o.window);
    this.spec = {
      numAgents: n,
      agentFeatureDim: AGENT_SCALARS.length + win,
      pairFeatureDim: PAIR_SCALARS.length + win,
      globalStateDim: 3 * blocks + 1,
      agentFeatureNames: [...AGENT_SCALARS, ...names],
      pairFeatureNames: [...PAIR_SCALARS, ...names],
      timeUnit: "step",
    };
    this.targets = new Int32Array(n);
    this.reached = new Uint8Array(n);
    this.patch = new WindowPatch(o.window);
    const rows = n * ACTIONS.length;
    const buffers = (): ObsBuffers => ({
      active: new Uint8Array(n),
      candPtr: new Int32Array(n + 1),
      cells: new Int32Array(rows),
      actions: new Int8Array(rows),
      candFeatures: new Float32Array(rows * this.spec.pairFeatureDim),
      agentFeatures: new Float32Array(n * this.spec.agentFeatureDim),
    });
    this.buffers = [buffers(), buffers()];
  }

  /** The world of the current episode (map, positions, goals), read-only for callers. */
  get state(): MapfWorld {
    if (this.world === null || this.obs === null)
      throw new EnvUsageError("state read before reset()");
    return this.world;
  }

  /** Action (index into ACTIONS) of each candidate row of the current observation. */
  get candidateActions(): Int8Array {
    return this.candActions;
  }

  reset(seed: number): Observation {
    const rng = new Rng(seed).split("mapf");
    if (!("free" in this.source)) {
      const map = this.source.generate(rng.split("map"));
      this.world = new MapfWorld(map, this.options.agents);
    }
    this.world!.reset(rng, this.fixed);
    this.over = false;
    this.conflictsTotal = 0;
    this.obs = this.observe();
    return this.obs;
  }

  step(actions: Int32Array): StepResult {
    if (this.obs === null) throw new EnvUsageError("step() called before reset()");
    if (this.over)
      throw new EnvUsageError("step() called after the episode ended; call reset(seed)");
    const obs = this.obs;
    validateActions(obs, actions);
    const world = this.world!;
    const n = this.spec.numAgents;
    const effective = new Int32Array(n);
    const conflicts = resolveActions(obs, actions, effective);
    let waits = 0;
    const rewards = new Float32Array(n);
    const { stepCost, progressReward } = this.options;
    for (let i = 0; i < n; i++) {
      const from = world.position[i];
      const to = effective[i] === PASS ? from : obs.candId![obs.candPtr[i] + effective[i]];
      this.targets[i] = to;
      if (to === from) waits++;
      const dist = world.goalDistances(i); // of the goal held before the step
      rewards[i] = progressReward * (dist[from] - dist[to]) - stepCost;
    }
    const goals = world.apply(this.targets, this.reached);
    for (let i = 0; i < n; i++) rewards[i] += this.reached[i];
    this.conflictsTotal += conflicts;
    this.over = world.time >= this.options.steps;
    this.obs = this.observe();
    return {
      obs: this.obs,
      rewards,
      terminations: new Uint8Array(n),
      truncations: new Uint8Array(n).fill(this.over ? 1 : 0),
      infos: {
        dt: 1,
        time: world.time,
        effective,
        conflicts,
        // throughput: this step's share of the episode's goals per step, so that the per-step
        // values sum (as the trainer's logs sum them) to the episode's throughput
        extra: { goals, waits, throughput: goals / this.options.steps },
      },
    };
  }

  globalState(): Float32Array {
    if (this.obs === null) throw new EnvUsageError("globalState() called before reset()");
    const world = this.world!;
    const { width, height, free } = world.map;
    const b = this.block;
    const bw = Math.ceil(this.width / b);
    const blocks = bw * Math.ceil(this.height / b);
    const state = new Float32Array(this.spec.globalStateDim);
    const area = b * b;
    const blockOf = (c: number) =>
      Math.floor(Math.floor(c / width) / b) * bw + Math.floor((c % width) / b);
    for (let i = 0; i < this.spec.numAgents; i++) {
      state[blockOf(world.position[i])] += 1 / area;
      state[blocks + blockOf(world.goal[i])] += 1 / area;
    }
    for (let c = 0; c < width * height; c++)
      if (free[c]) state[2 * blocks + blockOf(c)] += 1 / area;
    state[3 * blocks] = world.time / this.options.steps;
    return state;
  }

  /** The episode so far: throughput, waits, conflicts, fairness of per-agent goals. */
  metrics(): MapfMetrics {
    const world = this.state;
    const n = this.spec.numAgents;
    let goals = 0;
    let squares = 0;
    let waits = 0;
    for (let i = 0; i < n; i++) {
      goals += world.goalsReached[i];
      squares += world.goalsReached[i] ** 2;
      waits += world.waits[i];
    }
    const steps = world.time;
    return {
      steps,
      agents: n,
      goals,
      throughput: steps > 0 ? goals / steps : 0,
      waitFraction: steps > 0 ? waits / (n * steps) : 0,
      conflicts: this.conflictsTotal,
      fairness: squares > 0 ? (goals * goals) / (n * squares) : 1,
      goalsGini: gini(world.goalsReached),
    };
  }

  /** Candidates and features of every agent (none once the episode is over). */
  private observe(): Observation {
    const world = this.world!;
    const n = this.spec.numAgents;
    const { window, steps } = this.options;
    const A = this.spec.agentFeatureDim;
    const P = this.spec.pairFeatureDim;
    const S = PAIR_SCALARS.length;
    this.turn ^= 1;
    const buf = this.buffers[this.turn];
    const { active, candPtr, cells, actions } = buf;
    active.fill(this.over ? 0 : 1);
    // first the candidates (cell and action per row), then their features
    let k = 0;
    for (let i = 0; i < n; i++) {
      candPtr[i] = k;
      if (this.over) continue;
      for (let a = 0; a < ACTIONS.length; a++) {
        const t = world.target(i, a);
        if (t < 0) continue;
        cells[k] = t;
        actions[k++] = a;
      }
    }
    candPtr[n] = k;
    // every column is written below (the buffers are reused)
    const candFeatures = buf.candFeatures.subarray(0, k * P);
    const agentFeatures = buf.agentFeatures;
    const patch = this.patch;
    const width = world.map.width;
    for (let i = 0; i < n; i++) {
      const pos = world.position[i];
      const dist = world.goalDistances(i);
      patch.fill(world, i); // every window of agent i is cut from it
      for (let r = candPtr[i]; r < candPtr[i + 1]; r++) {
        const row = r * P;
        const t = cells[r];
        for (let a = 0; a < ACTIONS.length; a++) candFeatures[row + a] = a === actions[r] ? 1 : 0;
        candFeatures[row + 5] = dist[pos] - dist[t];
        candFeatures[row + 6] = t === world.goal[i] ? 1 : 0;
        goalScalars(world, i, t, window, candFeatures, row + 7);
        patch.copy(t, width, candFeatures, row + S);
      }
      const f = i * A;
      goalScalars(world, i, pos, window, agentFeatures, f);
      agentFeatures[f + 3] = world.time / steps;
      agentFeatures[f + 4] = Math.min(1, world.sinceGoal[i] / steps);
      agentFeatures[f + 5] = (candPtr[i + 1] - candPtr[i]) / ACTIONS.length;
      patch.copy(pos, width, agentFeatures, f + AGENT_SCALARS.length);
    }
    this.candActions = actions.subarray(0, k);
    return { active, agentFeatures, candPtr, candFeatures, candId: cells.subarray(0, k) };
  }
}
