/**
 * GRPO for fleets, critic-free, same loss and KL schedule as OSPO. The fleet is the group; the
 * `grpoAdvantage` setting picks how: "z-rewards" — rewards z-scored over the whole episode, then
 * each agent's discounted reward-to-go (γ^Δt between its decisions); "step-returns" — each
 * decision's raw discounted return-to-go z-scored against the fleet's at the same step.
 * `baseline` (baselines.ts) swaps the z-score for another normaliser; the group's spread (of the
 * step's returns, or of the episode's rewards) is passed on for per-group surrogates (ETR).
 */

import {
  discountedReturns,
  groupRelativeRewardToGo,
  stepGroupRelativeReturn,
} from "./advantages.ts";
import { BASELINES, groupSpread } from "./baselines.ts";
import { clippedSurrogate } from "./objectives.ts";
import { adaptiveKlPenalty } from "./penalties.ts";
import type { AdvantageSettings, Advantages, Algorithm, DecisionLog } from "./recipe.ts";

export const grpo: Algorithm = {
  name: "grpo",
  summary: "episode z-scored reward-to-go per agent (γ per minute), critic-free",
  critic: "none",
  normalizeAdvantages: false,
  surrogate: clippedSurrogate,
  penalty: adaptiveKlPenalty,
  advantages: (log, s) => grpoAdvantages(log, s, "mean"),
};

/** GRPO's advantages with `fallback` as the baseline unless the settings name one. */
export function grpoAdvantages(
  log: DecisionLog,
  s: AdvantageSettings,
  fallback: keyof typeof BASELINES,
): Advantages {
  const samples = { agent: log.agent, step: log.step, time: log.time, reward: log.reward };
  const options = { gamma: s.gamma, baseline: BASELINES[s.baseline ?? fallback] };
  if (s.grpoAdvantage === "step-returns")
    return {
      advantages: stepGroupRelativeReturn(samples, options),
      groupSpread: groupSpread(log.step, discountedReturns(samples, s.gamma)),
    };
  return {
    advantages: groupRelativeRewardToGo(samples, options),
    groupSpread: groupSpread(new Int32Array(log.agent.length), log.reward),
  };
}
