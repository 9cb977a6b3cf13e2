/**
 * KL-penalty schedules (the `penalty` piece of a recipe, recipe.ts).
 */
import type { PenaltySchedule } from "./recipe.ts";

/** No KL penalty and no reference policy (PPO, IPPO, MAPPO). */
export const noPenalty: PenaltySchedule = {
  usesReference: false,
  episodeStart: () => null,
  afterBatch: (_stats, beta) => ({ beta, skip: false }),
  afterEvaluation: () => {},
};

/**
 * OSPO's adaptive KL penalty to the best evaluated policy π_ref (DESIGN §3). Off until the first
 * evaluation that does not improve; from then on every episode restarts at β = klCoef. After
 * each minibatch: KL(π‖π_ref) above klTarget doubles β for the next one, and the minibatch is
 * skipped when the guard KL is above the target. The guard is `klGuard`: "reference" (the
 * published rule) skips while KL(π‖π_ref) > target — once π has drifted that far it can never
 * move back, and training freezes for good; "behaviour" (default) skips once π has moved more
 * than the target from this episode's behaviour policy: a per-episode trust region.
 *
 * @example
 * const s = { klCoef: 0.5, klTarget: 0.01, klGuard: "behaviour" as const };
 * adaptiveKlPenalty.episodeStart({ klEnabled: true }, s); // 0.5
 * adaptiveKlPenalty.afterBatch({ refKl: 0.02, approxKl: 0.001 } as PolicyStats, 0.5, s);
 * // { beta: 1, skip: false }
 */
export const adaptiveKlPenalty: PenaltySchedule = {
  usesReference: true,
  episodeStart: (state, s) => (state.klEnabled ? s.klCoef : null),
  afterBatch: (stats, beta, s) => {
    const guardKl = s.klGuard === "reference" ? stats.refKl : stats.approxKl;
    return { beta: stats.refKl > s.klTarget ? beta * 2 : beta, skip: guardKl > s.klTarget };
  },
  afterEvaluation: (improved, state) => {
    if (!improved) state.klEnabled = true;
  },
};
