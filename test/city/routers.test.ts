/** RoadGraphRouter and ZoneMatrixRouter on the shipped city. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadCity } from "../../src/city/city.ts";
import { RoadGraphRouter } from "../../src/city/road-graph-router.ts";
import { parseLatLon } from "../../src/city/route-query.ts";
import { ZoneMatrixRouter } from "../../src/city/zone-matrix-router.ts";
import { UserError } from "../../src/core/errors.ts";

const city = loadCity();
const road = new RoadGraphRouter(city);
const zones = new ZoneMatrixRouter(city);
const midtown = { lat: 40.7549, lon: -73.984 };
const fidi = { lat: 40.7069, lon: -74.0113 };
const harlem = { lat: 40.8116, lon: -73.9465 };

test("road router: route() is the oracle's answer between the snapped nodes", async () => {
  const r = await road.route(midtown, fidi, { day: "sunday", hour: 14 });
  const a = city.nearestNode(midtown.lat, midtown.lon);
  const b = city.nearestNode(fidi.lat, fidi.lon);
  const oracle = city.travelTimes("sunday", 14);
  assert.equal(r.timeS, oracle.time(a, b));
  assert.equal(r.distanceM, oracle.distance(a, b));
  assert.equal(r.pathNodes, oracle.path(a, b).length);
  assert.equal(r.snapped?.from.node, a);
  assert.equal(r.snapped?.to.node, b);
});

test("road router: table() rows match route(); defaults are weekday 08:00", async () => {
  const pts = [midtown, fidi, harlem];
  const t = await road.table(pts, pts);
  for (let i = 0; i < 3; i++) {
    assert.equal(t[i * 3 + i], 0);
    for (let j = 0; j < 3; j++) {
      const r = await road.route(pts[i], pts[j], { day: "weekday", hour: 8 });
      assert.ok(Math.abs(t[i * 3 + j] - r.timeS) < 1e-9);
    }
  }
});

test("zone router: zone-to-zone times are road times between representatives, close to the road router", async () => {
  const r = await zones.route(midtown, harlem, { day: "weekday", hour: 8 });
  assert.equal(r.snapped?.from.zone, 161);
  const m = zones.matrix("weekday", 8);
  const i = m.zoneIds.indexOf(161);
  const j = m.zoneIds.indexOf(city.zoneOf(harlem.lat, harlem.lon));
  const oracle = city.travelTimes("weekday", 8);
  assert.equal(r.timeS, oracle.time(m.representative[i], m.representative[j]));
  const exact = await road.route(midtown, harlem, { day: "weekday", hour: 8 });
  assert.ok(Math.abs(r.timeS - exact.timeS) / exact.timeS < 0.3, `${r.timeS} vs ${exact.timeS}`);
  // Every zone's representative lies in it when the zone has nodes.
  m.zoneIds.forEach((id, k) => {
    if (city.nodesInZone(id).length > 0) assert.equal(city.nodeZone[m.representative[k]], id);
  });
  const t = await zones.table([midtown, harlem], [fidi]);
  assert.equal(t.length, 2);
  assert.ok(t[1] > t[0], "Harlem is farther from FiDi than Midtown");
});

test("routers reject points outside the city and bad queries with UserErrors", async () => {
  const brooklyn = { lat: 40.6782, lon: -73.9442 };
  await assert.rejects(
    road.route(midtown, brooklyn),
    (e) => e instanceof UserError && /outside the city/.test(e.message),
  );
  await assert.rejects(
    zones.route(brooklyn, midtown),
    (e) => e instanceof UserError && /none of the city's taxi zones/.test(e.message),
  );
  await assert.rejects(road.route(midtown, fidi, { hour: 24 }), UserError);
  await assert.rejects(road.route(midtown, fidi, { hour: 7.5 }), UserError);
  await assert.rejects(road.route(midtown, { lat: Number.NaN, lon: 0 }), UserError);
  // A point in Central Park is far from any road node but inside a zone: accepted.
  const park = { lat: 40.7812, lon: -73.9665 };
  assert.ok((await road.route(park, midtown)).timeS > 0);
});

test("LAT,LON parsing", () => {
  assert.deepEqual(parseLatLon(" 40.75 , -73.98 ", "--from"), { lat: 40.75, lon: -73.98 });
  for (const bad of ["", "40.75", "40.75,-73.98,1", "abc,def", "91,0", "40,-181", "1e3,2"]) {
    assert.throws(
      () => parseLatLon(bad, "--from"),
      (e) => e instanceof UserError && /--from/.test(e.message),
    );
  }
});
