/**
 * GBPO (group-relative Bounded Policy Optimization) for the critic-free learners: GRPO's
 * returns with the median-centred baseline (the analytic optimum of the ratio-bounded problem
 * is defined against the median) and the bounded-ratio surrogate (`boundedRatioSurrogate`,
 * surrogates.ts) in place of the clip; GRPO's KL schedule. OSPO's one-step advantage with the
 * bounded ratio is `--algo ospo` with `train.surrogate: bpo` (and `train.baseline: median`).
 */
import { grpo, grpoAdvantages } from "./grpo.ts";
import type { Algorithm } from "./recipe.ts";
import { boundedRatioSurrogate } from "./surrogates.ts";

export const bpo: Algorithm = {
  ...grpo,
  name: "bpo",
  summary: "GBPO: median-centred GRPO returns, ratio pulled to the bounded-ratio optimum",
  surrogate: boundedRatioSurrogate,
  advantages: (log, s) => grpoAdvantages(log, s, "median"),
};
