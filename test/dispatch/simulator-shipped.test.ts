/**
 * End-to-end episodes on the shipped Manhattan day with every non-learning dispatcher; the
 * invariants are checked against the event log and the order table.
 */
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { DispatchConfigSchema } from "../../src/envs/dispatch/config.ts";
import { BASELINE_DISPATCHERS, minEtaDispatcher } from "../../src/envs/dispatch/dispatchers.ts";
import { runEpisode } from "../../src/envs/dispatch/episode.ts";
import { EventType } from "../../src/envs/dispatch/event-log.ts";
import { OrderStatus } from "../../src/envs/dispatch/orders.ts";
import { DispatchSimulator } from "../../src/envs/dispatch/simulator.ts";
import { type LoadedWorld, loadWorld } from "../../src/envs/dispatch/world.ts";
import { scenarioByName } from "../../src/experiments/scenarios.ts";

const small = { vehicles: 300, epochs: 10, startHour: 0, sampleFraction: 0.95 };
const config = DispatchConfigSchema.parse(small);
/** The ospo-paper scenario's semantics (assignment deadline, all candidates, …) at the same size. */
const paper = DispatchConfigSchema.parse({ ...scenarioByName("ospo-paper").env, ...small });
let world: LoadedWorld;
before(async () => {
  world = await loadWorld(config);
});

function checkInvariants(sim: DispatchSimulator): void {
  const { orders, log, config: cfg } = sim;
  const assigned = new Int32Array(orders.count);
  for (let i = 0; i < log.type.length; i++) {
    if (log.type[i] === EventType.Assign) assigned[log.order[i]]++;
  }
  for (let o = 0; o < orders.count; o++) {
    assert.ok(assigned[o] <= 1, `order ${o} assigned ${assigned[o]} times`);
    const st = orders.status[o];
    if (st === OrderStatus.Delivered) {
      assert.ok(
        orders.assignTime[o] >= orders.requestTime[o],
        `order ${o} assigned before request`,
      );
      assert.ok(
        orders.pickupTime[o] >= orders.assignTime[o],
        `order ${o} picked up before assignment`,
      );
      assert.ok(
        orders.pickupTime[o] <= orders.pickupDeadline[o] + 1e-6,
        `order ${o} picked up late`,
      );
      assert.ok(orders.dropoffTime[o] > orders.pickupTime[o], `order ${o} dropped before pickup`);
      const ride = orders.dropoffTime[o] - orders.pickupTime[o];
      assert.ok(
        ride <= orders.maxRideTime[o] + 1e-6,
        `order ${o} rode ${ride} s > ${orders.maxRideTime[o]}`,
      );
    } else {
      // After finish() every order is either delivered, lost or was never requested.
      assert.ok(
        st === OrderStatus.Lost || st === OrderStatus.Future,
        `order ${o} left in status ${st}`,
      );
    }
  }
  // Capacity: replay boardings per vehicle in log order.
  const onboard = new Int32Array(cfg.vehicles);
  for (let i = 0; i < log.type.length; i++) {
    const v = log.vehicle[i];
    if (log.type[i] === EventType.Pickup) {
      onboard[v]++;
      assert.ok(onboard[v] <= cfg.capacity, `vehicle ${v} over capacity`);
    } else if (log.type[i] === EventType.Dropoff) {
      onboard[v]--;
      assert.ok(onboard[v] >= 0, `vehicle ${v} dropped off nobody`);
    }
  }
  assert.ok(onboard.every((n) => n === 0));
  // Assignment deadline: nothing is assigned more than maxWait after its request.
  if (cfg.deadline === "assignment") {
    for (let o = 0; o < orders.count; o++) {
      if (orders.status[o] !== OrderStatus.Delivered) continue;
      assert.ok(orders.assignTime[o] <= orders.requestTime[o] + cfg.maxWait, `order ${o} late`);
    }
  }
  // No pending pickup: a vehicle's next assignment comes only after its last pickup.
  if (cfg.availability === "no-pending-pickup") {
    const awaiting = new Int32Array(cfg.vehicles);
    for (let i = 0; i < log.type.length; i++) {
      const v = log.vehicle[i];
      if (log.type[i] === EventType.Assign) {
        assert.equal(awaiting[v], 0, `vehicle ${v} assigned while a pickup is pending`);
        awaiting[v] = 1;
      } else if (log.type[i] === EventType.Pickup) awaiting[v] = 0;
    }
  }
}

for (const [scenario, cfg] of [
  ["manhattan-peak", config],
  ["ospo-paper", paper],
] as const)
  for (const dispatcher of BASELINE_DISPATCHERS) {
    test(`${scenario}, ${dispatcher.name}: invariants and metrics consistent with the event log`, () => {
      const sim = new DispatchSimulator(world, cfg);
      const { metrics } = runEpisode(sim, dispatcher, 7);
      checkInvariants(sim);
      const { log } = sim;
      assert.equal(metrics.requested, log.count(EventType.Request));
      assert.equal(metrics.served, log.count(EventType.Assign));
      assert.equal(metrics.served, log.count(EventType.Pickup));
      assert.equal(metrics.served, log.count(EventType.Dropoff));
      assert.equal(metrics.lost, log.count(EventType.Lost));
      assert.equal(metrics.served + metrics.lost, metrics.requested);
      assert.ok(metrics.requested > 500, `only ${metrics.requested} requests in 10 min at 00:00`);
      // ospo-paper's random dispatch sends vehicles on long pickups: 300 of them serve ~43%.
      assert.ok(metrics.serviceRate > 0.3, `service rate ${metrics.serviceRate}`);
      assert.ok(metrics.emptyDistanceKm <= metrics.distanceKm);
      assert.ok(metrics.occupancy > 0 && metrics.occupancy <= cfg.capacity);
      assert.equal(log.snapshots.length, cfg.epochs);
      const summed = Array.from(sim.income).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(summed - metrics.episodeReward) < 1e-6);
    });
  }

test("same seed ⇒ identical metrics; different seed ⇒ different demand sample", () => {
  const run = (seed: number) => {
    const sim = new DispatchSimulator(world, config);
    const r = runEpisode(sim, minEtaDispatcher, seed);
    return {
      metrics: r.metrics,
      requests: Array.from(sim.orders.requestTime),
      pu: Array.from(sim.orders.pickupNode),
    };
  };
  const a = run(11);
  const b = run(11);
  const c = run(12);
  assert.deepEqual(a.metrics, b.metrics);
  assert.deepEqual(a.pu, b.pu);
  assert.notDeepEqual(a.pu, c.pu);
});

test("min-eta matching beats random dispatch on pickup time", () => {
  const eta = runEpisode(new DispatchSimulator(world, config), minEtaDispatcher, 5).metrics;
  const random = runEpisode(
    new DispatchSimulator(world, config),
    BASELINE_DISPATCHERS[0],
    5,
  ).metrics;
  assert.ok(eta.meanPickupS < random.meanPickupS, `${eta.meanPickupS} vs ${random.meanPickupS}`);
});

test("the episode's sampleFraction decides its demand, not the fraction the world was loaded with", () => {
  // The world was loaded with sampleFraction 0.95; an evaluation episode asks for every trip.
  const full = new DispatchSimulator(world, { ...config, sampleFraction: 1 });
  const sampled = new DispatchSimulator(world, config);
  full.reset(3);
  sampled.reset(3);
  const ratio = sampled.orders.count / full.orders.count;
  assert.ok(Math.abs(ratio - 0.95) < 0.01, `sampled/full = ${ratio}`);
});
