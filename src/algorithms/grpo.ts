/**
 * GRPO for fleets: rewards z-scored over the whole episode (the fleet is the group), then each
 * agent's discounted reward-to-go with γ^Δt between its decisions; no critic; same loss and KL
 * schedule as OSPO.
 */

import { groupRelativeRewardToGo } from "./advantages.ts";
import type { Algorithm } from "./algorithm.ts";

export const grpo: Algorithm = {
  name: "grpo",
  summary: "episode z-scored reward-to-go per agent (γ per minute), critic-free",
  critic: "none",
  normalizeAdvantages: false,
  adaptiveKl: true,
  advantages: (log, s) => ({
    advantages: groupRelativeRewardToGo(
      { agent: log.agent, time: log.time, reward: log.reward },
      { gamma: s.gamma },
    ),
  }),
};
