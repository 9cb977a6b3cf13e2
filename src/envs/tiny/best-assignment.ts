/**
 * Exhaustive search for the best conflict-free joint action of a (small) observation: the ground
 * truth that learning tests measure regret against. Exponential in the number of active agents;
 * meant for a handful of agents only.
 */
import { type Observation, PASS } from "../../core/env.ts";

/** The best joint action, its summed reward, and how many joint actions reach that sum. */
export interface BestAssignment {
  /** Shape (n): local candidate index per agent, or PASS. */
  readonly actions: Int32Array;
  /** Summed reward of `actions` (pass reward 0). */
  readonly reward: number;
  /** Number of distinct conflict-free joint actions whose reward is within `tolerance` of best. */
  readonly ties: number;
}

/**
 * Enumerate every joint action in which each active agent passes or takes one of its candidates
 * and no `candId` is taken twice; score = sum of `pairReward` over taken candidates (row-aligned
 * with `obs.candFeatures`).
 *
 * @example
 * // one agent, candidates worth 1 and 2 → takes index 1
 * bestAssignment(obs, Float64Array.of(1, 2)); // { actions: [1], reward: 2, ties: 1 }
 */
export function bestAssignment(
  obs: Observation,
  pairReward: Float64Array,
  tolerance = 1e-9,
): BestAssignment {
  const n = obs.active.length;
  const current = new Int32Array(n).fill(PASS);
  const best = new Int32Array(n).fill(PASS);
  let bestReward = Number.NEGATIVE_INFINITY;
  let ties = 0;
  const taken = new Set<number>();
  const idOf = (row: number) => (obs.candId ? obs.candId[row] : row);

  const visit = (agent: number, sum: number): void => {
    if (agent === n) {
      if (sum > bestReward + tolerance) {
        bestReward = sum;
        best.set(current);
        ties = 1;
      } else if (sum >= bestReward - tolerance) {
        ties++;
      }
      return;
    }
    current[agent] = PASS;
    visit(agent + 1, sum);
    if (obs.active[agent] === 0) return;
    for (let row = obs.candPtr[agent]; row < obs.candPtr[agent + 1]; row++) {
      const id = idOf(row);
      if (taken.has(id)) continue;
      taken.add(id);
      current[agent] = row - obs.candPtr[agent];
      visit(agent + 1, sum + pairReward[row]);
      taken.delete(id);
    }
    current[agent] = PASS;
  };
  visit(0, 0);
  return { actions: best, reward: bestReward, ties };
}
