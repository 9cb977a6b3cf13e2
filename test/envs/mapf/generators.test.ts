/**
 * Seeded map generators: determinism, the density reached with the free cells kept connected,
 * mazes with known cell counts, and the warehouse generator rebuilding the benchmark's
 * warehouse-10-20-10-2-1 exactly.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Rng } from "../../../src/core/rng.ts";
import { emptyMap, mazeMap, randomMap, warehouseMap } from "../../../src/envs/mapf/generators.ts";
import {
  freeCount,
  type GridMap,
  largestComponent,
  readMapFile,
} from "../../../src/envs/mapf/grid-map.ts";

const connected = (map: GridMap) => largestComponent(map).length === freeCount(map);

describe("map generators", () => {
  test("random obstacles: exact density, one connected region, same seed same map", () => {
    for (const seed of [1, 2, 3]) {
      const map = randomMap(32, 32, 0.2, new Rng(seed));
      assert.equal(map.width * map.height - freeCount(map), Math.floor(0.2 * 1024)); // 204
      assert.ok(connected(map));
      assert.deepEqual(randomMap(32, 32, 0.2, new Rng(seed)).free, map.free);
    }
    assert.notDeepEqual(
      randomMap(32, 32, 0.2, new Rng(1)).free,
      randomMap(32, 32, 0.2, new Rng(2)).free,
    );
    // dense: whatever is placed, the free cells stay connected
    const dense = randomMap(20, 20, 0.6, new Rng(4));
    assert.ok(connected(dense));
    assert.ok(freeCount(dense) >= 160);
  });

  test("maze: a perfect maze has rooms + (rooms − 1) free cells; loops 1 opens every inner wall", () => {
    // 31 × 31: 15 × 15 rooms on the odd coordinates; a spanning tree opens 224 walls
    const perfect = mazeMap(31, 31, 0, new Rng(7));
    assert.equal(freeCount(perfect), 225 + 224);
    assert.ok(connected(perfect));
    // every wall between two neighbouring rooms: 2 · 15 · 14 = 420
    assert.equal(freeCount(mazeMap(31, 31, 1, new Rng(7))), 225 + 420);
    const some = mazeMap(31, 31, 0.2, new Rng(7));
    assert.ok(freeCount(some) > 449 && freeCount(some) < 645 && connected(some));
    assert.notDeepEqual(mazeMap(31, 31, 0, new Rng(8)).free, perfect.free);
  });

  test("warehouse: the benchmark's warehouse-10-20-10-2-1 inside its 1-cell wall", () => {
    const inner = warehouseMap({
      shelfRows: 20,
      shelfCols: 10,
      shelfWidth: 10,
      shelfHeight: 2,
      aisle: 1,
      margin: 24,
    });
    assert.deepEqual([inner.height, inner.width], [61, 159]);
    const bench = readMapFile("data/mapf/warehouse-10-20-10-2-1.map");
    for (let y = 0; y < bench.height; y++) {
      for (let x = 0; x < bench.width; x++) {
        const inside = x > 0 && y > 0 && x < bench.width - 1 && y < bench.height - 1;
        const expected = inside ? inner.free[(y - 1) * inner.width + (x - 1)] : 0;
        assert.equal(bench.free[y * bench.width + x], expected, `cell (${x}, ${y})`);
      }
    }
  });

  test("empty map and bad parameters", () => {
    assert.equal(freeCount(emptyMap(5, 4)), 20);
    assert.throws(() => randomMap(8, 8, 1, new Rng(0)), /density: expected a number in \[0, 1\)/);
    assert.throws(() => mazeMap(2, 9, 0, new Rng(0)), /width: expected an integer in 3\.\.4096/);
    assert.throws(() => emptyMap(0, 3), /width/);
  });
});
