/**
 * GDPO — group reward-decoupled normalisation (Liu et al., "GDPO: Group reward-Decoupled
 * Normalization Policy Optimization for Multi-reward RL Optimization", arXiv:2601.05242, 2026)
 * on GRPO's step groups. z-scoring the summed reward lets the large components drown the small
 * ones (dispatch: the trip distance and the base pay against the pickup time); GDPO z-scores
 * each component within the group, combines them with the reward's weights, and z-scores the
 * combination over the whole batch (here: the episode) so its scale does not grow with the
 * number of components:
 *
 *   G_{k,j} = c_{k,j} + γ^Δt·G_{k',j}                   (component j's return-to-go, as GRPO's)
 *   Z_{k,j} = (G_{k,j} − mean_{S(k)} G_j)/(std_{S(k)} G_j + eps)      (S(k): k's step)
 *   A_k     = batch z-score of Σ_j w_j·Z_{k,j}
 *
 * The components come from the environment (EnvSpec.rewardComponents; dispatch: base, distance,
 * pickup, late, added time, excess); without them the reward is the only component, and GDPO is
 * GRPO's step-returns with the batch z-score. With P equal components it reduces to GRPO's
 * normalisation (tested). Everything else is GRPO's.
 */
import { discountedReturns } from "./advantages.ts";
import { groupSpread, meanStd, normalizeByGroup } from "./baselines.ts";
import { grpo } from "./grpo.ts";
import type { Advantages, Algorithm, DecisionLog } from "./recipe.ts";

/**
 * GDPO's advantages of one episode's decisions, grouped by step.
 *
 * @example
 * // two agents at step 0, components [c1, c2] = [1, 0] and [0, 1], weights [1, 1], γ = 1:
 * // per component z = [1, −1] and [−1, 1] → sum [0, 0] → A = [0, 0] (GRPO on the summed
 * // rewards 1 and 1 also gives 0; with weights [2, 1] A = [1, −1])
 */
export function decoupledStepAdvantage(log: DecisionLog, gamma: number, eps = 1e-8): Advantages {
  const m = log.agent.length;
  const weights = log.rewardComponents?.weights ?? [1];
  const P = weights.length;
  const values = log.rewardComponents?.values ?? log.reward;
  const combined = new Float64Array(m);
  let total: Float64Array | null = null;
  for (let j = 0; j < P; j++) {
    const reward = Float32Array.from({ length: m }, (_, k) => values[k * P + j]);
    const returns = discountedReturns({ agent: log.agent, time: log.time, reward }, gamma);
    const z = normalizeByGroup(log.step, returns, meanStd, eps);
    for (let k = 0; k < m; k++) combined[k] += weights[j] * z[k];
    if (total === null) total = new Float64Array(m);
    for (let k = 0; k < m; k++) total[k] += weights[j] * returns[k];
  }
  return {
    advantages: Float32Array.from(m > 0 ? meanStd(combined, eps) : combined),
    groupSpread: groupSpread(log.step, total ?? new Float64Array(m)),
  };
}

export const gdpo: Algorithm = {
  ...grpo,
  name: "gdpo",
  summary: "GRPO with each reward component normalised separately within the step, then combined",
  advantages: (log, s) => decoupledStepAdvantage(log, s.gamma),
};
