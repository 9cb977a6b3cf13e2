/** Zone maps on the shipped Manhattan zones and on a hand-made square zone. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadCity } from "../../src/city/city.ts";
import type { Zone } from "../../src/city/zones-file.ts";
import { fitProjection, rateFloor, zoneMaps, zonePath } from "../../src/reports/zone-map.ts";

const square: Zone = {
  id: 1,
  name: "Square & Co",
  serviceZone: "Yellow Zone",
  centroidLat: 0,
  centroidLon: 0.5,
  areaKm2: 1,
  polygons: [
    [
      [
        [0, -0.5],
        [1, -0.5],
        [1, 0.5],
        [0, 0.5],
        [0, -0.5],
      ],
    ],
  ],
};

test("projection of a unit square at the equator: height fixed, width follows, north up", () => {
  const p = fitProjection([square], 110, 5);
  assert.equal(p.height, 110);
  assert.equal(p.width, 110);
  assert.deepEqual(p.project(0, 0.5), [5, 5]);
  assert.deepEqual(p.project(1, -0.5), [105, 105]);
  assert.equal(zonePath(square, p), "M5 105L105 105L105 5L5 5L5 105Z");
});

test("service-rate scale floor: lowest zone rate rounded down to 10%, at most 90%", () => {
  assert.equal(rateFloor([{ name: "a", served: { 1: 9, 2: 1 }, lost: { 1: 1, 2: 0 } }]), 0.9);
  assert.equal(rateFloor([{ name: "a", served: { 1: 3 }, lost: { 1: 7 } }]), 0.3);
  assert.equal(rateFloor([{ name: "a", served: {}, lost: { 1: 2 } }]), 0);
});

test("the shipped zones: one path per zone inside the map, names escaped, no-data zones grey", () => {
  const zones = loadCity().zones;
  assert.equal(zones.length, 69);
  const html = zoneMaps(zones, [
    { name: "a<b", served: { [zones[0].id]: 3 }, lost: { [zones[0].id]: 1 } },
    { name: "c", served: {}, lost: {} },
  ]);
  const maps = html.split('<svg class="chart map"').slice(1);
  assert.equal(maps.length, 2);
  for (const map of maps) {
    assert.equal(map.match(/<path class="zone"/g)?.length, 69);
    const [, w, h] = /viewBox="0 0 (\d+) (\d+)"/.exec(map) ?? [];
    for (const [, x, y] of map.matchAll(/[ML](-?[\d.]+) (-?[\d.]+)/g)) {
      assert.ok(+x >= 0 && +x <= +w && +y >= 0 && +y <= +h, `${x},${y} outside ${w}×${h}`);
    }
  }
  assert.match(html, /a&lt;b/);
  assert.match(html, /75\.0% served, 3 served, 1 lost/);
  assert.equal(maps[1].match(/fill="#e4e4e4" fill-rule/g)?.length, 69);
});
