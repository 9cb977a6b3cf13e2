/**
 * Vehicle schedules for the whole fleet in struct-of-arrays layout: each vehicle owns a fixed
 * block of `maxStops` slots in the stop arrays, so nothing is allocated while the simulator runs.
 *
 * A vehicle is (or will next be) at `startNode` at `startTime`, carries `onboard` passengers and
 * then visits its stops in order. Stop k of vehicle v lives at index `v * maxStops + k`.
 * `stopLeg` caches the travel time into each stop from the one before it (from `startNode` for
 * stop 0), so arrival times never need the travel-time oracle again; the functions here keep it
 * in step with every change of the stop list or of the start.
 */
import type { OrderTable } from "./schedule-orders.ts";

/** Node-to-node travel time in seconds (the road-graph oracle). Must be >= 0. */
export type TravelTime = (from: number, to: number) => number;

export const PICKUP = 0;
export const DROPOFF = 1;

export interface FleetSchedule {
  readonly vehicles: number;
  readonly capacity: number;
  /** Slots per vehicle; an insertion needs two free ones. */
  readonly maxStops: number;
  readonly startNode: Int32Array;
  readonly startTime: Float64Array;
  readonly onboard: Int32Array;
  readonly stopCount: Int32Array;
  readonly stopNode: Int32Array;
  readonly stopOrder: Int32Array;
  /** PICKUP or DROPOFF. */
  readonly stopKind: Uint8Array;
  /** Travel time into the stop from the previous stop (from startNode for stop 0). */
  readonly stopLeg: Float64Array;
}

/**
 * An empty fleet schedule: every vehicle at node 0 at time 0 with no stops.
 *
 * @example
 * const fleet = createFleetSchedule(1000, 3); // 6 stop slots per vehicle
 * setVehicleStart(fleet, 0, 1234, 3600, tt);
 */
export function createFleetSchedule(
  vehicles: number,
  capacity: number,
  maxStops = 2 * capacity,
): FleetSchedule {
  for (const [name, value, min] of [
    ["vehicles", vehicles, 0],
    ["capacity", capacity, 1],
    ["maxStops", maxStops, 2],
  ] as const) {
    if (!Number.isInteger(value) || value < min)
      throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
  }
  const slots = vehicles * maxStops;
  return {
    vehicles,
    capacity,
    maxStops,
    startNode: new Int32Array(vehicles),
    startTime: new Float64Array(vehicles),
    onboard: new Int32Array(vehicles),
    stopCount: new Int32Array(vehicles),
    stopNode: new Int32Array(slots),
    stopOrder: new Int32Array(slots),
    stopKind: new Uint8Array(slots),
    stopLeg: new Float64Array(slots),
  };
}

/** Travel time between two nodes, 0 without asking the oracle when they are the same node. */
export function legTime(from: number, to: number, tt: TravelTime): number {
  return from === to ? 0 : tt(from, to);
}

/**
 * Moves vehicle `v`'s start to (`node`, `time`) and refreshes the leg into its first stop.
 * Call it when the vehicle moves along its route, and every epoch for an idle vehicle with
 * `time` = now: an insertion plans from `startTime`, so it must never lie in the past.
 */
export function setVehicleStart(
  fleet: FleetSchedule,
  v: number,
  node: number,
  time: number,
  tt: TravelTime,
): void {
  fleet.startNode[v] = node;
  fleet.startTime[v] = time;
  if (fleet.stopCount[v] > 0) {
    const first = v * fleet.maxStops;
    fleet.stopLeg[first] = legTime(node, fleet.stopNode[first], tt);
  }
}

/**
 * Fills `out[k]` with the arrival time at stop k of vehicle `v` and returns the stop count.
 * No oracle calls: it sums the cached legs.
 */
export function scheduleTimes(fleet: FleetSchedule, v: number, out: Float64Array): number {
  const n = fleet.stopCount[v];
  const base = v * fleet.maxStops;
  let t = fleet.startTime[v];
  for (let k = 0; k < n; k++) {
    t += fleet.stopLeg[base + k];
    out[k] = t;
  }
  return n;
}

/**
 * Inserts order `order`'s pickup before current stop `i` and its drop-off before current stop
 * `j` (j >= i; j = i puts the drop-off right after the pickup; i = stopCount appends), exactly
 * as `bestInsertion` reports them. Asks the oracle for the (at most four) new legs.
 */
export function applyInsertion(
  fleet: FleetSchedule,
  v: number,
  orders: OrderTable,
  order: number,
  i: number,
  j: number,
  tt: TravelTime,
): void {
  const n = fleet.stopCount[v];
  if (n + 2 > fleet.maxStops) throw new RangeError(`vehicle ${v}: no room for two more stops`);
  if (!(0 <= i && i <= j && j <= n))
    throw new RangeError(`vehicle ${v}: bad insertion positions i=${i} j=${j} (stops: ${n})`);
  const base = v * fleet.maxStops;
  const { stopNode, stopOrder, stopKind, stopLeg } = fleet;
  // Shift [j, n) right by two and [i, j) right by one, then write the new pickup and drop-off.
  for (const arr of [stopNode, stopOrder, stopKind, stopLeg]) {
    arr.copyWithin(base + j + 2, base + j, base + n);
    arr.copyWithin(base + i + 1, base + i, base + j);
  }
  const p = base + i;
  const d = base + j + 1;
  stopNode[p] = orders.pickupNode[order];
  stopOrder[p] = order;
  stopKind[p] = PICKUP;
  stopNode[d] = orders.dropoffNode[order];
  stopOrder[d] = order;
  stopKind[d] = DROPOFF;
  fleet.stopCount[v] = n + 2;
  // Legs whose predecessor changed: into the pickup, after it, into the drop-off, after it.
  const end = base + n + 2;
  for (const k of [p, p + 1, d, d + 1]) {
    if (k >= end) continue;
    const prev = k === base ? fleet.startNode[v] : stopNode[k - 1];
    stopLeg[k] = legTime(prev, stopNode[k], tt);
  }
}

/**
 * The vehicle has reached its first stop: serves it and returns its order id. A pickup records
 * the order's pickup time and boards it; a drop-off unboards it. The stop becomes the vehicle's
 * start, at its arrival time. Read the stop's kind (`stopKind[v * maxStops]`) before if needed.
 */
export function popStop(fleet: FleetSchedule, v: number, orders: OrderTable): number {
  const n = fleet.stopCount[v];
  if (n === 0) throw new RangeError(`vehicle ${v}: no stop to pop`);
  const base = v * fleet.maxStops;
  const time = fleet.startTime[v] + fleet.stopLeg[base];
  const order = fleet.stopOrder[base];
  if (fleet.stopKind[base] === PICKUP) {
    orders.pickupTime[order] = time;
    fleet.onboard[v]++;
  } else {
    fleet.onboard[v]--;
  }
  fleet.startNode[v] = fleet.stopNode[base];
  fleet.startTime[v] = time;
  // The old leg into stop 1 started at the popped stop, which is the new start: still valid.
  for (const arr of [fleet.stopNode, fleet.stopOrder, fleet.stopKind, fleet.stopLeg])
    arr.copyWithin(base, base + 1, base + n);
  fleet.stopCount[v] = n - 1;
  return order;
}
