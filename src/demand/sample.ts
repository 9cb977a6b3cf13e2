/**
 * Seeded sub-sampling of demand: OSPO trains each episode on a fresh 95% of the day's trips.
 */
import type { Rng } from "../core/rng.ts";
import { selectTrips, type TripTable } from "./trip-table.ts";

/**
 * Exactly `round(fraction × count)` trips chosen uniformly at random, in their original order
 * (selection sampling, Knuth's Algorithm S: one uniform draw per trip). Same Rng state, same
 * sample.
 *
 * @example
 * const episode = sampleTrips(day, 0.95, new Rng(7).split("demand"));
 * episode.count === Math.round(0.95 * day.count); // true
 */
export function sampleTrips(trips: TripTable, fraction: number, rng: Rng): TripTable {
  if (!(fraction >= 0 && fraction <= 1)) {
    throw new RangeError(`sampleTrips: fraction must be in [0, 1], got ${fraction}`);
  }
  const n = trips.count;
  let needed = Math.round(fraction * n);
  const chosen = new Int32Array(needed);
  let k = 0;
  for (let i = 0; i < n && needed > 0; i++) {
    if (rng.uniform() * (n - i) < needed) {
      chosen[k++] = i;
      needed--;
    }
  }
  return selectTrips(trips, chosen);
}
