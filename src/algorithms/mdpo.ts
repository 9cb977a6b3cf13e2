/**
 * On-policy MDPO on GRPO's advantages: the linearised objective plus a KL proximity term to the
 * policy that collected the episode (`mirrorDescentSurrogate`, surrogates.ts), the episode's
 * minibatch steps as MDPO's several gradient steps, no clipping, and no KL penalty to π_ref
 * (the proximity term is the trust region).
 */
import { grpo } from "./grpo.ts";
import { noPenalty } from "./penalties.ts";
import type { Algorithm } from "./recipe.ts";
import { mirrorDescentSurrogate } from "./surrogates.ts";

export const mdpo: Algorithm = {
  ...grpo,
  name: "mdpo",
  summary: "mirror descent: linearised objective + KL to the behaviour policy, no clipping",
  surrogate: mirrorDescentSurrogate,
  penalty: noPenalty,
};
