/**
 * PDPPO (post-decision PPO with dual critics, post-decision.ts) on IPPO and on MAPPO: IPPO's
 * pieces plus a second critic on each agent's post-decision features, the advantage from both
 * (`dualCriticAdvantage`, combined as `train.postDecisionAdvantage` says: the paper's max by
 * default). `pdmappo` reads the global state before both critics' inputs, as MAPPO does.
 */
import { ippo } from "./ippo.ts";
import { dualCriticAdvantage } from "./post-decision.ts";
import type { Algorithm, DecisionLog } from "./recipe.ts";

export const pdppo: Algorithm = {
  ...ippo,
  name: "pdppo",
  summary: "IPPO with a second critic on the post-decision state; A = max of the two advantages",
  postDecisionCritic: "post",
  advantages: (log, s) =>
    dualCriticAdvantage(
      {
        agent: log.agent,
        time: log.time,
        reward: log.reward,
        value: log.value,
        postValue: postValues(log),
      },
      log.end,
      { gamma: s.gamma, lambda: s.gaeLambda, combine: s.postDecisionAdvantage },
    ),
};

export const pdmappo: Algorithm = {
  ...pdppo,
  name: "pdmappo",
  summary: "MAPPO with a second (global + post-decision) critic; A = max of the two advantages",
  critic: "global+agent",
  postDecisionCritic: "global+post",
};

function postValues(log: DecisionLog): Float32Array {
  if (!log.postValue)
    throw new RangeError("pdppo: the decision log has no post-decision values (postValue)");
  return log.postValue;
}
