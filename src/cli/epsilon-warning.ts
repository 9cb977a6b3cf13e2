/**
 * A warning when a run's ε schedule leaves it exploring at the end of its budget: with the
 * published decay 0.99, a 60-episode run ends at ε ≈ 0.55 and the learner plays mostly at random.
 */
import { epsilonDecayOf, type TrainConfig } from "../training/train-config.ts";

/** Above this final ε a warning is printed. */
export const MAX_FINAL_EPSILON = 0.2;

/** ε in the last episode of the budget: max(floor, ε0 · d^(episodes − 1)). */
export function finalEpsilon(
  c: Pick<TrainConfig, "epsilon" | "epsilonDecay" | "epsilonFloor" | "episodes">,
): number {
  return Math.max(c.epsilonFloor, c.epsilon * epsilonDecayOf(c) ** (c.episodes - 1));
}

/** The warning's text, or null when the schedule ends below MAX_FINAL_EPSILON. */
export function epsilonWarning(
  c: Pick<TrainConfig, "epsilon" | "epsilonDecay" | "epsilonFloor" | "episodes" | "exploration">,
): string | null {
  if (c.exploration !== "epsilon-greedy") return null;
  const end = finalEpsilon(c);
  if (end <= MAX_FINAL_EPSILON) return null;
  return (
    `warning: ε is still ${end.toFixed(2)} in episode ${c.episodes} (ε decay ${c.epsilonDecay} per episode): ` +
    `the policy explores at random most of the run; --epsilon-decay auto brings ε to 0.01 at half the budget`
  );
}

/** Commander parser of `--epsilon-decay`: a number in (0, 1] or "auto" (the schema checks the range). */
export function epsilonDecayFlag(value: string): number | "auto" {
  return value.trim() === "auto" ? "auto" : Number(value);
}
