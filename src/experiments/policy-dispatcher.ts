/**
 * A trained policy as a dispatcher, for `eval`, `compare` and `simulate --dispatcher policy:`,
 * and every dispatcher by name (`findDispatcher`).
 * It plays exactly what the trainer's greedy evaluation plays: the dispatch environment's
 * observation of the epoch (`observationOf`), the policy's logits, and `selectJointAction` with
 * ε = 0 on the matching weights the policy was trained with — the same code, so the same joint
 * action, ties included (test/experiments/policy-play.test.ts). `scores` (each vehicle's matching
 * weights) is kept for analyses that read them (bench/policy-preferences.ts).
 */
import {
  type MatchWeight,
  matchingWeights,
  segmentSoftmax,
  selectJointAction,
} from "../algorithms/joint-action.ts";
import { UserError } from "../core/errors.ts";
import {
  BASELINE_DISPATCHERS,
  baselineDispatcher,
  type Dispatcher,
} from "../envs/dispatch/dispatchers.ts";
import { observationOf, pairsFromActions } from "../envs/dispatch/env.ts";
import {
  geometryFromCity,
  type NodeGeometry,
  PAIR_DIM,
  pairFeatures,
  vehicleFeatures,
} from "../envs/dispatch/features.ts";
import type { LoadedWorld } from "../envs/dispatch/world.ts";
import { MatchingWorkspace } from "../matching/sparse.ts";
import { initBackend, type PairScorer } from "../nn/index.ts";
import { loadPolicy, trainConfigOf } from "../training/checkpoint.ts";

export function policyDispatcher(
  policy: PairScorer,
  geometry: NodeGeometry,
  weights: MatchWeight,
  name = "policy",
): Dispatcher {
  const workspace = new MatchingWorkspace();
  return {
    name,
    assignment: "matching",
    scores(c, _rng, sim) {
      if (c.pairCount === 0) return new Float64Array(0);
      const features = pairFeatures(sim, c, geometry, vehicleFeatures(sim, c, geometry));
      const logits = policy.scores(features, c.pairCount);
      return matchingWeights(logits, segmentSoftmax(logits, c.rowPtr).probs, weights);
    },
    choose(c, _rng, sim) {
      if (c.pairCount === 0) return new Int32Array(0);
      const obs = observationOf(sim, c, geometry);
      const logits = policy.scores(obs.candFeatures, c.pairCount);
      const { actions } = selectJointAction(obs, logits, { mode: "match", weights, workspace });
      return pairsFromActions(c, actions);
    },
  };
}

/** A baseline by name, or `policy:<checkpoint or best.safetensors>`. */
export async function findDispatcher(
  name: string,
  world: LoadedWorld,
  matchWeight?: MatchWeight,
): Promise<Dispatcher> {
  const known = baselineDispatcher(name);
  if (known) return known;
  if (name.startsWith("policy:")) {
    await initBackend();
    const path = name.slice("policy:".length);
    const policy = loadPolicy(path, PAIR_DIM);
    // Match as the policy was trained, unless the caller says otherwise.
    const weights = matchWeight ?? trainConfigOf(path)?.matchWeight ?? "probability";
    return policyDispatcher(policy, geometryFromCity(world.city), weights, `policy:${path}`);
  }
  throw new UserError(
    `dispatcher: expected one of ${BASELINE_DISPATCHERS.map((d) => d.name).join(", ")} or policy:<checkpoint> (got ${JSON.stringify(name)})`,
  );
}
