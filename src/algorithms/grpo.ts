/**
 * GRPO for fleets, critic-free, same loss and KL schedule as OSPO. The fleet is the group; the
 * `grpoAdvantage` setting picks how: "z-rewards" — rewards z-scored over the whole episode, then
 * each agent's discounted reward-to-go (γ^Δt between its decisions); "step-returns" — each
 * decision's raw discounted return-to-go z-scored against the fleet's at the same step.
 */

import { groupRelativeRewardToGo, stepGroupRelativeReturn } from "./advantages.ts";
import { clippedSurrogate } from "./objectives.ts";
import { adaptiveKlPenalty } from "./penalties.ts";
import type { Algorithm } from "./recipe.ts";

export const grpo: Algorithm = {
  name: "grpo",
  summary: "episode z-scored reward-to-go per agent (γ per minute), critic-free",
  critic: "none",
  normalizeAdvantages: false,
  surrogate: clippedSurrogate,
  penalty: adaptiveKlPenalty,
  advantages: (log, s) => ({
    advantages:
      s.grpoAdvantage === "step-returns"
        ? stepGroupRelativeReturn(
            { agent: log.agent, step: log.step, time: log.time, reward: log.reward },
            { gamma: s.gamma },
          )
        : groupRelativeRewardToGo(
            { agent: log.agent, time: log.time, reward: log.reward },
            { gamma: s.gamma },
          ),
  }),
};
