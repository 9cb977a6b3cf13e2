/**
 * What a trip table looks like at a glance (for `fleetrl data inspect` and reports): trips per
 * local hour of day and the busiest pickup zones.
 */
import type { TripTable } from "./trip-table.ts";
import type { ZoneLookup } from "./zone-lookup.ts";

export interface ZoneCount {
  zone: number;
  name: string;
  borough: string;
  trips: number;
}

export interface TripSummary {
  /** Pickups per local hour of day 0..23 (all dates together). */
  tripsPerHour: number[];
  /** Busiest pickup zones, most trips first (ties by zone id). */
  topPickupZones: ZoneCount[];
  /** Kept trips whose pickup has no zone id (located by coordinates only). */
  pickupsWithoutZone: number;
  /** Median trip duration in seconds (NaN when there are no trips). */
  medianDurationS: number;
}

/**
 * @example
 * summarizeTrips(trips, zoneLookup(), 10).tripsPerHour[6]; // 854 on the shipped day
 */
export function summarizeTrips(trips: TripTable, lookup: ZoneLookup, top = 10): TripSummary {
  const tripsPerHour = new Array<number>(24).fill(0);
  const perZone = new Map<number, number>();
  let pickupsWithoutZone = 0;
  const durations = new Float64Array(trips.count);
  for (let i = 0; i < trips.count; i++) {
    const t = trips.pickupTime[i];
    tripsPerHour[Math.floor((t - Math.floor(t / 86400) * 86400) / 3600)]++;
    const z = trips.puZone[i];
    if (z >= 0) perZone.set(z, (perZone.get(z) ?? 0) + 1);
    else pickupsWithoutZone++;
    durations[i] = trips.dropoffTime[i] - t;
  }
  durations.sort();
  const topPickupZones = [...perZone]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, top)
    .map(([zone, n]) => ({
      zone,
      name: lookup.name[zone] ?? "",
      borough: lookup.borough[zone] ?? "",
      trips: n,
    }));
  const medianDurationS =
    trips.count === 0
      ? Number.NaN
      : trips.count % 2
        ? durations[(trips.count - 1) / 2]
        : (durations[trips.count / 2 - 1] + durations[trips.count / 2]) / 2;
  return { tripsPerHour, topPickupZones, pickupsWithoutZone, medianDurationS };
}
