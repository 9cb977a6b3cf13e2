import type { RewardConfig } from "./config.ts";

/** What the reward of one matched (vehicle, order) pair is computed from. */
export interface PairOutcome {
  /** Direct (shortest) trip distance of the order, metres. */
  directDistanceM: number;
  /** Travel time from the vehicle to the order's pickup, seconds. */
  pickupTimeS: number;
  /** Onboard / scheduled orders whose trip time would exceed `lateAfterS` after the insertion. */
  lateOrders: number;
  /** Increase of the summed trip times of the orders already on the vehicle's schedule, seconds. */
  addedTimeS: number;
  /** The new order's own trip from now: its pickup wait plus its ride, seconds. */
  newTripS: number;
}

/**
 * The added time the reward prices: the delay to the orders already scheduled ("onboard"), or
 * that plus the new order's own pickup wait and ride ("with-new-trip", OSPO's `time_add`: the
 * increase of the summed trip times on board including the new rider's, which prices pickup
 * time once more).
 */
export function pricedAddedTime(cfg: RewardConfig, o: PairOutcome): number {
  return cfg.addedTime === "with-new-trip" ? o.addedTimeS + o.newTripS : o.addedTimeS;
}

/**
 * OSPO's one-step reward of a matched vehicle (DESIGN §2), with configurable coefficients:
 * r = 3 + 1·d_km − 3·t_pickup_h − 1·n_late − 3·Δt_added_h − 5·max(0, Δt_added − 40 min)_h,
 * Δt_added as `pricedAddedTime` says.
 *
 * @example
 * // a 2 km trip, 6 min pickup, nothing on board: 3 + 2 − 3·0.1 = 4.7 ("onboard");
 * // with-new-trip also prices the 6 + 10 min of the new trip: 4.7 − 3·(16/60) = 3.9
 * oneStepReward(cfg, { directDistanceM: 2000, pickupTimeS: 360, lateOrders: 0, addedTimeS: 0, newTripS: 960 });
 */
export function oneStepReward(cfg: RewardConfig, o: PairOutcome): number {
  const added = pricedAddedTime(cfg, o);
  const excessH = Math.max(0, added - cfg.excessAfterS) / 3600;
  return (
    cfg.base +
    cfg.perKm * (o.directDistanceM / 1000) +
    cfg.perPickupHour * (o.pickupTimeS / 3600) +
    cfg.perLateOrder * o.lateOrders +
    cfg.perAddedHour * (added / 3600) +
    cfg.perExcessAddedHour * excessH
  );
}

/** Names of the reward's components, in the order of `rewardComponents` and `rewardWeights`. */
export const REWARD_COMPONENT_NAMES = [
  "base",
  "distanceKm",
  "pickupHours",
  "lateOrders",
  "addedHours",
  "excessHours",
] as const;

/** The coefficient of each component: oneStepReward = Σ_j weights[j]·components[j]. */
export function rewardWeights(cfg: RewardConfig): number[] {
  return [
    cfg.base,
    cfg.perKm,
    cfg.perPickupHour,
    cfg.perLateOrder,
    cfg.perAddedHour,
    cfg.perExcessAddedHour,
  ];
}

/**
 * The six components of a matched pair's reward (for learners that normalise them one by one,
 * e.g. GDPO): [1, d_km, t_pickup_h, n_late, Δt_added_h, max(0, Δt_added − excessAfter)_h], with
 * Δt_added = `pricedAddedS` (pricedAddedTime). Their weighted sum is `oneStepReward`.
 *
 * @example
 * // 2 km, 6 min pickup, nothing added: [1, 2, 0.1, 0, 0, 0]; · [3, 1, −3, −1, −3, −5] = 4.7
 * writeRewardComponents(cfg, 2000, 360, 0, 0, out, 0);
 */
export function writeRewardComponents(
  cfg: RewardConfig,
  directDistanceM: number,
  pickupTimeS: number,
  lateOrders: number,
  pricedAddedS: number,
  out: Float32Array,
  at: number,
): void {
  out[at] = 1;
  out[at + 1] = directDistanceM / 1000;
  out[at + 2] = pickupTimeS / 3600;
  out[at + 3] = lateOrders;
  out[at + 4] = pricedAddedS / 3600;
  out[at + 5] = Math.max(0, pricedAddedS - cfg.excessAfterS) / 3600;
}
