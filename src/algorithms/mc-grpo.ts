/**
 * MC-GRPO (Kim 2026, arXiv:2601.22582): GRPO with the group's MEDIAN as the baseline and the
 * scaled MAD as the scale (`medianCentred`, baselines.ts) — one outlier reward in a group no
 * longer shifts every other decision's advantage, and the median decision (the pivot) gets 0.
 * Everything else is GRPO's. OSPO's per-epoch groups get the same baseline with
 * `--algo ospo` and `train.baseline: median`.
 */
import { grpo, grpoAdvantages } from "./grpo.ts";
import type { Algorithm } from "./recipe.ts";

export const mcGrpo: Algorithm = {
  ...grpo,
  name: "mc-grpo",
  summary: "GRPO with a median-centred group baseline (robust to outlier rewards)",
  advantages: (log, s) => grpoAdvantages(log, s, "median"),
};
