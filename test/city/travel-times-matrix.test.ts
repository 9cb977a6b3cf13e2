import assert from "node:assert/strict";
import { test } from "node:test";
import { loadCity } from "../../src/city/city.ts";
import { Rng } from "../../src/core/rng.ts";

test("after precomputeAll, time/path/distance agree with on-demand searches on the shipped graph", () => {
  const city = loadCity();
  const lazy = city.travelTimes("weekday", 8);
  const full = loadCity().travelTimes("weekday", 8);
  full.precomputeAll();
  const rng = new Rng(5);
  for (let i = 0; i < 300; i++) {
    const a = rng.int(city.nodeCount);
    const b = rng.int(city.nodeCount);
    assert.ok(Math.abs(full.time(a, b) - lazy.time(a, b)) < 1e-3);
    assert.deepEqual(full.path(a, b), lazy.path(a, b));
    assert.ok(Math.abs(full.distance(a, b) - lazy.distance(a, b)) < 1e-6);
  }
  assert.deepEqual(Array.from(full.path(7, 7)), [7]);
  assert.equal(full.distance(7, 7), 0);
});
