/**
 * An algorithm is a COMPOSITION (DESIGN §1), not a class: which advantage estimator turns an
 * episode's decisions into advantages, whether a critic exists and what it reads, whether
 * advantages are re-normalised per minibatch, and whether OSPO's adaptive KL penalty to a
 * reference policy applies. The loss itself is always `policyLossAndGrad` (objectives.ts) with
 * the clip / entropy / β coefficients of the training config; the optimizer is Adam with
 * gradient-norm clipping (optim.ts). `ospo.ts`, `grpo.ts`, `ippo.ts`, `mappo.ts` are a few lines
 * each; a variant is one more such object.
 */
import type { EpisodeEnd } from "./advantages.ts";
import { grpo } from "./grpo.ts";
import { ippo } from "./ippo.ts";
import { mappo } from "./mappo.ts";
import { ospo } from "./ospo.ts";

/** One episode's decisions that took effect, struct-of-arrays (one row per decision). */
export interface DecisionLog {
  /** Fleet size n (agent ids are 0..n−1). */
  readonly numAgents: number;
  /** Shape (m): step (epoch) index of the decision. */
  readonly step: Int32Array;
  /** Shape (m): agent id. */
  readonly agent: Int32Array;
  /** Shape (m): minutes since the episode start when the decision was taken. */
  readonly time: Float64Array;
  /** Shape (m): reward the agent received in the step of the decision. */
  readonly reward: Float32Array;
  /** Shape (m): critic value of the decision's state (0 without a critic). */
  readonly value: Float32Array;
  /** How each agent's sequence ends (bootstrap values, terminations). */
  readonly end: EpisodeEnd;
}

/** The hyperparameters advantage estimators read (see train-config.ts for defaults). */
export interface AdvantageSettings {
  /** Discount per minute (GRPO, GAE). */
  gamma: number;
  /** GAE λ (IPPO, MAPPO). */
  gaeLambda: number;
  /** Weight of OSPO's fairness term Δσ. */
  fairnessCoef: number;
  /**
   * GRPO's group baseline: "z-rewards" z-scores every reward over the episode, then sums each
   * agent's reward-to-go; "step-returns" compares each decision's raw return-to-go with the
   * fleet's at the same step (advantages.ts).
   */
  grpoAdvantage: "z-rewards" | "step-returns";
}

export interface Advantages {
  /** Shape (m): advantage per decision, aligned with the log. */
  advantages: Float32Array;
  /** Shape (m): critic regression targets (only for algorithms with a critic). */
  returns?: Float32Array;
}

/**
 * What a critic reads: "agent" = the agent's own feature row (IPPO); "global+agent" = the
 * environment's global state followed by the agent's feature row (MAPPO's agent-specific global
 * state); "none" = critic-free (OSPO, GRPO).
 */
export type CriticInput = "none" | "agent" | "global+agent";

export interface Algorithm {
  readonly name: AlgorithmName;
  /** One line for help texts and logs. */
  readonly summary: string;
  readonly critic: CriticInput;
  /** z-score the advantages of each minibatch before the loss (PPO practice). */
  readonly normalizeAdvantages: boolean;
  /** OSPO's β schedule: KL(π‖π_ref) penalty switched on once an evaluation fails to improve. */
  readonly adaptiveKl: boolean;
  advantages(log: DecisionLog, settings: AdvantageSettings): Advantages;
}

export const ALGORITHM_NAMES = ["ospo", "grpo", "ippo", "mappo"] as const;
export type AlgorithmName = (typeof ALGORITHM_NAMES)[number];

/**
 * The registry.
 *
 * @example
 * algorithmByName("grpo").critic; // "none"
 */
export function algorithmByName(name: AlgorithmName): Algorithm {
  const table: Record<AlgorithmName, Algorithm> = { ospo, grpo, ippo, mappo };
  const found = table[name];
  if (!found)
    throw new RangeError(`unknown algorithm "${name}" (expected ${ALGORITHM_NAMES.join(", ")})`);
  return found;
}
