/**
 * The simulator on a hand-made world (line-world.ts): a straight road of 11 nodes, 60 s and 500 m
 * per edge, so every time and distance is known by hand.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { DispatchConfigSchema } from "../../src/envs/dispatch/config.ts";
import { minEtaDispatcher } from "../../src/envs/dispatch/dispatchers.ts";
import { runEpisode } from "../../src/envs/dispatch/episode.ts";
import { OrderStatus } from "../../src/envs/dispatch/orders.ts";
import { DispatchSimulator } from "../../src/envs/dispatch/simulator.ts";
import { lineWorld } from "./line-world.ts";

test("one vehicle, one order: assignment, pickup, drop-off and metrics at hand-computed times", () => {
  // Vehicle starts at node 0 at 0 s. Order at node 3 → node 8, requested at 30 s.
  // Epoch 0 ends at 60 s: the order is pending and assigned (eta = 3·60 = 180 s).
  // Pickup at 60 + 180 = 240 s, drop-off at 240 + 5·60 = 540 s.
  const world = lineWorld(
    {
      requestTime: Float64Array.of(30),
      pickupNode: Int32Array.of(3),
      dropoffNode: Int32Array.of(8),
    },
    0,
  );
  const config = DispatchConfigSchema.parse({ vehicles: 1, epochs: 3, startHour: 0 });
  const sim = new DispatchSimulator(world, config);
  const { metrics } = runEpisode(sim, minEtaDispatcher, 1);
  const o = sim.orders;
  assert.equal(o.status[0], OrderStatus.Delivered);
  assert.equal(o.assignTime[0], 60);
  assert.equal(o.pickupTime[0], 240);
  assert.equal(o.dropoffTime[0], 540);
  assert.equal(metrics.served, 1);
  assert.equal(metrics.meanConfirmationS, 30);
  assert.equal(metrics.meanPickupS, 180);
  assert.equal(metrics.meanWaitS, 210);
  assert.equal(metrics.meanInVehicleS, 300);
  assert.equal(metrics.meanDetourS, 0);
  assert.equal(metrics.distanceKm, 4); // 3 edges empty + 5 loaded, 500 m each
  assert.equal(metrics.emptyDistanceKm, 1.5);
  // Occupancy over the 180 s window: nobody on board before 240 s → 0.
  assert.equal(metrics.occupancy, 0);
  // Reward: 3 + 2.5 km − 3·(180/3600) = 5.35.
  assert.ok(Math.abs(metrics.episodeReward - 5.35) < 1e-9);
});

test("a moving vehicle commits to the next node: position after one epoch is mid-route", () => {
  // Order 0 at node 10 → node 0 requested at 0 s; vehicle at node 0. Assigned at 60 s,
  // the vehicle drives 60 s per edge: at 120 s it is at node 1, at 150 s between 1 and 2.
  const world = lineWorld(
    {
      requestTime: Float64Array.of(0),
      pickupNode: Int32Array.of(10),
      dropoffNode: Int32Array.of(0),
    },
    0,
  );
  const sim = new DispatchSimulator(
    world,
    DispatchConfigSchema.parse({ vehicles: 1, epochs: 5, dt: 90, maxWait: 900, maxPickupEta: 900 }),
  );
  sim.reset(3);
  sim.advance(); // to 90 s
  const c = sim.candidates();
  assert.equal(c.pairCount, 1);
  assert.equal(c.eta[0], 600);
  sim.assign(c, Int32Array.of(0));
  sim.advance(); // to 180 s: 90 s of driving from node 0 → passes node 1 at 150 s, commits to node 2 at 210 s
  assert.equal(sim.fleet.startNode[0], 2);
  assert.equal(sim.fleet.startTime[0], 210);
  // The schedule's arrival at the pickup is unchanged: 90 + 600 = 690 s.
  assert.equal(sim.fleet.startTime[0] + sim.fleet.stopLeg[0], 690);
});

test("an order nobody can reach before its deadline is lost at its deadline", () => {
  // Vehicle at node 0, order at node 10 (600 s away) with maxWait 120 s.
  const world = lineWorld(
    {
      requestTime: Float64Array.of(10),
      pickupNode: Int32Array.of(10),
      dropoffNode: Int32Array.of(9),
    },
    0,
  );
  const config = DispatchConfigSchema.parse({
    vehicles: 1,
    epochs: 4,
    maxWait: 120,
    maxPickupEta: 3000,
  });
  const sim = new DispatchSimulator(world, config);
  const { metrics } = runEpisode(sim, minEtaDispatcher, 1);
  assert.equal(sim.orders.status[0], OrderStatus.Lost);
  assert.equal(metrics.lost, 1);
  assert.equal(metrics.served, 0);
  assert.equal(metrics.serviceRate, 0);
});

test("pooling: a second order joins a vehicle that already carries one", () => {
  // Order 0: node 1 → node 9 at 0 s. Order 1: node 2 → node 8 at 60 s. One vehicle at node 0, capacity 2.
  const world = lineWorld(
    {
      requestTime: Float64Array.of(0, 60),
      pickupNode: Int32Array.of(1, 2),
      dropoffNode: Int32Array.of(9, 8),
    },
    0,
  );
  const config = DispatchConfigSchema.parse({ vehicles: 1, capacity: 2, epochs: 3 });
  const sim = new DispatchSimulator(world, config);
  const { metrics } = runEpisode(sim, minEtaDispatcher, 1);
  assert.equal(metrics.served, 2);
  assert.equal(sim.orders.vehicle[0], 0);
  assert.equal(sim.orders.vehicle[1], 0);
  // Both on board together between order 1's pickup and order 1's drop-off.
  assert.ok(sim.orders.pickupTime[1] < sim.orders.dropoffTime[0]);
  assert.ok(metrics.occupancy > 0);
});
