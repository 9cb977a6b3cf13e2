/** Invariants of the shipped Manhattan road and zone data, read through loadCity(). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadCity } from "../../src/city/city.ts";
import { haversineM } from "../../src/city/geo.ts";
import { isStronglyConnected } from "../../src/city/graph.ts";
import { minPlausibleTimeS, SPEED_CAP_MPS } from "../../src/city/repair.ts";
import { DAY_TYPES } from "../../src/city/router.ts";
import { Rng } from "../../src/core/rng.ts";

const city = loadCity();

test("the shipped network has the documented size and is strongly connected", () => {
  assert.equal(city.nodeCount, 4091);
  assert.equal(city.graph.edgeCount, 9452);
  assert.ok(isStronglyConnected(city.graph));
});

test("edge lengths are the haversine distances of their endpoints", () => {
  const { source, target } = city.graph;
  for (let e = 0; e < city.graph.edgeCount; e += 97) {
    const expected = haversineM(
      city.nodeLat[source[e]],
      city.nodeLon[source[e]],
      city.nodeLat[target[e]],
      city.nodeLon[target[e]],
    );
    assert.ok(Math.abs(city.edgeLength[e] - expected) < 1e-3 * Math.max(1, expected));
  }
});

test("repaired times are all positive and never faster than the speed cap", () => {
  assert.equal(city.meta.repair.speedCapMps, SPEED_CAP_MPS);
  for (const day of DAY_TYPES) {
    for (let h = 0; h < 24; h++) {
      const t = city.edgeTimes(day, h);
      for (let e = 0; e < t.length; e++) {
        if (!(t[e] > 0 && t[e] >= minPlausibleTimeS(city.edgeLength[e]))) {
          assert.fail(`${day} ${h}h edge ${e}: ${t[e]} s over ${city.edgeLength[e]} m`);
        }
      }
    }
  }
});

test("the hour offset found by the build is the documented one (raw column = local hour - 6)", () => {
  const { k, correlations } = city.meta.hourOffset;
  assert.equal(k, 6);
  assert.equal(Math.max(...correlations), correlations[6]);
  assert.ok(correlations[6] > 0.9);
});

test("weekday Midtown -> Financial District is slower at 08:00 than at 03:00, and plausible", () => {
  const mid = city.zone(161)!;
  const from = city.nearestNode(mid.centroidLat, mid.centroidLon);
  for (const fid of [87, 88, 261]) {
    const fidi = city.zone(fid)!;
    const to = city.nearestNode(fidi.centroidLat, fidi.centroidLon);
    const at3 = city.travelTimes("weekday", 3).time(from, to);
    const at8 = city.travelTimes("weekday", 8).time(from, to);
    assert.ok(at8 > at3, `zone ${fid}: 08:00 ${at8} s vs 03:00 ${at3} s`);
    for (const t of [at3, at8]) assert.ok(t >= 6 * 60 && t <= 40 * 60, `zone ${fid}: ${t} s`);
  }
});

test("zone 161 (Midtown Center) contains its own centroid; every zone's nodes lie in it", () => {
  const z = city.zone(161)!;
  assert.equal(z.name, "Midtown Center");
  assert.equal(city.zoneOf(z.centroidLat, z.centroidLon), 161);
  assert.equal(city.zones.length, 69);
  let withNodes = 0;
  for (const zone of city.zones) {
    const nodes = city.nodesInZone(zone.id);
    if (nodes.length > 0) withNodes++;
    for (const v of nodes) assert.equal(city.zoneOf(city.nodeLat[v], city.nodeLon[v]), zone.id);
  }
  assert.equal(withNodes, 63);
  for (const empty of [103, 104, 105, 153, 194, 202])
    assert.equal(city.nodesInZone(empty).length, 0);
});

test("points outside Manhattan have no zone; randomNodeInZone draws from the zone", () => {
  assert.equal(city.zoneOf(40.6782, -73.9442), -1); // Brooklyn
  assert.equal(city.zoneOf(40.7128, -74.05), -1); // Jersey City
  const rng = new Rng(3);
  for (let i = 0; i < 50; i++) {
    const v = city.randomNodeInZone(161, rng);
    assert.equal(city.nodeZone[v], 161);
  }
  assert.equal(city.randomNodeInZone(202, rng), -1); // Roosevelt Island: no node
  assert.equal(city.randomNodeInZone(1, rng), -1); // Newark Airport: not a Manhattan zone
});

test("on the shipped graph, path edge times add up to time() and timesTo matches timesFrom", () => {
  const oracle = city.travelTimes("saturday", 17);
  const times = city.edgeTimes("saturday", 17);
  const { forward } = city.graph;
  const rng = new Rng(11);
  for (let q = 0; q < 30; q++) {
    const from = rng.int(city.nodeCount);
    const to = rng.int(city.nodeCount);
    const p = oracle.path(from, to);
    let sum = 0;
    let metres = 0;
    for (let i = 0; i + 1 < p.length; i++) {
      let best = Number.POSITIVE_INFINITY;
      let bestLen = 0;
      for (let s = forward.offsets[p[i]]; s < forward.offsets[p[i] + 1]; s++) {
        const e = forward.edges[s];
        if (forward.heads[s] === p[i + 1] && times[e] < best) {
          best = times[e];
          bestLen = city.edgeLength[e];
        }
      }
      assert.ok(best < Number.POSITIVE_INFINITY, "consecutive path nodes must share an edge");
      sum += best;
      metres += bestLen;
    }
    assert.ok(Math.abs(sum - oracle.time(from, to)) <= 1e-3, `${sum} vs ${oracle.time(from, to)}`);
    assert.ok(Math.abs(metres - oracle.distance(from, to)) <= 1e-3);
    assert.ok(Math.abs(oracle.timesTo(to)[from] - oracle.time(from, to)) <= 1e-3);
  }
  assert.equal(city.travelTimes("saturday", 17), oracle, "oracles are shared per (day, hour)");
});
