/**
 * Moving the fleet forward in time. A vehicle drives its stop list along shortest paths; between
 * decisions it is represented by the next road node it will reach and the time it gets there
 * (`startNode`, `startTime` of its schedule), which is exact for planning: a shortest path's
 * sub-paths are shortest paths, so planning from that node loses nothing.
 */
import { type FleetSchedule, popStop, setVehicleStart, type TravelTime } from "./schedule.ts";
import type { OrderTable } from "./schedule-orders.ts";

/** What movement needs from the road network (the city's travel-time oracle satisfies it). */
export interface PathOracle {
  time(from: number, to: number): number;
  /** Times from every node to `to` (one column; the "many vehicles to one pickup" query). */
  timesTo(to: number): Float32Array;
  distance(from: number, to: number): number;
  path(from: number, to: number): Int32Array;
}

/** Called for every stop served: kind is PICKUP or DROPOFF, time in seconds of the day. */
export type StopListener = (vehicle: number, order: number, kind: number, time: number) => void;

/** Per-vehicle driving totals, metres and passenger-seconds. */
export interface DrivingTotals {
  distance: Float64Array;
  emptyDistance: Float64Array;
  /** Integral of onboard passengers over time, up to `occupancyUntil`. */
  passengerSeconds: Float64Array;
  /** Time each vehicle's passengerSeconds is integrated up to. */
  occupancyClock: Float64Array;
}

export function createDrivingTotals(vehicles: number, start: number): DrivingTotals {
  return {
    distance: new Float64Array(vehicles),
    emptyDistance: new Float64Array(vehicles),
    passengerSeconds: new Float64Array(vehicles),
    occupancyClock: new Float64Array(vehicles).fill(start),
  };
}

/**
 * Advance every vehicle to time `until`: serve every stop reached by then (calling `onStop`),
 * then move part-way along the current leg: the vehicle commits to the first node on its path
 * that it reaches after `until`, and that node becomes its start.
 * Idle vehicles wait where they are (their start time becomes `until`).
 * Occupancy is integrated only up to `occupancyUntil` (the end of the demand window).
 */
export function advanceFleet(
  fleet: FleetSchedule,
  orders: OrderTable,
  oracle: PathOracle,
  until: number,
  totals: DrivingTotals,
  occupancyUntil: number,
  onStop: StopListener,
): void {
  const tt: TravelTime = (a, b) => oracle.time(a, b);
  for (let v = 0; v < fleet.vehicles; v++) {
    for (;;) {
      const base = v * fleet.maxStops;
      if (fleet.stopCount[v] === 0) {
        if (fleet.startTime[v] < until) setVehicleStart(fleet, v, fleet.startNode[v], until, tt);
        break;
      }
      const from = fleet.startNode[v];
      const target = fleet.stopNode[base];
      const arrival = fleet.startTime[v] + fleet.stopLeg[base];
      if (arrival <= until) {
        addDistance(
          totals,
          v,
          fleet.onboard[v],
          from === target ? 0 : oracle.distance(from, target),
        );
        integrateOccupancy(totals, v, fleet.onboard[v], arrival, occupancyUntil);
        const kind = fleet.stopKind[base];
        const order = popStop(fleet, v, orders);
        onStop(v, order, kind, arrival);
        continue;
      }
      // Still on its way to its start node (committed to it before `until`): nothing moves yet.
      if (fleet.startTime[v] >= until || from === target) break;
      // Part-way: walk the path to the first node reached after `until`.
      const path = oracle.path(from, target);
      const total = oracle.time(from, target);
      // Scale path times to the schedule's leg (they differ only if the hour's profile changed).
      const scale = total > 0 ? fleet.stopLeg[base] / total : 1;
      let k = 1;
      let t = fleet.startTime[v] + oracle.time(from, path[1]) * scale;
      while (t <= until && k < path.length - 1) {
        k++;
        t = fleet.startTime[v] + oracle.time(from, path[k]) * scale;
      }
      addDistance(totals, v, fleet.onboard[v], oracle.distance(from, path[k]));
      setVehicleStart(fleet, v, path[k], t, tt);
      // Keep the schedule's total leg time: the remaining leg is the rest of the original one.
      fleet.stopLeg[base] = arrival - t;
      break;
    }
  }
  for (let v = 0; v < fleet.vehicles; v++)
    integrateOccupancy(totals, v, fleet.onboard[v], until, occupancyUntil);
}

function addDistance(totals: DrivingTotals, v: number, onboard: number, metres: number): void {
  totals.distance[v] += metres;
  if (onboard === 0) totals.emptyDistance[v] += metres;
}

function integrateOccupancy(
  totals: DrivingTotals,
  v: number,
  onboard: number,
  time: number,
  occupancyUntil: number,
): void {
  const to = Math.min(time, occupancyUntil);
  const from = totals.occupancyClock[v];
  if (to > from) {
    totals.passengerSeconds[v] += onboard * (to - from);
    totals.occupancyClock[v] = to;
  }
}
