/**
 * Insertion search throughput: evaluations per second and oracle calls per evaluation for
 * vehicles holding 0..6 stops (capacity 3, 8 stop slots), on a random 4000 × 4000 Float32
 * travel-time matrix (60–1800 s, zero diagonal; not metric, so early exits are conservative).
 *
 * Scenarios for the new order: "loose" (no binding limit: every position is walked, the worst
 * case) and "default" (maxWait 300 s, maxDetour 600 s: most positions die early on the deadline).
 * Orders already in the schedules have loose limits so the current lists stay feasible.
 *
 * Run: npx tsx bench/insertion.ts
 */
import { Rng } from "../src/core/rng.ts";
import { bestInsertion, createInsertionResult } from "../src/envs/dispatch/insertion.ts";
import {
  applyInsertion,
  createFleetSchedule,
  popStop,
  type TravelTime,
} from "../src/envs/dispatch/schedule.ts";
import {
  createOrderTable,
  DEFAULT_ORDER_LIMITS,
  setOrder,
} from "../src/envs/dispatch/schedule-orders.ts";

const NODES = 4000;
const VEHICLES = 1000;
const NEW_ORDERS = 2000;
const EVALS = 400_000;
const CAPACITY = 3;
const MAX_STOPS = 8;
const LOOSE = { maxWait: 1e9, maxDetour: 1e9, maxDetourFactor: 0 };

const rng = new Rng(7);
const matrix = new Float32Array(NODES * NODES);
for (let a = 0; a < NODES; a++)
  for (let b = 0; b < NODES; b++)
    matrix[a * NODES + b] = a === b ? 0 : Math.round(60 + 1740 * rng.uniform());
const tt: TravelTime = (a, b) => matrix[a * NODES + b];
let calls = 0;
const countingTt: TravelTime = (a, b) => {
  calls++;
  return matrix[a * NODES + b];
};

const now = 3600;
// Ids [0, 2·NEW_ORDERS) are the new orders evaluated; the orders placed in schedules follow.
const SCHEDULED_FROM = 2 * NEW_ORDERS;
const orders = createOrderTable(SCHEDULED_FROM + VEHICLES * CAPACITY);
let nextOrder = 0;
function newOrder(limits: typeof LOOSE): number {
  const id = nextOrder++;
  const p = rng.int(NODES);
  const d = rng.int(NODES);
  setOrder(orders, id, p, d, now, tt(p, d), limits);
  return id;
}

/** A fleet whose every vehicle holds exactly `stops` stops, built through the public API. */
function fleetWithStops(stops: number) {
  nextOrder = SCHEDULED_FROM;
  const fleet = createFleetSchedule(VEHICLES, CAPACITY, MAX_STOPS);
  const res = createInsertionResult();
  for (let v = 0; v < VEHICLES; v++) {
    fleet.startNode[v] = rng.int(NODES);
    fleet.startTime[v] = now;
    while (fleet.stopCount[v] < stops) {
      const o = newOrder(LOOSE);
      bestInsertion(fleet, v, orders, o, tt, res);
      if (!res.feasible) throw new Error("loose insertion failed");
      applyInsertion(fleet, v, orders, o, res.pickupIndex, res.dropoffIndex, tt);
    }
    while (fleet.stopCount[v] > stops) popStop(fleet, v, orders);
    fleet.startTime[v] = now; // the vehicle is at its start node now
  }
  return fleet;
}

const looseOrders = Array.from({ length: NEW_ORDERS }, () => newOrder(LOOSE));
const defaultOrders = Array.from({ length: NEW_ORDERS }, () => newOrder(DEFAULT_ORDER_LIMITS));

console.log(
  `insertion bench: ${NODES}x${NODES} random Float32 tt (60-1800 s), capacity ${CAPACITY}, ` +
    `${MAX_STOPS} stop slots, ${VEHICLES} vehicles, ${EVALS} evaluations per row`,
);
console.log("scenario  stops   evals/s     us/eval  tt calls/eval  feasible");
const res = createInsertionResult();
for (const [name, pool] of [
  ["loose", looseOrders],
  ["default", defaultOrders],
] as const) {
  for (let stops = 0; stops <= 6; stops++) {
    const fleet = fleetWithStops(stops);
    // Warm-up, then the timed run.
    for (let k = 0; k < 20_000; k++)
      bestInsertion(fleet, k % VEHICLES, orders, pool[k % NEW_ORDERS], countingTt, res);
    calls = 0;
    let feasible = 0;
    const t0 = process.hrtime.bigint();
    for (let k = 0; k < EVALS; k++) {
      bestInsertion(fleet, k % VEHICLES, orders, pool[(k * 7) % NEW_ORDERS], countingTt, res);
      if (res.feasible) feasible++;
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    console.log(
      `${name.padEnd(8)}  ${String(stops).padStart(5)}  ${(EVALS / seconds).toExponential(2).padStart(9)}` +
        `  ${((seconds / EVALS) * 1e6).toFixed(2).padStart(9)}  ${(calls / EVALS).toFixed(2).padStart(13)}` +
        `  ${((100 * feasible) / EVALS).toFixed(1).padStart(7)}%`,
    );
  }
}
