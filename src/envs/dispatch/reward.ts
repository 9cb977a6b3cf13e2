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
}

/**
 * OSPO's one-step reward of a matched vehicle (DESIGN §2), with configurable coefficients:
 * r = 3 + 1·d_km − 3·t_pickup_h − 1·n_late − 3·Δt_added_h − 5·max(0, Δt_added − 40 min)_h
 *
 * @example
 * // a 2 km trip, 6 min pickup, nothing on board: 3 + 2 − 3·0.1 = 4.7
 * oneStepReward(cfg, { directDistanceM: 2000, pickupTimeS: 360, lateOrders: 0, addedTimeS: 0 });
 */
export function oneStepReward(cfg: RewardConfig, o: PairOutcome): number {
  const excessH = Math.max(0, o.addedTimeS - cfg.excessAfterS) / 3600;
  return (
    cfg.base +
    cfg.perKm * (o.directDistanceM / 1000) +
    cfg.perPickupHour * (o.pickupTimeS / 3600) +
    cfg.perLateOrder * o.lateOrders +
    cfg.perAddedHour * (o.addedTimeS / 3600) +
    cfg.perExcessAddedHour * excessH
  );
}
