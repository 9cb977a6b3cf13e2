/**
 * PDPPO's dual-critic advantage (Felizardo, Fadda, Brandimarte, Del-Moral-Hernandez, Nascimento:
 * "A Reinforcement Learning Method for Environments with Stochastic Variables: Post-Decision
 * Proximal Policy Optimization with Dual Critic Networks", 2025, arXiv:2504.05150).
 *
 * A transition splits into a deterministic step to the post-decision state s^x (the decision
 * applied: a vehicle's new schedule) and a stochastic step to the next state (demand, travel).
 * Beside the usual critic V(s) a second critic U(s^x) values the post-decision state; each gives
 * an advantage, and the paper's update takes the larger one:
 *
 *   A^pre_k = GAE_λ(r, V)_k       δ_k = r_k + γ^Δt·V_{k+1} − V_k     (IPPO's semiMarkovGae)
 *   A^x_k   = GAE_λ(r, U)_k       δ_k = r_k + γ^Δt·U_{k+1} − U_k     (the same, with U at s^x)
 *   A_k     = max(A^pre_k, A^x_k)                         ("max", the paper's)
 *           = ½·(A^pre_k + A^x_k)                         ("mean", our alternative)
 *   targets: V ← A^pre + V,   U ← A^x + U                 (each critic its own λ-return)
 *
 * The paper states the max and the separate critics with separate optimizers; the GAE form of
 * each advantage, the λ-return targets and the end-of-window bootstrap are ours, chosen so that
 * with U ≡ V (post-decision features equal to the state's and shared weights) PDPPO is exactly
 * IPPO (tested). An agent's last decision bootstraps both with the state critic's end value
 * (the end of a window is a state, not a post-decision state; 0 when terminated, the default).
 * Note that s^x is a function of (s, a), so U acts like a Q(s, a) baseline: A^x alone centres
 * every action on its own value, which is why it is combined with A^pre and not used alone.
 */
import { type EpisodeEnd, semiMarkovGae, type ValuedSamples } from "./advantages.ts";

/** How the two critics' advantages combine. */
export const POST_DECISION_COMBINES = ["max", "mean"] as const;
export type PostDecisionCombine = (typeof POST_DECISION_COMBINES)[number];

export interface DualCriticSamples extends ValuedSamples {
  /** Shape (m): the post-decision critic's value U(s^x) of each decision. */
  readonly postValue: Float32Array;
}

export interface DualCriticOptions {
  gamma?: number;
  lambda?: number;
  /** Default "max" (the paper's). */
  combine?: PostDecisionCombine;
}

/**
 * PDPPO's advantages and both critics' targets (formulas above).
 *
 * @example
 * // one agent, decisions at t = 0 and 1 (r = 1, 2), V = [0, 0], U = [1, 0], γ = λ = 1, ends at 2
 * dualCriticAdvantage(
 *   { agent: Int32Array.of(0, 0), time: Float32Array.of(0, 1), reward: Float32Array.of(1, 2),
 *     value: Float32Array.of(0, 0), postValue: Float32Array.of(1, 0) },
 *   { time: 2, value: Float32Array.of(0), terminated: Uint8Array.of(1) },
 *   { gamma: 1, lambda: 1 },
 * ); // A^pre = [3, 2], A^x = [2, 2] → advantages [3, 2]; returns [3, 2], postReturns [3, 2]
 */
export function dualCriticAdvantage(
  samples: DualCriticSamples,
  end: EpisodeEnd,
  options: DualCriticOptions = {},
): { advantages: Float32Array; returns: Float32Array; postReturns: Float32Array } {
  const { combine = "max", ...gae } = options;
  if (samples.postValue.length !== samples.value.length)
    throw new RangeError(
      `dualCriticAdvantage: postValue has ${samples.postValue.length} entries, value ${samples.value.length}`,
    );
  const pre = semiMarkovGae(samples, end, gae);
  const post = semiMarkovGae({ ...samples, value: samples.postValue }, end, gae);
  const advantages = new Float32Array(pre.advantages.length);
  for (let k = 0; k < advantages.length; k++) {
    const a = pre.advantages[k];
    const b = post.advantages[k];
    advantages[k] = combine === "max" ? Math.max(a, b) : 0.5 * (a + b);
  }
  return { advantages, returns: pre.returns, postReturns: post.returns };
}
