/**
 * From per-candidate policy logits to one conflict-free joint action (OSPO, DESIGN §3).
 *
 * Each active agent's policy is the softmax of the logits over ITS candidate rows. The joint
 * action is the maximum-weight bipartite matching (agents × exclusive candidates) of those
 * probabilities: every agent takes at most one candidate, every `candId` goes to at most one
 * agent, and the summed probability of the taken candidates is as large as possible (passing is
 * worth 0, so an agent passes only when all its candidates are taken by others). When candidates
 * claim several resources (`candClaims`), the problem is set packing and the joint action is a
 * greedy packing instead: rows by decreasing weight, each taken if its agent is free and none of
 * its resources is held.
 *
 * Exploration (ε-greedy inside the matching), by `explorationUnit`:
 * - "vehicle" (default): before matching, each active agent with candidates draws u ~ U[0, 1)
 *   from the exploration stream; if u < ε its matching weights are replaced by fresh uniform
 *   draws in (0, 1] (one per candidate, in row order), otherwise they are its policy
 *   probabilities. So ε = 1 is a uniformly random maximal matching order, ε = 0 is greedy.
 * - "pair" (OSPO's published rule, Worker.observe: `q_value[rand_like(q) < ε] = INF`): each
 *   candidate row independently draws u ~ U[0, 1); if u < ε the row is forced to the top of the
 *   matching with weight FORCED_PAIR_WEIGHT + (1 − U[0, 1)) (a second draw, so forced rows compete
 *   randomly among themselves); the other rows keep their matching weights.
 * The stored behaviour log-probability of a taken candidate is always the POLICY's
 * log-probability of it (as OSPO stores it), whatever weights the matching used.
 *
 * Sampling (optional, `mode: "sample"`): each active agent draws its candidate from its softmax,
 * independently; conflicts are then left to the environment's lowest-id-wins rule.
 */
import { claimsOf, type Observation, PASS } from "../core/env.ts";
import type { Rng } from "../core/rng.ts";
import { type MatchingWorkspace, solveMatching } from "../matching/sparse.ts";

export type ActionMode = "match" | "sample";

/**
 * What the matching maximises the sum of:
 * - "probability" (OSPO's published rule, the default): each agent's softmax probabilities.
 *   They are normalised per agent, so an agent with a single poor candidate bids 1.0 and outbids
 *   agents whose many good candidates share their mass: the matching follows candidate counts
 *   as much as quality;
 * - "score": exp(logit − the largest logit of the step), the unnormalised scores, comparable
 *   across agents. The policy (softmax per agent) is the same either way; see docs/results.md
 *   for what each does on Manhattan.
 */
export type MatchWeight = "probability" | "score";

/**
 * What ε-greedy exploration replaces (see the module comment for the exact draws):
 * - "vehicle" (default): with probability ε an agent's whole row of weights becomes uniform draws;
 * - "pair" (OSPO's published rule): with probability ε one (agent, candidate) row is forced.
 */
export type ExplorationUnit = "vehicle" | "pair";

/**
 * The matching weight base of a forced pair under `explorationUnit: "pair"` (OSPO uses INF =
 * 1e8). Unforced weights are at most 1 (probabilities, or scores exp(logit − max)) and a forced
 * row weighs FORCED_PAIR_WEIGHT + u with u in (0, 1], so with n < 10^6 agents a matching with one
 * more forced pair always weighs more (≥ (f+1)·1e6 against ≤ f·1e6 + n): the matching first takes
 * as many forced pairs as it can, then fills in greedily. float64 still resolves u at 1e6 (to
 * about 1e-10), so forced rows compete at random among themselves instead of tying.
 */
export const FORCED_PAIR_WEIGHT = 1e6;

/** The matching weight of every candidate row. @example matchingWeights([0, 2], [0.12, 0.88], "score") // [e^-2, 1] */
export function matchingWeights(
  logits: ArrayLike<number>,
  probs: Float64Array,
  kind: MatchWeight,
): Float64Array {
  if (kind === "probability") return probs;
  let max = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < logits.length; k++) max = Math.max(max, logits[k]);
  return Float64Array.from(logits, (x) => Math.exp(x - max));
}

export interface JointActionOptions {
  /** "match" (default): matching over probabilities; "sample": each agent samples its softmax. */
  mode?: ActionMode;
  /** What the matching maximises the sum of (see MatchWeight). Default "probability". */
  weights?: MatchWeight;
  /**
   * Exploration rate, per agent or per (agent, candidate) row (see `explorationUnit`). Default 0.
   */
  epsilon?: number;
  /** What ε applies to: "vehicle" (default) or "pair" (OSPO's rule); see ExplorationUnit. */
  explorationUnit?: ExplorationUnit;
  /** Stream for exploration draws and samples; required when epsilon > 0 or mode = "sample". */
  rng?: Rng;
  /** Scratch memory of the matching solver, reused across calls. */
  workspace?: MatchingWorkspace;
}

export interface JointAction {
  /** Shape (n): chosen local candidate index per agent, or PASS. */
  actions: Int32Array;
  /** Shape (n): log π(chosen candidate) under the policy; NaN for PASS. */
  logProb: Float32Array;
  /** Shape (nCand): per-row policy probabilities (softmax within each agent's rows). */
  probs: Float64Array;
  /** Shape (nCand): per-row policy log-probabilities. */
  logProbs: Float64Array;
}

/**
 * Softmax of `logits` within each agent's candidate rows (CSR `candPtr`), in float64.
 *
 * @example
 * segmentSoftmax(Float32Array.of(0, 0, 5), Int32Array.of(0, 2, 3)).probs; // [0.5, 0.5, 1]
 */
export function segmentSoftmax(
  logits: ArrayLike<number>,
  candPtr: Int32Array,
): { probs: Float64Array; logProbs: Float64Array } {
  const nCand = candPtr[candPtr.length - 1];
  const probs = new Float64Array(nCand);
  const logProbs = new Float64Array(nCand);
  for (let i = 0; i + 1 < candPtr.length; i++) {
    const start = candPtr[i];
    const end = candPtr[i + 1];
    if (end === start) continue;
    let max = Number.NEGATIVE_INFINITY;
    for (let k = start; k < end; k++) if (logits[k] > max) max = logits[k];
    let total = 0;
    for (let k = start; k < end; k++) total += Math.exp(logits[k] - max);
    const logTotal = Math.log(total);
    for (let k = start; k < end; k++) {
      logProbs[k] = logits[k] - max - logTotal;
      probs[k] = Math.exp(logProbs[k]);
    }
  }
  return { probs, logProbs };
}

/**
 * Choose a joint action from `logits` (one per candidate row of `obs`).
 *
 * @example
 * // agents 0 and 1 both prefer order 7; agent 1 has a fallback (order 8): the matching gives
 * // order 7 to agent 0 and order 8 to agent 1 (summed probability 0.9 + 0.3 > 0.1 + 0.7)
 * const { actions } = selectJointAction(obs, logits); // actions = [0, 1]
 */
export function selectJointAction(
  obs: Observation,
  logits: ArrayLike<number>,
  options: JointActionOptions = {},
): JointAction {
  const {
    mode = "match",
    epsilon = 0,
    rng,
    workspace,
    weights = "probability",
    explorationUnit = "vehicle",
  } = options;
  const n = obs.active.length;
  const nCand = obs.candPtr[n];
  if (logits.length !== nCand)
    throw new RangeError(
      `selectJointAction: expected ${nCand} logits (one per candidate row), got ${logits.length}`,
    );
  if (!(epsilon >= 0 && epsilon <= 1))
    throw new RangeError(`selectJointAction: epsilon must be in [0, 1] (got ${epsilon})`);
  if (explorationUnit !== "vehicle" && explorationUnit !== "pair")
    throw new RangeError(
      `selectJointAction: explorationUnit must be "vehicle" or "pair" (got ${String(explorationUnit)})`,
    );
  if ((epsilon > 0 || mode === "sample") && !rng)
    throw new RangeError("selectJointAction: an rng is needed for exploration or sampling");
  const { probs, logProbs } = segmentSoftmax(logits, obs.candPtr);
  const actions =
    mode === "sample"
      ? sampleActions(obs, probs, rng!)
      : assignByWeight(
          obs,
          explorationWeights(obs, matchingWeights(logits, probs, weights), {
            epsilon,
            unit: explorationUnit,
            rng,
          }),
          workspace,
        );
  const logProb = new Float32Array(n).fill(Number.NaN);
  for (let i = 0; i < n; i++) {
    if (actions[i] !== PASS) logProb[i] = logProbs[obs.candPtr[i] + actions[i]];
  }
  return { actions, logProb, probs, logProbs };
}

/**
 * Each candidate row's weight in the assignment: its matching weight, or with ε-exploration a
 * random one — per agent ("vehicle": all its rows get U(0, 1] draws) or per row ("pair": the row
 * is forced to FORCED_PAIR_WEIGHT + U(0, 1]). Draws go agent by agent, row by row.
 */
function explorationWeights(
  obs: Observation,
  matchWeight: Float64Array,
  exploration: { epsilon: number; unit: ExplorationUnit; rng: Rng | undefined },
): Float64Array {
  const { epsilon, unit, rng } = exploration;
  if (epsilon === 0) return matchWeight;
  const weight = matchWeight.slice();
  const n = obs.active.length;
  for (let i = 0; i < n; i++) {
    const start = obs.candPtr[i];
    const end = obs.candPtr[i + 1];
    if (obs.active[i] === 0 || end === start) continue;
    const explore = unit === "vehicle" && rng!.uniform() < epsilon;
    for (let k = start; k < end; k++) {
      if (explore) weight[k] = 1 - rng!.uniform();
      else if (unit === "pair" && rng!.uniform() < epsilon)
        weight[k] = FORCED_PAIR_WEIGHT + (1 - rng!.uniform());
    }
  }
  return weight;
}

/**
 * The conflict-free assignment of largest summed weight: exact (bipartite matching) when each
 * candidate claims at most one resource (`candId`); with several resources per candidate
 * (`candClaims`, a set-packing problem) greedy — rows by decreasing weight, each taken if its
 * agent is free and none of its resources is held (ties: the lower row first).
 */
function assignByWeight(
  obs: Observation,
  weight: Float64Array,
  workspace: MatchingWorkspace | undefined,
): Int32Array {
  return obs.candClaims ? greedyActions(obs, weight) : matchActions(obs, weight, workspace);
}

function greedyActions(obs: Observation, weight: Float64Array): Int32Array {
  const n = obs.active.length;
  const owner = new Int32Array(obs.candPtr[n]);
  for (let i = 0; i < n; i++) owner.fill(i, obs.candPtr[i], obs.candPtr[i + 1]);
  const rows = Array.from({ length: owner.length }, (_, k) => k)
    .filter((k) => obs.active[owner[k]] === 1 && weight[k] > 0)
    .sort((a, b) => weight[b] - weight[a] || a - b);
  const actions = new Int32Array(n).fill(PASS);
  const held = new Set<number>();
  for (const k of rows) {
    const agent = owner[k];
    const claims = claimsOf(obs, k);
    if (actions[agent] !== PASS || claims.some((id) => held.has(id))) continue;
    for (const id of claims) held.add(id);
    actions[agent] = k - obs.candPtr[agent];
  }
  return actions;
}

/** Max-summed-weight assignment with one resource (candId) per row: bipartite matching. */
function matchActions(
  obs: Observation,
  weight: Float64Array,
  workspace: MatchingWorkspace | undefined,
): Int32Array {
  const n = obs.active.length;
  const { candPtr, candId } = obs;
  const nCand = candPtr[n];
  // Edges of the (agent, column) graph; inactive agents' rows stay out (they have none anyway).
  const rowPtr = new Int32Array(n + 1);
  const colIdx = new Int32Array(nCand);
  const edgeWeight = new Float64Array(nCand);
  const candRow = new Int32Array(nCand);
  const columnOf = new Map<number, number>(); // candId → column
  let edges = 0;
  let privateColumns = 0;
  for (let i = 0; i < n; i++) {
    rowPtr[i] = edges;
    const start = candPtr[i];
    const end = candPtr[i + 1];
    if (obs.active[i] === 0 || end === start) continue;
    for (let k = start; k < end; k++) {
      let c: number;
      if (candId === undefined) {
        c = -1 - privateColumns++; // numbered after the shared columns below
      } else {
        const known = columnOf.get(candId[k]);
        c = known ?? columnOf.size;
        if (known === undefined) columnOf.set(candId[k], c);
      }
      colIdx[edges] = c;
      edgeWeight[edges] = weight[k];
      candRow[edges] = k;
      edges++;
    }
  }
  rowPtr[n] = edges;
  const shared = columnOf.size;
  for (let e = 0; e < edges; e++) if (colIdx[e] < 0) colIdx[e] = shared - 1 - colIdx[e];
  const { rowMatch } = solveMatching(
    {
      rows: n,
      cols: shared + privateColumns,
      rowPtr,
      colIdx: colIdx.subarray(0, edges),
      weight: edgeWeight.subarray(0, edges),
    },
    workspace,
  );
  const actions = new Int32Array(n).fill(PASS);
  for (let i = 0; i < n; i++) {
    if (rowMatch[i] < 0) continue;
    for (let e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
      if (colIdx[e] === rowMatch[i]) {
        actions[i] = candRow[e] - candPtr[i];
        break;
      }
    }
  }
  return actions;
}

/** Each active agent samples one candidate from its softmax (conflicts left to the env). */
function sampleActions(obs: Observation, probs: Float64Array, rng: Rng): Int32Array {
  const n = obs.active.length;
  const actions = new Int32Array(n).fill(PASS);
  for (let i = 0; i < n; i++) {
    const start = obs.candPtr[i];
    const end = obs.candPtr[i + 1];
    if (obs.active[i] === 0 || end === start) continue;
    actions[i] = rng.weightedIndex(probs.subarray(start, end));
  }
  return actions;
}
