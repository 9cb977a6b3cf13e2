/**
 * IPPO: PPO per agent with a shared critic on the agent's own features; GAE over each agent's
 * semi-Markov decision sequence (γ per minute, λ per decision); advantages z-scored per
 * minibatch; no KL penalty.
 */

import { semiMarkovGae } from "./advantages.ts";
import { clippedSurrogate } from "./objectives.ts";
import { noPenalty } from "./penalties.ts";
import type { Algorithm } from "./recipe.ts";

export const ippo: Algorithm = {
  name: "ippo",
  summary: "PPO with a per-agent critic and semi-Markov GAE",
  critic: "agent",
  normalizeAdvantages: true,
  surrogate: clippedSurrogate,
  penalty: noPenalty,
  advantages: (log, s) =>
    semiMarkovGae(
      { agent: log.agent, time: log.time, reward: log.reward, value: log.value },
      log.end,
      { gamma: s.gamma, lambda: s.gaeLambda },
    ),
};
