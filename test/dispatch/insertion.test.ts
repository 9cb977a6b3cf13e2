import assert from "node:assert/strict";
import { test } from "node:test";
import { Rng } from "../../src/core/rng.ts";
import { bestInsertion, type InsertionResult } from "../../src/envs/dispatch/insertion.ts";
import {
  applyInsertion,
  createFleetSchedule,
  DROPOFF,
  type FleetSchedule,
  PICKUP,
  popStop,
  scheduleTimes,
  type TravelTime,
} from "../../src/envs/dispatch/schedule.ts";
import {
  createOrderTable,
  type OrderTable,
  setOrder,
} from "../../src/envs/dispatch/schedule-orders.ts";

/** Nodes on a line, one minute apart: tt(a, b) = |a − b| · 60 s. */
const line: TravelTime = (a, b) => Math.abs(a - b) * 60;

type Stop = [node: number, order: number, kind: number];

/** Puts vehicle v at (node, time) with the given onboard count and stop list; legs from tt. */
function setVehicle(
  fleet: FleetSchedule,
  v: number,
  node: number,
  time: number,
  onboard: number,
  stops: Stop[],
  tt: TravelTime,
): void {
  const base = v * fleet.maxStops;
  fleet.startNode[v] = node;
  fleet.startTime[v] = time;
  fleet.onboard[v] = onboard;
  fleet.stopCount[v] = stops.length;
  let prev = node;
  stops.forEach(([n, o, kind], k) => {
    fleet.stopNode[base + k] = n;
    fleet.stopOrder[base + k] = o;
    fleet.stopKind[base + k] = kind;
    fleet.stopLeg[base + k] = prev === n ? 0 : tt(prev, n);
    prev = n;
  });
}

/** Order with explicit limits (no derived defaults), for hand-made cases. */
function order(
  orders: OrderTable,
  id: number,
  from: number,
  to: number,
  o: { deadline?: number; maxRide?: number; pickedUpAt?: number } = {},
): void {
  setOrder(orders, id, from, to, 0, line(from, to));
  orders.pickupDeadline[id] = o.deadline ?? 1e9;
  orders.maxRideTime[id] = o.maxRide ?? 1e9;
  orders.pickupTime[id] = o.pickedUpAt ?? Number.NaN;
}

test("empty vehicle: go to the pickup, then the drop-off", () => {
  // Vehicle at node 0 at t=0; order 2 -> 5: pickup at 120 s, drop-off at 300 s.
  const fleet = createFleetSchedule(1, 3);
  const orders = createOrderTable(1);
  order(orders, 0, 2, 5);
  setVehicle(fleet, 0, 0, 0, 0, [], line);
  const r = bestInsertion(fleet, 0, orders, 0, line);
  assert.deepEqual(pick(r), {
    feasible: true,
    pickupIndex: 0,
    dropoffIndex: 0,
    pickupEta: 120,
    dropoffEta: 300,
    addedRouteTime: 300,
    addedPassengerTime: 0,
    detour: 0,
    nLate: 0,
  });
  assert.equal(r.ttCalls, 2);
});

test("added passenger time and n_late by hand; an onboard detour bound moves the best", () => {
  // Vehicle at 5, t=0, carrying A (picked up at -2000) to node 10: base drop-off at 300.
  // New order B: 3 -> 8 (direct 300 s).
  //   (0,0) P3@120 D8@420 DA@540: route +240, A delayed 240 (ride 2540 > 2400: late)
  //   (0,1) P3@120 DA@540 D8@660: route +360
  //   (1,1) DA@300 P3@720 D8@1020: route +720, A not delayed
  const fleet = createFleetSchedule(1, 3);
  const orders = createOrderTable(2);
  order(orders, 0, 0, 10, { pickedUpAt: -2000 });
  order(orders, 1, 3, 8);
  setVehicle(fleet, 0, 5, 0, 1, [[10, 0, DROPOFF]], line);
  assert.deepEqual(pick(bestInsertion(fleet, 0, orders, 1, line)), {
    feasible: true,
    pickupIndex: 0,
    dropoffIndex: 0,
    pickupEta: 120,
    dropoffEta: 420,
    addedRouteTime: 240,
    addedPassengerTime: 240,
    detour: 0,
    nLate: 1,
  });
  // A must be dropped by -2000 + 2500 = 500: only (1,1) keeps that.
  orders.maxRideTime[0] = 2500;
  assert.deepEqual(pick(bestInsertion(fleet, 0, orders, 1, line)), {
    feasible: true,
    pickupIndex: 1,
    dropoffIndex: 1,
    pickupEta: 720,
    dropoffEta: 1020,
    addedRouteTime: 720,
    addedPassengerTime: 0,
    detour: 0,
    nLate: 0,
  });
  // ... and if B must also be picked up by 600, nothing works.
  orders.pickupDeadline[1] = 600;
  assert.equal(bestInsertion(fleet, 0, orders, 1, line).feasible, false);
  // B's own ride bound: (0,0) needs 300 s of ride; 299 s is not enough.
  orders.maxRideTime[0] = 1e9;
  orders.pickupDeadline[1] = 1e9;
  orders.maxRideTime[1] = 299;
  assert.equal(bestInsertion(fleet, 0, orders, 1, line).feasible, false);
});

test("pickup deadline missed", () => {
  // Vehicle at 0 at t=0, order picked up at node 10: arrival 600 > deadline 300.
  const fleet = createFleetSchedule(1, 3);
  const orders = createOrderTable(1);
  order(orders, 0, 10, 12, { deadline: 300 });
  setVehicle(fleet, 0, 0, 0, 0, [], line);
  assert.equal(bestInsertion(fleet, 0, orders, 0, line).feasible, false);
  orders.pickupDeadline[0] = 600; // exactly on time is on time
  assert.equal(bestInsertion(fleet, 0, orders, 0, line).pickupEta, 600);
});

test("capacity full: the pickup cannot come before the onboard drop-off", () => {
  // Vehicle at 5 carrying A to 10 (at 300). New B: 4 -> 3, deadline 200.
  // Capacity 2: (0,0) P4@60 D3@120 DA@540. Capacity 1: the pickup must wait until after DA
  // (arrival 660 > 200), so nothing is feasible.
  const orders = createOrderTable(2);
  order(orders, 0, 0, 10, { pickedUpAt: 0 });
  order(orders, 1, 4, 3, { deadline: 200 });
  const two = createFleetSchedule(1, 2);
  setVehicle(two, 0, 5, 0, 1, [[10, 0, DROPOFF]], line);
  const r = bestInsertion(two, 0, orders, 1, line);
  assert.deepEqual(
    [r.feasible, r.pickupIndex, r.dropoffIndex, r.addedRouteTime],
    [true, 0, 0, 240],
  );
  const one = createFleetSchedule(1, 1, 4);
  setVehicle(one, 0, 5, 0, 1, [[10, 0, DROPOFF]], line);
  assert.equal(bestInsertion(one, 0, orders, 1, line).feasible, false);
});

test("no room for two more stops: infeasible without asking the oracle", () => {
  const fleet = createFleetSchedule(1, 1); // 2 slots
  const orders = createOrderTable(2);
  order(orders, 0, 1, 2);
  order(orders, 1, 3, 4);
  setVehicle(fleet, 0, 0, 0, 0, [[1, 0, PICKUP]], line);
  const r = bestInsertion(fleet, 0, orders, 1, line);
  assert.deepEqual([r.feasible, r.ttCalls], [false, 0]);
});

test("ties go to the earliest positions", () => {
  // Vehicle at 0 carrying A to 4. New B: 2 -> 4. (0,0) and (0,1) both add 0 s; (1,1) adds 240.
  const fleet = createFleetSchedule(1, 3);
  const orders = createOrderTable(2);
  order(orders, 0, 0, 4, { pickedUpAt: 0 });
  order(orders, 1, 2, 4);
  setVehicle(fleet, 0, 0, 0, 1, [[4, 0, DROPOFF]], line);
  const r = bestInsertion(fleet, 0, orders, 1, line);
  assert.deepEqual([r.pickupIndex, r.dropoffIndex, r.addedRouteTime], [0, 0, 0]);
});

test("a stop that fails between the new pickup and drop-off ends that scan (calls by hand)", () => {
  // Vehicle at 0, t=0, stops P_A@1 (deadline 60) then D_A@3: base times 60, 180. New B: 2 -> 4.
  // i=0: tt(0,2): pickup 120. j=0: tt(2,4), tt(4,1): P_A at 420 > 60. Growing the prefix:
  //      tt(2,1): P_A at 180 > 60 fails before any drop-off -> no j >= 1 (tt(1,4) never asked).
  // i=1: tt(1,2): pickup 120. j=1: D at 240, tt(4,3): D_A at 300 (+120). Prefix: tt(2,3):
  //      D_A at 180. j=2: tt(3,4): D at 240 (+60, best).
  // i=2: tt(3,2): pickup 240, D at 360 (+180).  Calls: 9.
  const fleet = createFleetSchedule(1, 3);
  const orders = createOrderTable(2);
  order(orders, 0, 1, 3, { deadline: 60 });
  order(orders, 1, 2, 4);
  setVehicle(
    fleet,
    0,
    0,
    0,
    0,
    [
      [1, 0, PICKUP],
      [3, 0, DROPOFF],
    ],
    line,
  );
  const r = bestInsertion(fleet, 0, orders, 1, line);
  assert.deepEqual(
    [r.pickupIndex, r.dropoffIndex, r.pickupEta, r.dropoffEta, r.addedRouteTime, r.ttCalls],
    [1, 2, 120, 240, 60, 9],
  );
});

test("applyInsertion + scheduleTimes + popStop agree with the reported ETAs", () => {
  const fleet = createFleetSchedule(1, 3);
  const orders = createOrderTable(2);
  order(orders, 0, 0, 10, { pickedUpAt: -2000 });
  order(orders, 1, 3, 8);
  setVehicle(fleet, 0, 5, 0, 1, [[10, 0, DROPOFF]], line);
  const r = bestInsertion(fleet, 0, orders, 1, line);
  applyInsertion(fleet, 0, orders, 1, r.pickupIndex, r.dropoffIndex, line);
  const times = new Float64Array(fleet.maxStops);
  assert.equal(scheduleTimes(fleet, 0, times), 3);
  assert.deepEqual([...times.subarray(0, 3)], [120, 420, 540]);
  assert.deepEqual([...fleet.stopNode.subarray(0, 3)], [3, 8, 10]);
  assert.deepEqual([...fleet.stopKind.subarray(0, 3)], [PICKUP, DROPOFF, DROPOFF]);
  assert.equal(popStop(fleet, 0, orders), 1);
  assert.deepEqual([orders.pickupTime[1], fleet.onboard[0], fleet.startNode[0]], [120, 2, 3]);
  assert.equal(popStop(fleet, 0, orders), 1);
  assert.equal(popStop(fleet, 0, orders), 0);
  assert.deepEqual([fleet.onboard[0], fleet.startTime[0], fleet.stopCount[0]], [0, 540, 0]);
  assert.throws(() => popStop(fleet, 0, orders), /no stop/);
});

test("setOrder derives deadline and ride bound; bad sizes are refused", () => {
  const orders = createOrderTable(1);
  setOrder(orders, 0, 1, 2, 100, 400, { maxWait: 300, maxDetour: 60, maxDetourFactor: 0.5 });
  assert.deepEqual([orders.pickupDeadline[0], orders.maxRideTime[0]], [400, 660]);
  assert.ok(Number.isNaN(orders.pickupTime[0]));
  assert.throws(() => createFleetSchedule(2, 0), /capacity/);
  assert.throws(() => createOrderTable(-1), /size/);
});

// ---------------------------------------------------------------------------------------------
// Property test: the search agrees with a brute force that rebuilds every candidate stop list.

interface Walk {
  feasible: boolean;
  end: number;
  dropTime: Map<number, number>;
  pickTime: Map<number, number>;
  rides: number[];
}

function walkFromScratch(
  fleet: FleetSchedule,
  v: number,
  orders: OrderTable,
  stops: Stop[],
  tt: TravelTime,
): Walk {
  let t = fleet.startTime[v];
  let load = fleet.onboard[v];
  let prev = fleet.startNode[v];
  let feasible = stops.length <= fleet.maxStops;
  const dropTime = new Map<number, number>();
  const pickTime = new Map<number, number>();
  const rides: number[] = [];
  for (const [node, o, kind] of stops) {
    t += tt(prev, node);
    prev = node;
    if (kind === PICKUP) {
      pickTime.set(o, t);
      load++;
      if (t > orders.pickupDeadline[o] || load > fleet.capacity) feasible = false;
    } else {
      const ride = t - (pickTime.get(o) ?? orders.pickupTime[o]);
      load--;
      if (ride > orders.maxRideTime[o]) feasible = false;
      dropTime.set(o, t);
      rides.push(ride);
    }
  }
  return { feasible, end: t, dropTime, pickTime, rides };
}

function bruteForce(
  fleet: FleetSchedule,
  v: number,
  orders: OrderTable,
  o: number,
  tt: TravelTime,
): ReturnType<typeof pick> {
  const base = v * fleet.maxStops;
  const stops: Stop[] = [];
  for (let k = 0; k < fleet.stopCount[v]; k++)
    stops.push([fleet.stopNode[base + k], fleet.stopOrder[base + k], fleet.stopKind[base + k]]);
  const before = walkFromScratch(fleet, v, orders, stops, tt);
  let best: ReturnType<typeof pick> = {
    feasible: false,
    pickupIndex: -1,
    dropoffIndex: -1,
    pickupEta: Number.NaN,
    dropoffEta: Number.NaN,
    addedRouteTime: Number.NaN,
    addedPassengerTime: Number.NaN,
    detour: Number.NaN,
    nLate: 0,
  };
  for (let i = 0; i <= stops.length; i++) {
    for (let j = i; j <= stops.length; j++) {
      const cand: Stop[] = [
        ...stops.slice(0, i),
        [orders.pickupNode[o], o, PICKUP],
        ...stops.slice(i, j),
        [orders.dropoffNode[o], o, DROPOFF],
        ...stops.slice(j),
      ];
      const w = walkFromScratch(fleet, v, orders, cand, tt);
      const cost = w.end - (stops.length ? before.end : fleet.startTime[v]);
      if (!w.feasible || (best.feasible && cost >= best.addedRouteTime)) continue;
      let added = 0;
      for (const [id, t] of before.dropTime) added += w.dropTime.get(id)! - t;
      const pickupEta = w.pickTime.get(o)!;
      const dropoffEta = w.dropTime.get(o)!;
      best = {
        feasible: true,
        pickupIndex: i,
        dropoffIndex: j,
        pickupEta,
        dropoffEta,
        addedRouteTime: cost,
        addedPassengerTime: added,
        detour: dropoffEta - pickupEta - orders.directTime[o],
        nLate: w.rides.filter((r) => r > 40 * 60).length,
      };
    }
  }
  return best;
}

function pick(r: InsertionResult) {
  const { ttCalls: _, ...rest } = r;
  return rest;
}

/** Small random city: metric (grid Manhattan distance) or an arbitrary non-metric matrix. */
function randomTravelTime(rng: Rng, nodes: number): TravelTime {
  const m = new Float64Array(nodes * nodes);
  if (rng.uniform() < 0.5) {
    const x = Array.from({ length: nodes }, () => rng.int(10));
    const y = Array.from({ length: nodes }, () => rng.int(10));
    for (let a = 0; a < nodes; a++)
      for (let b = 0; b < nodes; b++)
        m[a * nodes + b] = (Math.abs(x[a] - x[b]) + Math.abs(y[a] - y[b])) * 60;
  } else {
    for (let a = 0; a < nodes; a++)
      for (let b = 0; b < nodes; b++) m[a * nodes + b] = a === b ? 0 : 30 * (1 + rng.int(30));
  }
  return (a, b) => m[a * nodes + b];
}

test("best insertion matches brute force on random small instances; oracle asked once per pair", () => {
  const rng = new Rng(20240601);
  let feasibleCount = 0;
  let feasibleLong = 0;
  const instances = 10000;
  for (let trial = 0; trial < instances; trial++) {
    const nodes = 3 + rng.int(8);
    const tt = randomTravelTime(rng, nodes);
    const capacity = 1 + rng.int(3);
    const fleet = createFleetSchedule(2, capacity, 2 * capacity + rng.int(3));
    const v = rng.int(2);
    const orders = createOrderTable(12);
    const now = 1000 + rng.int(600);
    const randomLimits = (id: number) => {
      setOrder(orders, id, rng.int(nodes), rng.int(nodes), now - rng.int(300), 0);
      orders.directTime[id] = tt(orders.pickupNode[id], orders.dropoffNode[id]);
      orders.pickupDeadline[id] = now + rng.int(2400);
      orders.maxRideTime[id] = orders.directTime[id] + rng.int(2400);
    };
    // Onboard orders (drop-off only) and assigned ones (pickup then drop-off), interleaved.
    const onboard = rng.int(capacity + 1);
    const assigned = rng.int(Math.floor((fleet.maxStops - onboard) / 2) + 1);
    const pending: Stop[][] = [];
    let id = 0;
    for (let k = 0; k < onboard; k++, id++) {
      randomLimits(id);
      orders.pickupTime[id] = now - rng.int(1200);
      pending.push([[orders.dropoffNode[id], id, DROPOFF]]);
    }
    for (let k = 0; k < assigned; k++, id++) {
      randomLimits(id);
      pending.push([
        [orders.pickupNode[id], id, PICKUP],
        [orders.dropoffNode[id], id, DROPOFF],
      ]);
    }
    const stops: Stop[] = [];
    while (pending.length > 0) {
      const q = rng.int(pending.length);
      stops.push(pending[q].shift()!);
      if (pending[q].length === 0) pending.splice(q, 1);
    }
    setVehicle(fleet, v, rng.int(nodes), now, onboard, stops, tt);
    const o = id;
    randomLimits(o);

    const asked = new Set<string>();
    const recording: TravelTime = (a, b) => {
      assert.notEqual(a, b, "asked the oracle for a node to itself");
      const key = `${a},${b}`;
      assert.ok(!asked.has(key), `asked twice for ${key}`);
      asked.add(key);
      return tt(a, b);
    };
    const r = bestInsertion(fleet, v, orders, o, recording);
    assert.deepEqual(pick(r), bruteForce(fleet, v, orders, o, tt), `trial ${trial}`);
    assert.equal(r.ttCalls, asked.size);
    assert.ok(r.ttCalls <= 4 * stops.length + 2);
    if (!r.feasible) continue;
    feasibleCount++;
    if (stops.length >= 3) feasibleLong++;

    // The applied schedule runs exactly as reported.
    const endBefore = stops.length ? scheduleTimesOf(fleet, v).at(-1)! : now;
    applyInsertion(fleet, v, orders, o, r.pickupIndex, r.dropoffIndex, tt);
    const times = scheduleTimesOf(fleet, v);
    assert.equal(times[r.pickupIndex], r.pickupEta);
    assert.equal(times[r.dropoffIndex + 1], r.dropoffEta);
    assert.equal(times.at(-1)! - endBefore, r.addedRouteTime);
    for (let k = 0; k < times.length; k++) {
      const arrival = fleet.startTime[v] + fleet.stopLeg[v * fleet.maxStops];
      assert.equal(arrival, times[k]);
      popStop(fleet, v, orders);
    }
    assert.equal(fleet.onboard[v], 0);
    assert.equal(orders.pickupTime[o], r.pickupEta);
  }
  // Both outcomes must be common (also on longer lists), or the comparison proves little.
  assert.ok(feasibleCount > instances * 0.2, `feasible: ${feasibleCount}`);
  assert.ok(feasibleCount < instances * 0.8, `feasible: ${feasibleCount}`);
  assert.ok(feasibleLong > instances * 0.02, `feasible with >= 3 stops: ${feasibleLong}`);
});

function scheduleTimesOf(fleet: FleetSchedule, v: number): number[] {
  const out = new Float64Array(fleet.maxStops);
  return [...out.subarray(0, scheduleTimes(fleet, v, out))];
}
