/**
 * The non-learning dispatchers — the floor any learned policy is shown against. A dispatcher
 * scores candidate pairs and names how scores become an assignment; a learned policy implements
 * the same interface (its scores are the policy's probabilities, assigned by matching).
 */
import type { Rng } from "../../core/rng.ts";
import type { AssignmentMode } from "./assign.ts";
import type { Candidates } from "./candidates.ts";
import type { DispatchSimulator } from "./simulator.ts";

export interface Dispatcher {
  readonly name: string;
  readonly assignment: AssignmentMode;
  /**
   * One score per candidate pair. `rng` is the episode's exploration stream; `sim` is the
   * simulator in its current state, read-only (a learned policy builds its features from it).
   */
  scores(c: Candidates, rng: Rng, sim: DispatchSimulator): Float64Array;
  /**
   * Optional: the chosen pairs themselves (ascending pair indices), when the assignment is more
   * than a function of per-pair scores — a learned policy plays the trainer's greedy joint
   * action, ties broken as in training. Without it the pairs are `assignPairs(scores)`.
   */
  choose?(c: Candidates, rng: Rng, sim: DispatchSimulator): Int32Array;
}

/** Each order, in request order, goes to a uniformly random free feasible vehicle. */
export const randomDispatcher: Dispatcher = {
  name: "random",
  assignment: "sequential",
  scores: (c, rng) => Float64Array.from({ length: c.pairCount }, () => rng.uniform()),
};

/** Each order, in request order, goes to the free feasible vehicle that reaches it soonest. */
export const greedyDispatcher: Dispatcher = {
  name: "greedy",
  assignment: "sequential",
  scores: (c) => c.eta.map((eta) => -eta),
};

/**
 * Batch matching that serves as many orders as possible and, among those assignments, minimises
 * the summed pickup ETA: weight = BIG − eta with BIG larger than any possible ETA sum.
 */
export const minEtaDispatcher: Dispatcher = {
  name: "min-eta",
  assignment: "matching",
  scores: (c) => c.eta.map((eta) => 1e9 - eta),
};

/** Batch matching maximising the summed one-step reward (pairs with reward ≤ 0 are passed). */
export const maxRewardDispatcher: Dispatcher = {
  name: "max-reward",
  assignment: "matching",
  scores: (c) => Float64Array.from(c.reward),
};

export const BASELINE_DISPATCHERS: readonly Dispatcher[] = [
  randomDispatcher,
  greedyDispatcher,
  minEtaDispatcher,
  maxRewardDispatcher,
];

export function baselineDispatcher(name: string): Dispatcher | undefined {
  return BASELINE_DISPATCHERS.find((d) => d.name === name);
}
