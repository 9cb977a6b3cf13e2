/**
 * OSPO (One-Step Policy Optimization): advantage = the decision's one-step reward z-scored over
 * the agents matched in the same step, minus the fairness term Δσ (advantages.ts); no critic;
 * OSPO's adaptive KL penalty to the best-so-far policy. The epoch is the group: `baseline`
 * (baselines.ts) swaps the z-score for another normaliser, and the epoch's reward spread is
 * passed on for per-group surrogates (ETR).
 */

import { oneStepGroupRelative } from "./advantages.ts";
import { BASELINES, groupSpread } from "./baselines.ts";
import { clippedSurrogate } from "./objectives.ts";
import { adaptiveKlPenalty } from "./penalties.ts";
import type { Algorithm } from "./recipe.ts";

export const ospo: Algorithm = {
  name: "ospo",
  summary: "one-step group-relative advantages with fairness term, critic-free",
  critic: "none",
  normalizeAdvantages: false,
  surrogate: clippedSurrogate,
  penalty: adaptiveKlPenalty,
  advantages: (log, s) => ({
    advantages: oneStepGroupRelative(
      { epoch: log.step, agent: log.agent, reward: log.reward },
      {
        numAgents: log.numAgents,
        fairnessCoef: s.fairnessCoef,
        baseline: BASELINES[s.baseline ?? "mean"],
      },
    ),
    groupSpread: groupSpread(log.step, log.reward),
  }),
};
