/**
 * What an algorithm is (DESIGN §1): a COMPOSITION of pieces, not a class. The trainer runs any
 * recipe the same way and has no per-algorithm branch; each piece is a plain value:
 * - `advantages`: the estimator turning an episode's decisions into advantages (advantages.ts);
 * - `surrogate`: the per-sample policy loss from ratio and advantage (objectives.ts);
 * - `critic`: whether a value network exists and what it reads;
 * - `postDecisionCritic` (optional): a second value network on the post-decision state (PDPPO);
 * - `normalizeAdvantages`: z-score each minibatch's advantages before the loss;
 * - `penalty`: the schedule of the KL penalty to a reference policy (penalties.ts).
 * The optimizer (clip-by-norm → Adam → lr schedule, optim.ts) and the coefficients come from
 * the training config. `ospo.ts`, `grpo.ts`, `ippo.ts`, `mappo.ts` are a few lines each; a
 * variant is one more such object and one line in registry.ts.
 */
import type { EpisodeEnd } from "./advantages.ts";
import type { BaselineName } from "./baselines.ts";
import type { PolicyStats, Surrogate } from "./objectives.ts";
import type { PostDecisionCombine } from "./post-decision.ts";

/** One episode's decisions that took effect, struct-of-arrays (one row per decision). */
export interface DecisionLog {
  /** Fleet size n (agent ids are 0..n−1). */
  readonly numAgents: number;
  /** Shape (m): step (epoch) index of the decision. */
  readonly step: Int32Array;
  /** Shape (m): agent id. */
  readonly agent: Int32Array;
  /** Shape (m): time since the episode start when the decision was taken (the env's unit). */
  readonly time: Float64Array;
  /** Shape (m): reward the agent received in the step of the decision. */
  readonly reward: Float32Array;
  /** Shape (m): critic value of the decision's state (0 without a critic). */
  readonly value: Float32Array;
  /**
   * Shape (m), recipes with a `postDecisionCritic` only: that critic's value of the decision's
   * post-decision state (the agent right after its decision took effect).
   */
  readonly postValue?: Float32Array;
  /** How each agent's sequence ends (bootstrap values, terminations). */
  readonly end: EpisodeEnd;
  /**
   * The reward's components when the environment declares them (EnvSpec.rewardComponents):
   * `values` is (m × weights.length), row k the components of decision k's reward.
   */
  readonly rewardComponents?: {
    readonly weights: readonly number[];
    readonly values: Float32Array;
  };
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
  /**
   * The group baseline of critic-free estimators (baselines.ts), overriding the recipe's own:
   * "mean" (z-score, GRPO/OSPO) or "median" (MC-GRPO). Unset = the recipe's choice.
   */
  baseline?: BaselineName;
  /** How PDPPO combines its two critics' advantages (post-decision.ts). Unset = "max". */
  postDecisionAdvantage?: PostDecisionCombine;
}

export interface Advantages {
  /** Shape (m): advantage per decision, aligned with the log. */
  advantages: Float32Array;
  /** Shape (m): critic regression targets (only for algorithms with a critic). */
  returns?: Float32Array;
  /** Shape (m): the post-decision critic's regression targets (recipes with one). */
  postReturns?: Float32Array;
  /**
   * Shape (m), in [0, 1]: how much the decision's group disagrees (`groupSpread`, baselines.ts),
   * for surrogates that adapt per group (ETR). Estimators without groups leave it out (read as 0).
   */
  groupSpread?: Float32Array;
}

/**
 * What a critic reads: "agent" = the agent's own feature row (IPPO); "global+agent" = the
 * environment's global state followed by the agent's feature row (MAPPO's agent-specific global
 * state); "none" = critic-free (OSPO, GRPO).
 */
export type CriticInput = "none" | "agent" | "global+agent";

/**
 * What a post-decision critic reads: "post" = the agent's post-decision features
 * (`StepInfo.postDecisionFeatures`); "global+post" = the global state at the decision followed by
 * them (PDPPO on MAPPO).
 */
export type PostDecisionInput = "post" | "global+post";

/** The training config's KL settings a penalty schedule reads. */
export interface PenaltySettings {
  /** β at the start of an episode once the penalty is on. */
  klCoef: number;
  /** The KL a minibatch may reach before β doubles / the batch is skipped. */
  klTarget: number;
  /** Which KL decides the skip: to π_ref ("reference") or to the behaviour policy. */
  klGuard: "reference" | "behaviour";
}

/** The part of the run's counters a penalty schedule keeps (saved in checkpoints). */
export interface PenaltyState {
  /** The penalty is on (OSPO: from the first evaluation that did not improve). */
  klEnabled: boolean;
}

/**
 * The schedule of β, the weight of KL(π‖π_ref), over a run. The trainer calls `episodeStart`
 * before an episode's minibatches, `afterBatch` after each minibatch's loss, `afterEvaluation`
 * after each greedy evaluation, and keeps π_ref (the best evaluated policy) iff `usesReference`.
 */
export interface PenaltySchedule {
  readonly usesReference: boolean;
  /** β of the episode's first minibatch, or null: no penalty (and no π_ref pass) this episode. */
  episodeStart(state: PenaltyState, settings: PenaltySettings): number | null;
  /** After a minibatch's loss: β of the next minibatch, and whether to drop this one's step. */
  afterBatch(
    stats: PolicyStats,
    beta: number,
    settings: PenaltySettings,
  ): { beta: number; skip: boolean };
  /** After an evaluation (`improved`: it is the best so far). */
  afterEvaluation(improved: boolean, state: PenaltyState): void;
}

export interface Algorithm {
  readonly name: string;
  /** One line for help texts and logs. */
  readonly summary: string;
  readonly critic: CriticInput;
  /**
   * A second critic on the post-decision state, or absent. The trainer creates, records and
   * regresses it (on `Advantages.postReturns`); the environment must declare post-decision
   * features (`EnvSpec.postDecisionFeatureDim`).
   */
  readonly postDecisionCritic?: PostDecisionInput;
  /** z-score the advantages of each minibatch before the loss (PPO practice). */
  readonly normalizeAdvantages: boolean;
  readonly surrogate: Surrogate;
  readonly penalty: PenaltySchedule;
  advantages(log: DecisionLog, settings: AdvantageSettings): Advantages;
}
