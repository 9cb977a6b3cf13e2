/**
 * Dispatch features on a hand-made world: a straight road of 11 nodes, 60 s and 500 m per edge,
 * node i at lat 40 + 0.001·i, lon −74 + 0.002·i (so x = y = i/10), one vehicle starting at node 0.
 * Every feature value below is worked out by hand from the scenario.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { DispatchConfigSchema } from "../../src/envs/dispatch/config.ts";
import { DispatchEnv } from "../../src/envs/dispatch/env.ts";
import {
  GLOBAL_SCALAR_NAMES,
  geometryFromCity,
  geometryFromLatLon,
  globalStateDim,
  ORDER_FEATURE_NAMES,
  PAIR_DIM,
  PAIR_FEATURE_NAMES,
  VEHICLE_DIM,
  VEHICLE_FEATURE_NAMES,
} from "../../src/envs/dispatch/features.ts";
import { lineWorld } from "./line-world.ts";

const nodeLatLon = (i: number) => ({ lat: 40 + 0.001 * i, lon: -74 + 0.002 * i });

function assertClose(actual: ArrayLike<number>, expected: number[], names: readonly string[]) {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(
      Math.abs(actual[i] - expected[i]) < 1e-6,
      `${names[i] ?? i}: got ${actual[i]}, expected ${expected[i]}`,
    );
  }
}

const HOUR = 3600;
const DAY = 86400;
const REWARD_SCALE = 3 + 1 * 20; // base + perKm · 20 km

test("feature names match the dimensions; the pair row is the vehicle part then the order part", () => {
  assert.equal(VEHICLE_FEATURE_NAMES.length, VEHICLE_DIM);
  assert.equal(PAIR_FEATURE_NAMES.length, PAIR_DIM);
  assert.equal(PAIR_DIM, VEHICLE_DIM + ORDER_FEATURE_NAMES.length);
  assert.equal(new Set(PAIR_FEATURE_NAMES).size, PAIR_DIM);
});

test("a pooled episode on the line: vehicle rows, pair rows and global state by hand", () => {
  // Order A: node 3 → 8 requested at 30 s. Order B: node 5 → 4 requested at 90 s.
  const env = new DispatchEnv(
    lineWorld({
      requestTime: Float64Array.of(30, 90),
      pickupNode: Int32Array.of(3, 5),
      dropoffNode: Int32Array.of(8, 4),
    }),
    DispatchConfigSchema.parse({ vehicles: 1, epochs: 3 }),
    { nodeLatLon, gridSize: 2 },
  );

  // Decision 1 at 60 s: idle vehicle at node 0, A pending; eta 180 s, route 0→3→8 = 480 s.
  let obs = env.reset(1);
  assert.deepEqual(Array.from(obs.candId!), [0]);
  assertClose(
    obs.candFeatures,
    [
      // vehicle: x, y, onboard, assigned, stops, busy, remaining, delay, candidates (1/20)
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0.05,
      // income, fleet mean, time of day, progress
      0,
      0,
      60 / DAY,
      0,
      // order: pickup (0.3, 0.3), drop-off (0.8, 0.8), age (60−30)/300, eta 180/300
      0.3,
      0.3,
      0.8,
      0.8,
      0.1,
      0.6,
      // direct 300 s / 1800, 2500 m / 20 km, added route 480/1800, added passenger 0, late 0
      300 / 1800,
      0.125,
      480 / 1800,
      0,
      0,
      // reward 3 + 2.5 − 3·(180/3600) = 5.35, competition 1/20, eta gap 0
      5.35 / REWARD_SCALE,
      0.05,
      0,
    ],
    PAIR_FEATURE_NAMES,
  );
  // Global state, 2×2 grid: nodes 0–4 are cell 0, nodes 5–10 cell 3. s = count·4/1, s/(1+s).
  assertClose(
    env.globalState(),
    [0.8, 0, 0, 0, /* available */ 0, 0, 0, 0, /* pending */ 0.8, 0, 0, 0, 1, 0, 0.5, 60 / DAY, 0],
    [],
  );

  // Take A. At 120 s the vehicle has passed node 1 and is committed to node 2 (reached at 180 s);
  // its schedule: pickup A at node 3 (240 s), drop-off A at node 8 (540 s). B is pending.
  // Cheapest insertion of B: 2→3 (A, 240)→5 (B, 360)→4 (B off, 420)→8 (A off, 660):
  // eta 360−120 = 240 s, route +120 s, A's trip +120 s.
  let r = env.step(Int32Array.of(0));
  assertClose(r.rewards, [5.35], ["reward"]);
  obs = r.obs;
  assert.deepEqual(Array.from(obs.candId!), [1]);
  const INCOME_SCALE = REWARD_SCALE * 3; // · max(capacity 3, 3 min / 10 min)
  const income1 = 5.35 / INCOME_SCALE;
  assertClose(
    obs.candFeatures,
    [
      // x = y = 0.2 (node 2), 1 assigned of 3 seats, 2 of 6 stops, free at 540 s: 420 s
      0.2,
      0.2,
      0,
      1 / 3,
      2 / 6,
      420 / HOUR,
      // remaining: drop-off A at 540 s → 420 s / (3 · 1 h); delay 540−240−300 = 0; candidates
      420 / (3 * HOUR),
      0,
      0.05,
      income1,
      income1,
      120 / DAY,
      1 / 3,
      // B: pickup 0.5, drop-off 0.4, age 30/300, eta 240/300, direct 60 s, 500 m
      0.5,
      0.5,
      0.4,
      0.4,
      0.1,
      0.8,
      60 / 1800,
      500 / 20000,
      // added route 120 s, added passenger time 120 s, late 0
      120 / 1800,
      120 / 1800,
      0,
      // reward 3 + 0.5 − 3·(240/3600) − 3·(120/3600) = 3.2
      3.2 / REWARD_SCALE,
      0.05,
      0,
    ],
    PAIR_FEATURE_NAMES,
  );
  // Global state: the vehicle is available (busy, room for another order) in cell 0; B in cell 3.
  assertClose(
    env.globalState(),
    [0, 0, 0, 0, 0.8, 0, 0, 0, 0, 0, 0, 0.8, 0, 1, 0.5, 120 / DAY, 1 / 3],
    [],
  );

  // Take B; episode ends after this third decision (pass). Final observation at 180 s: at node 2,
  // stops pickup A (240), pickup B (360), drop-off B (420), drop-off A (660).
  r = env.step(Int32Array.of(0));
  r = env.step(Int32Array.of(-1));
  const income2 = (5.35 + 3.2) / INCOME_SCALE;
  assertClose(
    r.obs.agentFeatures,
    [
      0.2,
      0.2,
      0,
      2 / 3,
      4 / 6,
      480 / HOUR,
      // remaining (420−180) + (660−180) = 720 s; delay: B 420−360−60 = 0, A 660−240−300 = 120 s
      720 / (3 * HOUR),
      120 / (3 * 600),
      0,
      income2,
      income2,
      180 / DAY,
      1,
    ],
    VEHICLE_FEATURE_NAMES,
  );
});

test("fleet mean income and competition for an order two vehicles can take", () => {
  // Two vehicles at node 0; one order at node 2 → 4. Both are candidates with eta 120 s.
  const env = new DispatchEnv(
    lineWorld({
      requestTime: Float64Array.of(0),
      pickupNode: Int32Array.of(2),
      dropoffNode: Int32Array.of(4),
    }),
    DispatchConfigSchema.parse({ vehicles: 2, epochs: 2 }),
    { nodeLatLon },
  );
  const obs = env.reset(5);
  const col = (name: string) => PAIR_FEATURE_NAMES.indexOf(name as never);
  assert.equal(obs.candPtr[2], 2);
  for (let p = 0; p < 2; p++) {
    assert.ok(Math.abs(obs.candFeatures[p * PAIR_DIM + col("orderCompetition")] - 2 / 20) < 1e-7);
    assert.equal(obs.candFeatures[p * PAIR_DIM + col("etaGap")], 0);
  }
  // Vehicle 0 takes it: reward 3 + 1 − 3·(120/3600) = 3.9; own income for 0, half of it as mean.
  const r = env.step(Int32Array.of(0, -1));
  const scale = REWARD_SCALE * 3; // · max(capacity 3, 2 min / 10 min)
  const a = r.obs.agentFeatures;
  const income = VEHICLE_FEATURE_NAMES.indexOf("income");
  const mean = VEHICLE_FEATURE_NAMES.indexOf("fleetMeanIncome");
  assert.ok(Math.abs(a[income] - 3.9 / scale) < 1e-6);
  assert.equal(a[VEHICLE_DIM + income], 0);
  assert.ok(Math.abs(a[mean] - 3.9 / 2 / scale) < 1e-6);
  assert.ok(Math.abs(a[VEHICLE_DIM + mean] - 3.9 / 2 / scale) < 1e-6);
});

test("geometry from lat/lon: bounding-box positions and grid cells", () => {
  const geo = geometryFromLatLon(11, nodeLatLon, 2);
  assert.equal(geo.regionKind, "grid");
  assert.equal(geo.regionCount, 4);
  assertClose(geo.x, [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1], []);
  assertClose(geo.y, Array.from(geo.x), []);
  assert.deepEqual(Array.from(geo.region), [0, 0, 0, 0, 0, 3, 3, 3, 3, 3, 3]);
  assert.equal(globalStateDim(geo), 3 * 4 + GLOBAL_SCALAR_NAMES.length);
  // A flat box (all nodes on one latitude) maps that axis to 0 rather than NaN.
  const flat = geometryFromLatLon(3, (i) => ({ lat: 40, lon: -74 + i }), 3);
  assert.deepEqual(Array.from(flat.y), [0, 0, 0]);
  assert.deepEqual(Array.from(flat.region), [0, 1, 2]);
  assert.throws(
    () => geometryFromLatLon(2, () => ({ lat: Number.NaN, lon: 0 })),
    /nodeLatLon\(0\)/,
  );
  assert.throws(() => geometryFromLatLon(2, nodeLatLon, 0), /gridSize/);
});

test("geometry from a city: zones in id order, one extra bucket for nodes outside every zone", () => {
  const city = {
    nodeCount: 4,
    nodeLat: Float64Array.of(40, 41, 42, 40),
    nodeLon: Float64Array.of(-74, -73, -74, -72),
    nodeZone: Int16Array.of(12, 4, -1, 12),
    zones: [{ id: 4 }, { id: 12 }] as never,
  };
  const geo = geometryFromCity(city);
  assert.equal(geo.regionKind, "zones");
  assert.equal(geo.regionCount, 3);
  assert.deepEqual(Array.from(geo.region), [1, 0, 2, 1]);
  assertClose(geo.x, [0, 0.5, 0, 1], []);
  assertClose(geo.y, [0, 0.5, 1, 0], []);
  // Without outside nodes there is no extra bucket.
  assert.equal(geometryFromCity({ ...city, nodeZone: Int16Array.of(12, 4, 4, 12) }).regionCount, 2);
});

test("a world without a city needs nodeLatLon", () => {
  const world = lineWorld({
    requestTime: new Float64Array(0),
    pickupNode: new Int32Array(0),
    dropoffNode: new Int32Array(0),
  });
  assert.throws(
    () => new DispatchEnv(world, DispatchConfigSchema.parse({ vehicles: 1 })),
    /nodeLatLon/,
  );
});
