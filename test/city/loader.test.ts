/** loadCity() rejects damaged files with a UserError naming the file and the problem. */
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { gunzipSync, gzipSync } from "node:zlib";
import { DEFAULT_CITY_DIR, loadCity, ROAD_FILE, ZONES_FILE } from "../../src/city/city.ts";
import { decodeRoadFile, encodeRoadFile } from "../../src/city/road-file.ts";
import { UserError } from "../../src/core/errors.ts";

const shippedRoad = readFileSync(join(DEFAULT_CITY_DIR, ROAD_FILE));
const shippedZones = readFileSync(join(DEFAULT_CITY_DIR, ZONES_FILE));
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A data dir holding the shipped files, with `road` / `zones` replaced where given. */
function dataDir(files: { road?: Buffer; zones?: Buffer }): string {
  const dir = mkdtempSync(join(tmpdir(), "fleetrl-city-"));
  dirs.push(dir);
  writeFileSync(join(dir, ROAD_FILE), files.road ?? shippedRoad);
  writeFileSync(join(dir, ZONES_FILE), files.zones ?? shippedZones);
  return dir;
}

function assertUserError(dir: string, file: string, message: RegExp): void {
  assert.throws(
    () => loadCity(dir),
    (err: unknown) =>
      err instanceof UserError &&
      err.message.includes(join(dir, file)) &&
      message.test(err.message),
  );
}

test("a copy of the shipped files loads", () => {
  const dir = mkdtempSync(join(tmpdir(), "fleetrl-city-"));
  dirs.push(dir);
  copyFileSync(join(DEFAULT_CITY_DIR, ROAD_FILE), join(dir, ROAD_FILE));
  copyFileSync(join(DEFAULT_CITY_DIR, ZONES_FILE), join(dir, ZONES_FILE));
  assert.equal(loadCity(dir).nodeCount, 4091);
});

test("a missing file is named", () => {
  const dir = mkdtempSync(join(tmpdir(), "fleetrl-city-"));
  dirs.push(dir);
  assertUserError(dir, ROAD_FILE, /cannot read/);
});

test("junk, a wrong signature and a truncated road file are rejected", () => {
  assertUserError(dataDir({ road: Buffer.from("hello") }), ROAD_FILE, /not a gzip file/);
  assertUserError(dataDir({ road: gzipSync("PK\u0003\u0004 zip?") }), ROAD_FILE, /signature/);
  const raw = gunzipSync(shippedRoad);
  assertUserError(
    dataDir({ road: gzipSync(raw.subarray(0, raw.length - 1000)) }),
    ROAD_FILE,
    /truncated/,
  );
});

test("an edge pointing outside the node range and a zero travel time are named", () => {
  const bad = decodeRoadFile(shippedRoad, "shipped");
  bad.edgeTarget[17] = 99999;
  assertUserError(dataDir({ road: encodeRoadFile(bad) }), ROAD_FILE, /edge 17: expected endpoints/);
  const zero = decodeRoadFile(shippedRoad, "shipped");
  zero.edgeTime[(0 * 24 + 2) * 9452 + 5] = 0; // layout [day][hour][edge]: weekday, 2h, edge 5
  assertUserError(
    dataDir({ road: encodeRoadFile(zero) }),
    ROAD_FILE,
    /edge 5 weekday hour 2: expected a travel time > 0/,
  );
});

test("a zones file that is not ours, or with a broken polygon, is named", () => {
  assertUserError(dataDir({ zones: gzipSync("{}") }), ZONES_FILE, /format/);
  const doc = JSON.parse(gunzipSync(shippedZones).toString("utf8"));
  doc.zones[3].polygons = [[[[0, 0]]]];
  assertUserError(
    dataDir({ zones: gzipSync(JSON.stringify(doc)) }),
    ZONES_FILE,
    /zones\[3\]\.polygons/,
  );
});
