/**
 * The road network in shared memory (city/shared-road.ts): loading the same road file again
 * adopts the arrays decoded first, in this thread and in a worker thread they are handed to, with
 * the file's values; another file, or the same file changed, is decoded anew.
 */
import assert from "node:assert/strict";
import { copyFileSync, readFileSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { Worker } from "node:worker_threads";
import { DEFAULT_CITY_DIR, loadCity, ROAD_FILE, ZONES_FILE } from "../../src/city/city.ts";
import { decodeRoadFile } from "../../src/city/road-file.ts";
import { sharedRoads } from "../../src/city/shared-road.ts";
import { tempDir } from "../cli/run-cli.ts";

const bytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

test("a road file is decoded once per thread, into shared memory, with the file's values", () => {
  const a = loadCity();
  const b = loadCity();
  assert.equal(a.nodeLat, b.nodeLat);
  assert.equal(a.edgeLength, b.edgeLength);
  assert.ok(a.nodeLat.buffer instanceof SharedArrayBuffer);
  const path = join(DEFAULT_CITY_DIR, ROAD_FILE);
  const file = decodeRoadFile(readFileSync(path), path);
  const m = file.meta.edgeCount;
  assert.ok(bytes(a.nodeLat).equals(bytes(file.nodeLat)));
  assert.ok(bytes(a.edgeLength).equals(bytes(file.edgeLength)));
  assert.ok(
    // every day type's 24 hours of edge times, weekday first
    bytes(a.edgeTimes("weekday", 8)).equals(bytes(file.edgeTime.subarray(8 * m, 9 * m))),
  );
  assert.ok(sharedRoads().some((r) => r.road.nodeLat === a.nodeLat));
});

test("another file, or the same file changed since, is decoded anew", () => {
  const dir = tempDir("fleetrl-road-");
  copyFileSync(join(DEFAULT_CITY_DIR, ROAD_FILE), join(dir, ROAD_FILE));
  copyFileSync(join(DEFAULT_CITY_DIR, ZONES_FILE), join(dir, ZONES_FILE));
  const copy = loadCity(dir);
  assert.notEqual(copy.nodeLat, loadCity().nodeLat);
  assert.equal(loadCity(dir).nodeLat, copy.nodeLat);
  utimesSync(join(dir, ROAD_FILE), new Date(2020, 0, 1), new Date(2020, 0, 1));
  assert.notEqual(loadCity(dir).nodeLat, copy.nodeLat);
});

test("a worker thread given the roads loads the city from them (shared memory, not a copy)", async () => {
  const dir = tempDir("fleetrl-road-");
  copyFileSync(join(DEFAULT_CITY_DIR, ROAD_FILE), join(dir, ROAD_FILE));
  copyFileSync(join(DEFAULT_CITY_DIR, ZONES_FILE), join(dir, ZONES_FILE));
  const here = loadCity(dir);
  const url = (p: string) => JSON.stringify(new URL(p, import.meta.url).href);
  const src = `
    const { workerData, parentPort } = require("node:worker_threads");
    import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then(async (tsx) => {
      tsx.register();
      const { installRoads } = await import(${url("../../src/city/shared-road.ts")});
      const { loadCity } = await import(${url("../../src/city/city.ts")});
      installRoads(workerData.roads);
      const city = loadCity(workerData.dir);
      city.nodeLat[0] = 42; // the test's thread sees the write only if the memory is shared
      parentPort.postMessage(city.nodeLat.buffer instanceof SharedArrayBuffer);
    });`;
  const shared = await new Promise((resolve, reject) => {
    const w = new Worker(src, { eval: true, workerData: { roads: sharedRoads(), dir } });
    w.once("message", resolve);
    w.once("error", reject);
  });
  assert.equal(shared, true);
  assert.equal(here.nodeLat[0], 42);
});
