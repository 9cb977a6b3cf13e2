/**
 * Put trips on the road graph: the simulator works with node ids, a trip file gives lat/lon or
 * only a taxi zone. The City satisfies `NodeLocator`; demand does not depend on it.
 */
import type { Rng } from "../core/rng.ts";
import type { TripTable } from "./trip-table.ts";

export interface NodeLocator {
  /** The road node nearest to a point. */
  nearestNode(lat: number, lon: number): number;
  /** A random road node of a taxi zone drawn from `rng`, or −1 if the zone holds no node. */
  randomNodeInZone(zoneId: number, rng: Rng): number;
}

export interface PlacedTrips {
  puNode: Int32Array;
  doNode: Int32Array;
  /** Trips with an end that could not be placed (node −1): its zone holds no road node. */
  unplaced: number;
}

/**
 * Pickup and drop-off node of every trip: trip ends with coordinates snap to the nearest node;
 * zone-only ends go to a seeded random node of their zone (draws in trip order, pickup before
 * drop-off, so the same Rng state gives the same placement).
 *
 * @example
 * const { puNode, doNode, unplaced } = placeTrips(trips, city, rng.split("placement"));
 */
export function placeTrips(trips: TripTable, locator: NodeLocator, rng: Rng): PlacedTrips {
  const puNode = new Int32Array(trips.count);
  const doNode = new Int32Array(trips.count);
  let unplaced = 0;
  for (let i = 0; i < trips.count; i++) {
    puNode[i] = placeEnd(trips.puLat[i], trips.puLon[i], trips.puZone[i], locator, rng);
    doNode[i] = placeEnd(trips.doLat[i], trips.doLon[i], trips.doZone[i], locator, rng);
    if (puNode[i] < 0 || doNode[i] < 0) unplaced++;
  }
  return { puNode, doNode, unplaced };
}

function placeEnd(lat: number, lon: number, zone: number, locator: NodeLocator, rng: Rng): number {
  if (!Number.isNaN(lat) && !Number.isNaN(lon)) return locator.nearestNode(lat, lon);
  if (zone >= 0) {
    const node = locator.randomNodeInZone(zone, rng);
    return node >= 0 ? node : -1;
  }
  return -1;
}
