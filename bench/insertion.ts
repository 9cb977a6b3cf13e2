/**
 * Insertion search throughput: evaluations per second and oracle calls per evaluation for
 * vehicles holding 0..6 stops (capacity 3, 8 stop slots), on random Float32 travel-time matrices
 * (60–1800 s, zero diagonal; not metric, so the early exits are the conservative ones).
 *
 * Scenarios for the new order:
 * - "loose": no binding limit, so every position is walked (the worst case);
 * - "default": maxWait 300 s, maxDetour 600 s (most positions die early on the deadline).
 * Each runs on a 4000 × 4000 matrix (64 MB: every oracle call is a cache miss, as with a big
 * table) and, to show the search's own cost, on a 256 × 256 one that stays in cache.
 * Orders already in the schedules have loose limits so the current lists stay feasible.
 * Time per row: CPU time of this process (not wall time: the machine is shared), best of 3 runs.
 *
 * Run: npx tsx bench/insertion.ts
 */
import { Rng } from "../src/core/rng.ts";
import { bestInsertion, createInsertionResult } from "../src/envs/dispatch/insertion.ts";
import {
  applyInsertion,
  createFleetSchedule,
  type FleetSchedule,
  popStop,
  type TravelTime,
} from "../src/envs/dispatch/schedule.ts";
import {
  createOrderTable,
  DEFAULT_ORDER_LIMITS,
  type OrderLimits,
  setOrder,
} from "../src/envs/dispatch/schedule-orders.ts";

const VEHICLES = 1000;
const NEW_ORDERS = 2000;
const EVALS = 200_000;
const CAPACITY = 3;
const MAX_STOPS = 8;
const NOW = 3600;
const LOOSE: OrderLimits = { maxWait: 1e9, maxDetour: 1e9, maxDetourFactor: 0 };

function randomMatrix(rng: Rng, nodes: number): Float32Array {
  const m = new Float32Array(nodes * nodes);
  for (let a = 0; a < nodes; a++)
    for (let b = 0; b < nodes; b++)
      m[a * nodes + b] = a === b ? 0 : Math.round(60 + 1740 * rng.uniform());
  return m;
}

function scenario(label: string, nodes: number, newLimits: OrderLimits): void {
  const rng = new Rng(7);
  const matrix = randomMatrix(rng, nodes);
  let calls = 0;
  const tt: TravelTime = (a, b) => {
    calls++;
    return matrix[a * nodes + b];
  };
  // Ids [0, NEW_ORDERS) are the orders evaluated; the orders placed in schedules follow.
  const orders = createOrderTable(NEW_ORDERS + VEHICLES * CAPACITY);
  let nextOrder = 0;
  const newOrder = (limits: OrderLimits) => {
    const id = nextOrder++;
    const p = rng.int(nodes);
    const d = rng.int(nodes);
    setOrder(orders, id, p, d, NOW, matrix[p * nodes + d], limits);
    return id;
  };
  const pool = Array.from({ length: NEW_ORDERS }, () => newOrder(newLimits));
  const res = createInsertionResult();

  /** Every vehicle holds exactly `stops` stops, built through the public API. */
  const fleetWithStops = (stops: number): FleetSchedule => {
    nextOrder = NEW_ORDERS;
    const fleet = createFleetSchedule(VEHICLES, CAPACITY, MAX_STOPS);
    for (let v = 0; v < VEHICLES; v++) {
      fleet.startNode[v] = rng.int(nodes);
      fleet.startTime[v] = NOW;
      while (fleet.stopCount[v] < stops) {
        const o = newOrder(LOOSE);
        if (!bestInsertion(fleet, v, orders, o, tt, res).feasible) throw new Error("unreachable");
        applyInsertion(fleet, v, orders, o, res.pickupIndex, res.dropoffIndex, tt);
      }
      while (fleet.stopCount[v] > stops) popStop(fleet, v, orders);
      fleet.startTime[v] = NOW; // the vehicle is at its start node now
    }
    return fleet;
  };

  for (let stops = 0; stops <= 6; stops++) {
    const fleet = fleetWithStops(stops);
    let best = Number.POSITIVE_INFINITY;
    let feasible = 0;
    for (let rep = 0; rep < 3; rep++) {
      calls = 0;
      feasible = 0;
      const t0 = process.cpuUsage();
      for (let k = 0; k < EVALS; k++) {
        bestInsertion(fleet, k % VEHICLES, orders, pool[(k * 7) % NEW_ORDERS], tt, res);
        if (res.feasible) feasible++;
      }
      const used = process.cpuUsage(t0);
      best = Math.min(best, (used.user + used.system) / 1e6);
    }
    console.log(
      `${label.padEnd(14)} ${String(stops).padStart(5)}  ${(EVALS / best).toExponential(2).padStart(8)}` +
        `  ${((best / EVALS) * 1e6).toFixed(2).padStart(7)}  ${(calls / EVALS).toFixed(2).padStart(8)}` +
        `  ${((100 * feasible) / EVALS).toFixed(1).padStart(6)}%`,
    );
  }
}

console.log(
  `insertion bench: random Float32 tt (60-1800 s), capacity ${CAPACITY}, ${MAX_STOPS} stop slots, ` +
    `${VEHICLES} vehicles, ${NEW_ORDERS} new orders, ${EVALS} evaluations per row (CPU time, best of 3)`,
);
console.log("scenario       stops   evals/s  us/eval  tt/eval  feasible");
scenario("loose 4000", 4000, LOOSE);
scenario("default 4000", 4000, DEFAULT_ORDER_LIMITS);
scenario("loose 256", 256, LOOSE);
scenario("default 256", 256, DEFAULT_ORDER_LIMITS);
