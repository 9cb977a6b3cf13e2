/** The shipped day, end to end through the same loader as user files. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadCity } from "../../src/city/city.ts";
import { Rng } from "../../src/core/rng.ts";
import { loadTrips } from "../../src/demand/load-trips.ts";
import { SHIPPED_TRIPS } from "../../src/demand/paths.ts";
import { placeTrips } from "../../src/demand/place.ts";
import { summarizeTrips } from "../../src/demand/summary.ts";
import { selectTrips } from "../../src/demand/trip-table.ts";
import { zoneLookup } from "../../src/demand/zone-lookup.ts";

test("the shipped day loads every trip of the raw file, cleanly, sorted by pickup", async () => {
  const { trips, report } = await loadTrips(SHIPPED_TRIPS);
  assert.equal(report.schema, "fleetrl");
  assert.equal(report.format, "csv.gz");
  // 110,784 raw rows; one drop-off (40.803101,-73.929751) lies in no zone polygon, so without a
  // zone map it is kept by the Manhattan bounding-box fallback. The data README's 110,783 excludes it.
  assert.equal(report.rowsRead, 110784);
  assert.equal(report.kept, 110784);
  assert.equal(report.skippedTotal, 0);
  assert.equal(report.filteredTotal, 0);
  assert.equal(report.firstPickup, "2013-09-01 00:00:00");
  assert.equal(report.lastPickup, "2013-09-02 00:00:00");
  for (let i = 1; i < trips.count; i++) assert.ok(trips.pickupTime[i - 1] <= trips.pickupTime[i]);
  let noZone = 0;
  for (let i = 0; i < trips.count; i++) {
    assert.ok(trips.dropoffTime[i] >= trips.pickupTime[i]);
    assert.ok(trips.puLat[i] > 40.7 && trips.puLat[i] < 40.88);
    if (trips.puZone[i] < 0 || trips.doZone[i] < 0) noZone++;
  }
  assert.equal(noZone, 1);
});

test("hourly volume matches the data README (~7.6k at 00h, 854 at 06h, 5-6k plateau)", async () => {
  const { trips, report } = await loadTrips(SHIPPED_TRIPS, { date: "2013-09-01" });
  assert.equal(report.kept, 110769);
  assert.equal(report.filtered.date, 15); // pickups at 2013-09-02 00:00
  const s = summarizeTrips(trips, zoneLookup());
  assert.equal(s.tripsPerHour[0], 7589); // + the 15 of the next midnight = the 7,604 of the whole file
  assert.equal(s.tripsPerHour[6], 854);
  for (let h = 11; h <= 23; h++)
    assert.ok(s.tripsPerHour[h] >= 5000 && s.tripsPerHour[h] <= 6400, `hour ${h}`);
  assert.equal(s.topPickupZones.length, 10);
  assert.ok(s.topPickupZones.every((z) => z.borough === "Manhattan" && z.name !== ""));
});

test("a window keeps exactly the pickups of those hours", async () => {
  const { report } = await loadTrips(SHIPPED_TRIPS, { from: "17:00", to: "18:00" });
  assert.equal(report.kept, 6021);
  assert.equal(report.filtered.window, 110784 - 6021);
});

test("the shipped day placed on the shipped city: snapped ends near their points, zone-only ends in their zone", async () => {
  const city = loadCity();
  const { trips } = await loadTrips(SHIPPED_TRIPS, { zoneOf: (lat, lon) => city.zoneOf(lat, lon) });
  assert.equal(trips.count, 110783);
  const snapped = placeTrips(trips, city, new Rng(1));
  assert.equal(snapped.unplaced, 0);
  let far = 0;
  for (let i = 0; i < trips.count; i++) {
    if (city.snapDistanceM(snapped.puNode[i], trips.puLat[i], trips.puLon[i]) > 300) far++;
  }
  assert.ok(far < trips.count * 0.001, `${far} pickups snapped more than 300 m away`);
  // The same trips known by zone only: every end lands on a node of its zone, except zones
  // without nodes (153 Marble Hill, 194 Randalls Island), which are counted as unplaced.
  const zonesOnly = selectTrips(
    trips,
    Int32Array.from({ length: trips.count }, (_, i) => i),
  );
  zonesOnly.puLat.fill(Number.NaN);
  zonesOnly.doLat.fill(Number.NaN);
  const placed = placeTrips(zonesOnly, city, new Rng(1));
  let expectUnplaced = 0;
  for (let i = 0; i < trips.count; i++) {
    const pu = placed.puNode[i];
    const dn = placed.doNode[i];
    if (pu >= 0) assert.equal(city.nodeZone[pu], trips.puZone[i]);
    if (dn >= 0) assert.equal(city.nodeZone[dn], trips.doZone[i]);
    if (
      city.nodesInZone(trips.puZone[i]).length === 0 ||
      city.nodesInZone(trips.doZone[i]).length === 0
    ) {
      expectUnplaced++;
    }
  }
  assert.equal(placed.unplaced, expectUnplaced);
  assert.ok(expectUnplaced > 0 && expectUnplaced < 100, `${expectUnplaced}`);
  assert.deepEqual(placeTrips(zonesOnly, city, new Rng(1)), placed);
});
