/**
 * ETR on GRPO: GRPO's advantages and KL schedule with the Elastic-Trust-Region surrogate
 * (`elasticSurrogate`, surrogates.ts): the clip range widens with |A| and with the spread of
 * the step's returns. OSPO with ETR is `--algo ospo` with `train.surrogate: etr`.
 */
import { grpo } from "./grpo.ts";
import type { Algorithm } from "./recipe.ts";
import { elasticSurrogate } from "./surrogates.ts";

export const etr: Algorithm = {
  ...grpo,
  name: "etr",
  summary: "GRPO with elastic trust regions (clip range widened by |A| and group spread)",
  surrogate: elasticSurrogate,
};
