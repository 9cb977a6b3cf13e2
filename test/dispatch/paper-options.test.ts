/**
 * The environment options behind the `ospo-paper` scenario (deadline, candidate set, availability,
 * added time, start positions), each on the hand-made line world (line-world.ts: 11 nodes, 60 s
 * and 500 m per edge) with answers computed by hand.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { assignPairs } from "../../src/envs/dispatch/assign.ts";
import { type DispatchConfig, DispatchConfigSchema } from "../../src/envs/dispatch/config.ts";
import { minEtaDispatcher } from "../../src/envs/dispatch/dispatchers.ts";
import { EventType } from "../../src/envs/dispatch/event-log.ts";
import { type EpisodeMetrics, episodeMetrics } from "../../src/envs/dispatch/metrics.ts";
import { OrderStatus } from "../../src/envs/dispatch/orders.ts";
import { DispatchSimulator, nearestPerVehicle } from "../../src/envs/dispatch/simulator.ts";
import { dropoffNodesBefore } from "../../src/envs/dispatch/world.ts";
import { LINE_NODES, lineWorld } from "./line-world.ts";

type Input = Record<string, unknown>;
const cfg = (over: Input): DispatchConfig => DispatchConfigSchema.parse(over);

/** A simulator reset with its vehicles placed at `nodes` (idle, at the start time). */
function simAt(
  demand: { requestTime: number[]; pickupNode: number[]; dropoffNode: number[] },
  nodes: number[],
  config: Input,
): DispatchSimulator {
  const world = lineWorld({
    requestTime: Float64Array.from(demand.requestTime),
    pickupNode: Int32Array.from(demand.pickupNode),
    dropoffNode: Int32Array.from(demand.dropoffNode),
  });
  const sim = new DispatchSimulator(world, cfg({ vehicles: nodes.length, ...config }));
  sim.reset(1);
  nodes.forEach((n, v) => {
    sim.fleet.startNode[v] = n;
  });
  return sim;
}

test("deadline: pickup loses an order the fleet cannot reach in maxWait; assignment serves it late", () => {
  // Order at node 10 → 9 requested at 30 s; the vehicle at node 0 is 600 s away; maxWait 300.
  const demand = { requestTime: [30], pickupNode: [10], dropoffNode: [9] };
  const base = { epochs: 6, maxWait: 300, maxPickupEta: 900 };
  const pickup = simAt(demand, [0], { ...base, deadline: "pickup" });
  finishEpisode(pickup);
  assert.equal(pickup.orders.status[0], OrderStatus.Lost);

  const assignment = simAt(demand, [0], { ...base, deadline: "assignment" });
  finishEpisode(assignment);
  // Assigned at the first decision (60 s), picked up 600 s later, dropped off 60 s after that.
  assert.equal(assignment.orders.assignTime[0], 60);
  assert.equal(assignment.orders.pickupTime[0], 660);
  assert.equal(assignment.orders.dropoffTime[0], 720);
  assert.equal(assignment.orders.status[0], OrderStatus.Delivered);
});

test("deadline: assignment loses an order still unassigned maxWait after its request, at that time", () => {
  // The only vehicle is 660 s away, beyond maxPickupEta = 600: never a candidate.
  const sim = simAt({ requestTime: [30], pickupNode: [10], dropoffNode: [9] }, [0], {
    epochs: 8,
    maxWait: 300,
    maxPickupEta: 500,
    deadline: "assignment",
  });
  finishEpisode(sim);
  assert.equal(sim.orders.status[0], OrderStatus.Lost);
  const lost = sim.log.type.indexOf(EventType.Lost);
  assert.equal(sim.log.count(EventType.Lost), 1);
  assert.equal(sim.log.time[lost], 330);
});

test("candidates: all = every available vehicle × every pending order; ordersPerVehicle keeps the nearest", () => {
  // Vehicles at nodes 0 and 10; orders at nodes 2, 5, 9 (all requested at 0 s).
  const demand = { requestTime: [0, 0, 0], pickupNode: [2, 5, 9], dropoffNode: [3, 6, 8] };
  const config = { maxWait: 900, maxPickupEta: 900, capacity: 3 };
  const nearest = simAt(demand, [0, 10], { ...config, candidatesPerOrder: 1 });
  nearest.advance();
  const one = nearest.candidates();
  // Each order's nearest vehicle: 2 → v0, 5 → v0 (300 s vs 300 s: the lower id), 9 → v1.
  assert.deepEqual(pairList(one), ["0:0", "0:1", "1:2"]);

  const all = simAt(demand, [0, 10], { ...config, candidates: "all" });
  all.advance();
  const c = all.candidates();
  assert.deepEqual(pairList(c), ["0:0", "0:1", "0:2", "1:0", "1:1", "1:2"]);
  // Vehicle 1 (node 10) to order 0's pickup (node 2): 8 edges.
  assert.equal(c.eta[3], 480);

  const capped = simAt(demand, [0, 10], { ...config, candidates: "all", ordersPerVehicle: 2 });
  capped.advance();
  // v0: etas 120, 300, 540 → orders 0, 1; v1: 480, 300, 60 → orders 1, 2.
  assert.deepEqual(pairList(capped.candidates()), ["0:0", "0:1", "1:1", "1:2"]);
});

test("nearestPerVehicle keeps each vehicle's k smallest etas, ties by slot", () => {
  const keep = nearestPerVehicle(
    2,
    Int32Array.of(0, 0, 0, 1, 1),
    Int32Array.of(0, 1, 2, 0, 1),
    Float64Array.of(30, 10, 10, 5, 6),
    5,
    1,
  );
  assert.deepEqual(Array.from(keep), [0, 1, 0, 1, 0]);
});

test("availability: no-pending-pickup takes a vehicle out until its pickup is made", () => {
  // Order 0: node 5 → 6 at 0 s; order 1: node 1 → 2 at 60 s. One vehicle at node 0, capacity 3.
  const demand = { requestTime: [0, 60], pickupNode: [5, 1], dropoffNode: [6, 2] };
  const config = { maxWait: 900, maxPickupEta: 900, epochs: 10 };
  for (const [availability, expectPairs] of [
    ["free-seat", 1],
    ["no-pending-pickup", 0],
  ] as const) {
    const sim = simAt(demand, [0], { ...config, availability });
    sim.advance(); // 60 s: order 0 pending
    sim.assign(sim.candidates(), Int32Array.of(0)); // pickup at 60 + 300 = 360 s
    sim.advance(); // 120 s: order 1 pending, order 0 not yet picked up
    assert.equal(sim.candidates().pairCount, expectPairs, availability);
    assert.equal(sim.isAvailable(0), expectPairs === 1);
  }
  // After the pickup (360 s) the vehicle is available again under either rule.
  const sim = simAt(demand, [0], { ...config, availability: "no-pending-pickup" });
  sim.advance();
  sim.assign(sim.candidates(), Int32Array.of(0));
  for (let t = 0; t < 6; t++) {
    sim.advance();
    sim.assign(sim.candidates(), new Int32Array(0));
  }
  assert.equal(sim.now, 420);
  assert.equal(sim.isAvailable(0), true);
});

test("added time with-new-trip: the reward also prices the new rider's pickup wait and ride", () => {
  // Vehicle at node 0, order 3 → 8 requested at 30 s: at 60 s, eta 180 s, ride 300 s (2.5 km).
  const demand = { requestTime: [30], pickupNode: [3], dropoffNode: [8] };
  const onboard = simAt(demand, [0], {});
  onboard.advance();
  // 3 + 2.5 − 3·(180/3600) = 5.35
  assert.ok(Math.abs(onboard.candidates().reward[0] - 5.35) < 1e-9);
  const withTrip = simAt(demand, [0], { reward: { addedTime: "with-new-trip" } });
  withTrip.advance();
  // 5.35 − 3·(480/3600) = 4.95
  assert.ok(Math.abs(withTrip.candidates().reward[0] - 4.95) < 1e-9);
});

test("initial positions: zones draws a zone then a node of it; recent-dropoffs uses the world's pool", () => {
  const world = lineWorld({
    requestTime: new Float64Array(0),
    pickupNode: new Int32Array(0),
    dropoffNode: new Int32Array(0),
  });
  world.zoneNodes = [Int32Array.of(0), Int32Array.of(7, 8)];
  world.dropoffNodesBefore = (t) => (t === 7200 ? Int32Array.of(4) : Int32Array.of(9));
  const place = (initialPositions: DispatchConfig["initialPositions"]) => {
    const sim = new DispatchSimulator(
      world,
      cfg({ vehicles: 400, startHour: 2, initialPositions }),
    );
    sim.reset(5);
    return Array.from(sim.fleet.startNode);
  };
  const zones = place("zones");
  const atZero = zones.filter((n) => n === 0).length;
  assert.ok(zones.every((n) => n === 0 || n === 7 || n === 8));
  // Half the fleet in each zone (binomial, 400 draws: 200 ± 3σ = 30).
  assert.ok(Math.abs(atZero - 200) < 30, `zone 0 got ${atZero} of 400`);
  // The pool of the hour before 02:00 (7200 s).
  assert.ok(place("recent-dropoffs").every((n) => n === 4));
  const uniform = place("uniform");
  assert.ok(uniform.every((n) => n >= 0 && n < LINE_NODES));
  assert.ok(new Set(uniform).size > 8);
});

test("dropoffNodesBefore: trips that ended in the hour before, on the day's clock, wrapping midnight", () => {
  const day = 86_400;
  // Drop-offs at 23:30, 00:10 of the next day, 17:30, 18:10; nodes 1..4.
  const time = Float64Array.of(84_600, day + 600, 63_000, 65_400);
  const nodes = Int32Array.of(1, 2, 3, 4);
  assert.deepEqual(Array.from(dropoffNodesBefore(time, nodes, 0)), [1]); // 23:00–24:00
  assert.deepEqual(Array.from(dropoffNodesBefore(time, nodes, 3600)), [2]); // 00:00–01:00
  assert.deepEqual(Array.from(dropoffNodesBefore(time, nodes, 18 * 3600)), [3]);
  // No trip ended 11:00–12:00: every drop-off of the day.
  assert.deepEqual(Array.from(dropoffNodesBefore(time, nodes, 12 * 3600)), [1, 2, 3, 4]);
  // Unplaced drop-offs (−1) never enter the pool.
  assert.deepEqual(Array.from(dropoffNodesBefore(time, Int32Array.of(-1, 2, 3, 4), 0)), [2, 3, 4]);
});

test("ospo-paper-like options on the line world: min-eta serves every order, conformance of counts", () => {
  const demand = {
    requestTime: [0, 10, 70, 75],
    pickupNode: [1, 9, 4, 6],
    dropoffNode: [5, 2, 8, 0],
  };
  const sim = simAt(demand, [0, 10], {
    epochs: 4,
    deadline: "assignment",
    candidates: "all",
    availability: "no-pending-pickup",
    maxPickupEta: 3600,
    maxDetour: 3600,
    reward: { addedTime: "with-new-trip" },
  });
  const metrics = finishEpisode(sim);
  assert.equal(metrics.requested, 4);
  assert.equal(metrics.served, 4);
  assert.equal(metrics.lost, 0);
});

function pairList(c: { pairCount: number; pairVehicle: Int32Array; pairSlot: Int32Array }) {
  return Array.from({ length: c.pairCount }, (_, p) => `${c.pairVehicle[p]}:${c.pairSlot[p]}`);
}

/**
 * Play an already reset simulator to the end under min-eta (runEpisode would reset it and lose
 * the hand-placed fleet).
 */
function finishEpisode(sim: DispatchSimulator): EpisodeMetrics {
  while (!sim.done) {
    sim.advance();
    const c = sim.candidates();
    sim.assign(c, assignPairs(c, minEtaDispatcher.scores(c, sim.rng, sim), "matching"));
  }
  sim.finish();
  return episodeMetrics(sim);
}
