/** Snapping (grid index against a linear scan) and point-in-zone, on toy and shipped data. */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { loadCity } from "../../src/city/city.ts";
import { haversineM, LocalProjection } from "../../src/city/geo.ts";
import { GridIndex } from "../../src/city/spatial-index.ts";
import { ZoneIndex } from "../../src/city/zone-index.ts";

const city = loadCity();

/** Linear scan in the metric the index documents; ties to the lower id. */
function bruteNearest(
  proj: LocalProjection,
  lat: Float64Array,
  lon: Float64Array,
  qLat: number,
  qLon: number,
) {
  let best = -1;
  let bestD = Number.POSITIVE_INFINITY;
  for (let i = 0; i < lat.length; i++) {
    const d = proj.distanceM(qLat, qLon, lat[i], lon[i]);
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return { best, bestD };
}

test("haversine and the local projection agree on a known distance", () => {
  const d = haversineM(40.758, -73.9855, 40.7069, -74.0113);
  assert.ok(Math.abs(d - 6079) < 10, `${d}`);
  const p = new LocalProjection(40.73);
  assert.ok(Math.abs(p.distanceM(40.758, -73.9855, 40.7069, -74.0113) - d) / d < 0.003);
});

test("nearestNode agrees with a linear scan (random points in and around Manhattan)", () => {
  const idx = new GridIndex(city.nodeLat, city.nodeLon);
  fc.assert(
    fc.property(
      fc.double({ min: 40.6, max: 40.95, noNaN: true }),
      fc.double({ min: -74.1, max: -73.85, noNaN: true }),
      (lat, lon) => {
        const got = city.nearestNode(lat, lon);
        const { best, bestD } = bruteNearest(idx.projection, city.nodeLat, city.nodeLon, lat, lon);
        const gotD = idx.projection.distanceM(lat, lon, city.nodeLat[got], city.nodeLon[got]);
        assert.ok(got === best || gotD === bestD, `(${lat}, ${lon}): got ${got}, want ${best}`);
        assert.ok(Math.abs(city.snapDistanceM(got, lat, lon) - bestD) < 1e-6);
      },
    ),
    { numRuns: 2000 },
  );
});

test("a node's own position snaps to it; far-away points still get the nearest node", () => {
  for (let v = 0; v < city.nodeCount; v += 37) {
    const got = city.nearestNode(city.nodeLat[v], city.nodeLon[v]);
    assert.equal(city.snapDistanceM(got, city.nodeLat[v], city.nodeLon[v]), 0);
  }
  const idx = new GridIndex(city.nodeLat, city.nodeLon);
  for (const [lat, lon] of [
    [0, 0],
    [51.5, -0.12],
    [40.75, -120],
  ]) {
    assert.equal(
      city.nearestNode(lat, lon),
      bruteNearest(idx.projection, city.nodeLat, city.nodeLon, lat, lon).best,
    );
  }
  assert.throws(() => city.nearestNode(Number.NaN, -73.98), RangeError);
});

test("grid index on a toy set", () => {
  const lat = Float64Array.of(40.0, 40.0, 40.001, 40.002);
  const lon = Float64Array.of(-74.0, -73.998, -73.999, -74.0);
  const idx = new GridIndex(lat, lon, 50);
  assert.equal(idx.nearest(40.0, -73.9991), 0);
  assert.equal(idx.nearest(40.0, -73.9989), 1);
  assert.equal(idx.nearest(40.0011, -73.9991), 2);
  assert.equal(idx.nearest(40.01, -74.0), 3);
});

test("point in zone: squares with a hole and a multipolygon", () => {
  const idx = new ZoneIndex([
    {
      id: 5,
      polygons: [
        [
          [
            [0, 0],
            [4, 0],
            [4, 4],
            [0, 4],
            [0, 0],
          ],
          [
            [1, 1],
            [2, 1],
            [2, 2],
            [1, 2],
            [1, 1],
          ], // hole
        ],
        [
          [
            [10, 10],
            [11, 10],
            [11, 11],
            [10, 11],
            [10, 10],
          ],
        ],
      ],
    },
    {
      id: 6,
      polygons: [
        [
          [
            [1, 1],
            [2, 1],
            [2, 2],
            [1, 2],
            [1, 1],
          ],
        ],
      ],
    }, // fills the hole
  ]);
  // zoneOf takes (lat, lon): y first.
  assert.equal(idx.zoneOf(3, 3), 5);
  assert.equal(idx.zoneOf(1.5, 1.5), 6);
  assert.equal(idx.zoneOf(10.5, 10.5), 5);
  assert.equal(idx.zoneOf(5, 5), -1);
  assert.equal(idx.zoneOf(-1, 2), -1);
});

test("every zone centroid lies in its own zone, except the multi-island zone 104", () => {
  for (const z of city.zones) {
    // 104 (Governor's/Ellis/Liberty Islands): the area-weighted centroid falls in the harbour.
    const expected = z.id === 104 ? -1 : z.id;
    assert.equal(city.zoneOf(z.centroidLat, z.centroidLon), expected, z.name);
  }
  assert.equal(city.zone(city.zoneOf(40.7829, -73.9654))!.name, "Central Park");
  assert.equal(city.zone(city.zoneOf(40.758, -73.9855))!.name, "Times Sq/Theatre District");
});
