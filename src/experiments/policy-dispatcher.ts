/**
 * A trained policy as a dispatcher: every candidate pair is scored by the policy network from
 * the dispatch environment's features, each vehicle's scores become its softmax over its
 * candidates, and the matching maximises the summed matching weights (scores or probabilities,
 * as the policy was trained) — the same greedy joint action the trainer evaluates with
 * (`selectJointAction` with ε = 0).
 */
import { type MatchWeight, matchingWeights, segmentSoftmax } from "../algorithms/joint-action.ts";
import type { Dispatcher } from "../envs/dispatch/dispatchers.ts";
import { type NodeGeometry, pairFeatures, vehicleFeatures } from "../envs/dispatch/features.ts";
import type { PairScorer } from "../nn/index.ts";

export function policyDispatcher(
  policy: PairScorer,
  geometry: NodeGeometry,
  weights: MatchWeight,
  name = "policy",
): Dispatcher {
  return {
    name,
    assignment: "matching",
    scores(c, _rng, sim) {
      if (c.pairCount === 0) return new Float64Array(0);
      const features = pairFeatures(sim, c, geometry, vehicleFeatures(sim, c, geometry));
      const logits = policy.scores(features, c.pairCount);
      return matchingWeights(logits, segmentSoftmax(logits, c.rowPtr).probs, weights);
    },
  };
}
