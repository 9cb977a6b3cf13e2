/** Seeded sub-sampling and placement of trips on road nodes. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Rng } from "../../src/core/rng.ts";
import { type NodeLocator, placeTrips } from "../../src/demand/place.ts";
import { sampleTrips } from "../../src/demand/sample.ts";
import { allocateTrips, type TripTable } from "../../src/demand/trip-table.ts";

function table(n: number): TripTable {
  const t = allocateTrips(n);
  t.count = n;
  for (let i = 0; i < n; i++) {
    t.pickupTime[i] = i;
    t.dropoffTime[i] = i + 60;
    t.puLat[i] = t.puLon[i] = t.doLat[i] = t.doLon[i] = Number.NaN;
    t.tripDistanceM[i] = Number.NaN;
    t.puZone[i] = t.doZone[i] = -1;
  }
  return t;
}

test("sampleTrips keeps round(fraction*n) trips in order, reproducibly per seed", () => {
  const day = table(10000);
  const a = sampleTrips(day, 0.95, new Rng(7).split("demand"));
  const b = sampleTrips(day, 0.95, new Rng(7).split("demand"));
  const c = sampleTrips(day, 0.95, new Rng(8).split("demand"));
  assert.equal(a.count, 9500);
  assert.deepEqual(a.pickupTime, b.pickupTime);
  assert.notDeepEqual(a.pickupTime, c.pickupTime);
  for (let i = 1; i < a.count; i++) assert.ok(a.pickupTime[i - 1] < a.pickupTime[i]);
  assert.equal(sampleTrips(day, 0, new Rng(1)).count, 0);
  assert.equal(sampleTrips(day, 1, new Rng(1)).count, 10000);
  assert.throws(() => sampleTrips(day, 1.5, new Rng(1)), RangeError);
});

test("sampleTrips is uniform: each trip is kept about fraction of the time", () => {
  const day = table(20);
  const kept = new Array(20).fill(0);
  const rng = new Rng(3);
  for (let r = 0; r < 4000; r++) {
    const s = sampleTrips(day, 0.25, rng);
    for (let i = 0; i < s.count; i++) kept[s.pickupTime[i]]++;
  }
  // Binomial(4000, 0.25): sd ~27; 6 sd bounds.
  for (const k of kept) assert.ok(Math.abs(k - 1000) < 165, `${k}`);
});

/** A toy city: nodes 0..9 on a line of latitude 40.70 + 0.01*k; zone z holds nodes 2z and 2z+1; zone 4 holds none. */
const locator: NodeLocator = {
  nearestNode: (lat) => Math.max(0, Math.min(9, Math.round((lat - 40.7) / 0.01))),
  randomNodeInZone: (zone, rng) => (zone >= 0 && zone < 4 ? 2 * zone + rng.int(2) : -1),
};

test("placeTrips snaps coordinates, draws zone nodes from the rng, and counts unplaceable trips", () => {
  const t = table(4);
  t.puLat[0] = 40.731;
  t.puLon[0] = -73.98;
  t.doLat[0] = 40.759;
  t.doLon[0] = -73.98;
  t.puZone[1] = 1;
  t.doZone[1] = 3;
  t.puZone[2] = 2;
  t.doZone[2] = 4; // zone without nodes
  t.puLat[3] = 40.7;
  t.puLon[3] = -74;
  t.doZone[3] = 0;
  const placed = placeTrips(t, locator, new Rng(11));
  assert.equal(placed.puNode[0], 3);
  assert.equal(placed.doNode[0], 6);
  assert.ok([2, 3].includes(placed.puNode[1]));
  assert.ok([6, 7].includes(placed.doNode[1]));
  assert.ok([4, 5].includes(placed.puNode[2]));
  assert.equal(placed.doNode[2], -1);
  assert.equal(placed.puNode[3], 0);
  assert.ok([0, 1].includes(placed.doNode[3]));
  assert.equal(placed.unplaced, 1);
  const again = placeTrips(t, locator, new Rng(11));
  assert.deepEqual(again, placed);
});

test("zone-only placement spreads over the zone's nodes", () => {
  const t = table(2000);
  for (let i = 0; i < t.count; i++) t.puZone[i] = t.doZone[i] = 2;
  const { puNode } = placeTrips(t, locator, new Rng(5));
  const fours = puNode.filter((n) => n === 4).length;
  assert.ok(fours > 850 && fours < 1150, `${fours}`);
});
