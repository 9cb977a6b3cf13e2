/**
 * The multi-agent environment contract (PettingZoo "parallel"-like), shaped for fleet dispatch
 * and batched neural scoring on typed arrays. `core` knows nothing of vehicles or orders: an
 * agent is any decision maker with a fixed id, a candidate is anything it may pick.
 *
 * Contract in one paragraph: agents have fixed ids 0..n−1. `reset(seed)` starts an episode and
 * returns the first observation; `step(actions)` applies one joint action (one entry per agent)
 * and advances the clock. Each active agent picks one of ITS candidates by index (0-based within
 * its own candidate list) or passes (`PASS`); inactive agents' entries are ignored, whatever they
 * hold. A candidate claims exclusive resources — one (`candId`, e.g. an order) or several
 * (`candClaims`, e.g. a cell and an edge) — and agents are resolved in id order: an action takes
 * effect unless a LOWER agent id's action that took effect holds one of its resources; the others
 * are treated as having passed (and receive the pass reward); `infos.effective` says which
 * actions took effect. The episode is over when every agent is terminated or
 * truncated; stepping then (or before any reset) throws `EnvUsageError`, and an out-of-range
 * action of an active agent throws `InvalidActionError` before any state changes.
 *
 * Time: `infos.dt` and `infos.time` are in the environment's unit (`spec.timeUnit`, default
 * "minute"); a discount "γ per unit" applies to `infos.dt` directly.
 *
 * Buffers: arrays returned by `reset`, `step` and `globalState` stay valid until the next call
 * to `reset` or `step`; an environment may reuse them. Copy what you keep.
 *
 * `checkEnv` in `conformance.ts` verifies all of this for any implementation.
 */

/** The action meaning "do nothing this step" (e.g. a vehicle stays idle). Always legal. */
export const PASS = -1;

/** Static description of an environment: sizes that never change during its lifetime. */
export interface EnvSpec {
  /** Number of agents n (fixed ids 0..n−1); a positive integer. */
  readonly numAgents: number;
  /** Width of one row of `Observation.agentFeatures` (floats per agent). */
  readonly agentFeatureDim: number;
  /** Width of one row of `Observation.candFeatures` (floats per (agent, candidate) pair). */
  readonly pairFeatureDim: number;
  /** Length of the vector returned by `globalState()`. */
  readonly globalStateDim: number;
  /** Optional column names of `agentFeatures` (length `agentFeatureDim`), for logs and docs. */
  readonly agentFeatureNames?: readonly string[];
  /** Optional column names of `candFeatures` (length `pairFeatureDim`). */
  readonly pairFeatureNames?: readonly string[];
  /** The unit of `infos.dt` / `infos.time` (and of a discount's exponent). Default "minute". */
  readonly timeUnit?: string;
  /**
   * Optional: the reward is a weighted sum of P named components, reward = Σ_j weights[j]·c_j,
   * and every step reports them (`StepInfo.rewardComponents`), for learners that treat the
   * components separately (e.g. GDPO's decoupled normalisation).
   */
  readonly rewardComponents?: {
    readonly names: readonly string[];
    readonly weights: readonly number[];
  };
  /**
   * Optional: width D of an agent's POST-DECISION features — its state right after the joint
   * action took effect and before the environment's own dynamics (new demand, travel) unfold,
   * e.g. a vehicle's new schedule. Declared (> 0), every step reports them
   * (`StepInfo.postDecisionFeatures`), for learners with a post-decision critic (PDPPO).
   * Absent or 0: the environment has none.
   */
  readonly postDecisionFeatureDim?: number;
  /** Optional column names of the post-decision features (length `postDecisionFeatureDim`). */
  readonly postDecisionFeatureNames?: readonly string[];
}

/**
 * What the agents see before a step: a per-agent block plus a CSR ("compressed sparse row")
 * candidate block. Agent i's candidates are rows `candPtr[i] .. candPtr[i+1]−1` of
 * `candFeatures` / `candId`; its legal actions are `PASS` and the local indices
 * `0 .. candPtr[i+1]−candPtr[i]−1` (so the CSR block IS the action mask: no separate mask array).
 * A pair-scoring network runs once over all `nCand` rows and a segment softmax over `candPtr`.
 */
export interface Observation {
  /**
   * Shape (n). 1 = the agent decides this step, 0 = inactive (busy, full, finished). Inactive
   * agents have no candidates and their action entries are ignored.
   */
  readonly active: Uint8Array;
  /** Shape (n × agentFeatureDim), row-major: features of agent i at `i*agentFeatureDim`. */
  readonly agentFeatures: Float32Array;
  /**
   * Shape (n + 1), `candPtr[0] = 0`, non-decreasing, `candPtr[n] = nCand`. Agent i owns the
   * candidate rows `[candPtr[i], candPtr[i+1])`.
   */
  readonly candPtr: Int32Array;
  /**
   * Shape (nCand × pairFeatureDim), row-major: row k describes the pair (owner of k, candidate
   * k), e.g. vehicle–order pickup time, order origin/destination, normalised to about [0, 1].
   */
  readonly candFeatures: Float32Array;
  /**
   * Optional, shape (nCand): environment-level id of each candidate (e.g. the order id), ≥ 0,
   * unique within one agent's row range. Ids are EXCLUSIVE resources: per step at most one
   * agent's action on a given id takes effect (lowest agent id wins). Absent = no conflicts.
   */
  readonly candId?: Int32Array;
  /**
   * Optional, instead of `candId`: several exclusive resources per candidate row, CSR over the
   * rows — row k claims `ids[ptr[k]] .. ids[ptr[k+1]−1]` (ids ≥ 0, distinct within a row; `ptr`
   * has length nCand + 1). E.g. a robot's move claims its target cell and the edge it crosses,
   * so neither two robots on one cell nor a swap can take effect. An environment gives at most
   * one of `candId` and `candClaims`.
   */
  readonly candClaims?: CandidateClaims;
}

/** Several exclusive resources per candidate row (see `Observation.candClaims`). */
export interface CandidateClaims {
  readonly ptr: Int32Array;
  readonly ids: Int32Array;
}

/** Per-step side information. */
export interface StepInfo {
  /** Minutes of environment time that elapsed during this step (finite, ≥ 0). */
  readonly dt: number;
  /** Minutes since the start of the episode, after this step (= previous time + dt). */
  readonly time: number;
  /**
   * Shape (n): the action that took effect per agent: the requested local index, or `PASS` when
   * the agent passed, was inactive, or lost a conflict on its candidate's `candId`.
   */
  readonly effective: Int32Array;
  /** Number of active agents whose requested candidate was lost to a lower agent id. */
  readonly conflicts: number;
  /** Optional environment-specific scalars (e.g. orders served this step), for logging. */
  readonly extra?: Readonly<Record<string, number>>;
  /**
   * Shape (n × P), row-major, when `spec.rewardComponents` is declared (P = its names): agent
   * i's reward components this step; Σ_j weights[j]·row_i[j] = rewards[i] (up to float32).
   */
  readonly rewardComponents?: Float32Array;
  /**
   * Shape (n × D), row-major, when `spec.postDecisionFeatureDim` = D > 0: every agent's
   * post-decision features of this step — computed after the effective actions were applied and
   * before the clock advanced (agents that passed: their state with nothing applied). Finite.
   */
  readonly postDecisionFeatures?: Float32Array;
}

/** What `step` returns. */
export interface StepResult {
  /** The observation for the next decision (after the clock advanced by `infos.dt`). */
  readonly obs: Observation;
  /** Shape (n): reward of each agent for this step (finite). Passing agents get the pass reward. */
  readonly rewards: Float32Array;
  /**
   * Shape (n), 0/1: the agent reached a terminal state (no future rewards, no bootstrap).
   * Once set it stays set and the agent stays inactive.
   */
  readonly terminations: Uint8Array;
  /**
   * Shape (n), 0/1: the agent was cut off (e.g. end of a time window that is not part of the
   * task); value-based learners should bootstrap. Once set it stays set.
   */
  readonly truncations: Uint8Array;
  /** Timing and effective actions of this step. */
  readonly infos: StepInfo;
}

/**
 * A multi-agent environment with fixed agent ids, per-agent variable candidate sets and a
 * global state for centralised critics.
 *
 * @example
 * // env: any MultiAgentEnv (e.g. envs/tiny's TinyDispatchEnv)
 * const obs = env.reset(42);
 * const actions = new Int32Array(env.spec.numAgents).fill(PASS);
 * const { rewards, infos } = env.step(actions); // everyone passes: infos.effective is all PASS
 */
export interface MultiAgentEnv {
  readonly spec: EnvSpec;
  /** Start a new episode; the same seed gives the same episode (observations, rewards, …). */
  reset(seed: number): Observation;
  /**
   * Apply one joint action, shape (n): entry i is `PASS` or a local candidate index of agent i.
   * Throws `InvalidActionError` (state unchanged) on a wrong length or an out-of-range entry of
   * an active agent, `EnvUsageError` before reset or after the episode is over.
   */
  step(actions: Int32Array): StepResult;
  /**
   * Shape (globalStateDim): a fixed-length summary of the whole current state (e.g. per-zone
   * supply and demand counts) for a centralised critic. Finite values.
   */
  globalState(): Float32Array;
}

/** A call out of order: `step` before `reset`, or after the episode is over. */
export class EnvUsageError extends Error {
  override name = "EnvUsageError";
}

/** A joint action that does not fit the current observation (length, index out of range). */
export class InvalidActionError extends RangeError {
  override name = "InvalidActionError";
}

/** Number of candidates of agent `agent` in `obs` (its legal actions are PASS and 0..count−1). */
export function candidateCount(obs: Observation, agent: number): number {
  return obs.candPtr[agent + 1] - obs.candPtr[agent];
}

/**
 * The exclusive resources candidate row `k` claims: its `candClaims` ids, its `candId`, or none.
 *
 * @example
 * claimsOf({ ...obs, candId: Int32Array.of(7, 8) }, 1); // Int32Array [8]
 */
export function claimsOf(obs: Observation, k: number): Int32Array {
  if (obs.candClaims)
    return obs.candClaims.ids.subarray(obs.candClaims.ptr[k], obs.candClaims.ptr[k + 1]);
  if (obs.candId) return obs.candId.subarray(k, k + 1);
  return NO_CLAIMS;
}
const NO_CLAIMS = new Int32Array(0);

/** True when every agent is terminated or truncated, i.e. the episode is over. */
export function episodeOver(result: StepResult): boolean {
  const { terminations, truncations } = result;
  for (let i = 0; i < terminations.length; i++) {
    if (terminations[i] === 0 && truncations[i] === 0) return false;
  }
  return true;
}
