/**
 * The replay's model of an episode on a hand-made log with known answers: where a vehicle is
 * between waypoints, order states, riders on board and the counters over time.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Episode, type EventsFile, OrderState } from "../../dashboard/src/replay-data.ts";

// Two vehicles, three orders, from t = 100:
//  order 0 (node 5 → 6): requested 100, assigned 160 to vehicle 0, picked up 190, dropped at 300
//  order 1 (node 7 → 8): requested 130, lost at 220
//  order 2 (node 9 → 4): requested 200, assigned 220 to vehicle 1, picked up 260 (never dropped)
// Vehicle 0 is at node 1 at 160, reaches 5 at 190 (pickup), 3 at 250 (snapshot), 6 at 300.
// Vehicle 1 stands at node 2 until 220 and picks up at node 9 at 260.
const FILE: EventsFile = {
  startTime: 100,
  orders: { requestTime: [100, 130, 200], pickupNode: [5, 7, 9], dropoffNode: [6, 8, 4] },
  eventTypes: ["request", "assign", "pickup", "dropoff", "lost"],
  events: {
    time: [100, 130, 160, 190, 200, 220, 220, 260, 300],
    type: [0, 0, 1, 2, 0, 1, 4, 2, 3],
    order: [0, 1, 0, 0, 2, 2, 1, 2, 0],
    vehicle: [-1, -1, 0, 0, -1, 1, -1, 1, 0],
  },
  snapshots: [
    { time: 160, node: [1, 2], at: [160, 160], onboard: [0, 0] },
    { time: 220, node: [3, 2], at: [250, 220], onboard: [1, 0] },
  ],
};

test("a vehicle moves in a straight line between its waypoints and stands still outside them", () => {
  const ep = new Episode(FILE);
  assert.equal(ep.vehicleCount, 2);
  assert.equal(ep.start, 100);
  assert.equal(ep.end, 300);
  const at = { a: 0, b: 0, f: 0 };
  ep.vehicleAt(0, 120, at); // before the first waypoint
  assert.deepEqual(at, { a: 1, b: 1, f: 0 });
  ep.vehicleAt(0, 175, at); // half way from node 1 (160) to pickup node 5 (190)
  assert.deepEqual(at, { a: 1, b: 5, f: 0.5 });
  ep.vehicleAt(0, 265, at); // 15 of 50 s from node 3 (250) to drop-off node 6 (300)
  assert.deepEqual(at, { a: 3, b: 6, f: 0.3 });
  ep.vehicleAt(0, 400, at); // after the last waypoint
  assert.deepEqual(at, { a: 6, b: 6, f: 0 });
  ep.vehicleAt(1, 240, at); // from node 2 (220) to pickup node 9 (260)
  assert.deepEqual(at, { a: 2, b: 9, f: 0.5 });
});

test("order states and counters follow the log", () => {
  const ep = new Episode(FILE);
  const states = (t: number) => [0, 1, 2].map((o) => ep.orderState(o, t));
  assert.deepEqual(states(99), [OrderState.Future, OrderState.Future, OrderState.Future]);
  assert.deepEqual(states(170), [OrderState.Assigned, OrderState.Waiting, OrderState.Future]);
  assert.deepEqual(states(230), [OrderState.Riding, OrderState.Lost, OrderState.Assigned]);
  assert.deepEqual(states(300), [OrderState.Delivered, OrderState.Lost, OrderState.Riding]);

  const onboard = new Int32Array(2);
  assert.deepEqual(ep.countersAt(200, onboard), {
    requested: 3,
    served: 1,
    waiting: 2,
    lost: 0,
    riding: 1,
    delivered: 0,
    meanPickupS: 30,
  });
  assert.deepEqual(Array.from(onboard), [1, 0]);
  assert.deepEqual(ep.countersAt(300, onboard), {
    requested: 3,
    served: 2,
    waiting: 0,
    lost: 1,
    riding: 1,
    delivered: 1,
    meanPickupS: 35, // (30 + 40) / 2
  });
  assert.deepEqual(Array.from(onboard), [0, 1]);
  assert.ok(Number.isNaN(ep.countersAt(150).meanPickupS), "no pickup yet");
});
