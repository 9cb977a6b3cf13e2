/** Bad rows are skipped and counted by reason; strict mode names file, row and field. */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { after, test } from "node:test";
import { UserError } from "../../src/core/errors.ts";
import { loadTrips } from "../../src/demand/load-trips.ts";
import { tempDir, writeCsv, writeCsvGz, writeParquet } from "./fixtures.ts";

const { dir, cleanup } = tempDir();
after(cleanup);

const ZONE_HEADER = "tpep_pickup_datetime,tpep_dropoff_datetime,PULocationID,DOLocationID";
const ZONE_ROWS = [
  "2023-01-01 00:00:00,2023-01-01 00:10:00,161,141", // line 2: good
  ",2023-01-01 00:10:00,161,141", // 3: missing pickup
  "2023-01-01 00:00:00,,161,141", // 4: missing drop-off
  "2023-13-01 00:00:00,2023-01-01 00:10:00,161,141", // 5: month 13
  "yesterday,2023-01-01 00:10:00,161,141", // 6: not a time
  "2023-01-01 00:10:00,2023-01-01 00:05:00,161,141", // 7: drop-off before pickup
  "2023-01-01 00:00:00,2023-01-01 00:10:00,264,141", // 8: zone "Unknown"
  "2023-01-01 00:00:00,2023-01-01 00:10:00,161,999", // 9: no such zone
  "2023-01-01 00:00:00,2023-01-01 00:10:00,abc,141", // 10: not a number
  "2023-01-01 00:00:00,2023-01-01 00:10:00,161", // 11: too few fields
  "2023-01-01 00:20:00,2023-01-01 00:30:00,132,161", // 12: good (JFK -> Midtown) but Queens
  "2023-01-01 00:20:00,2023-01-01 00:30:00,161,61", // 13: good but ends in Brooklyn
  "2023-01-01 00:40:00,2023-01-01 00:50:00,161,161", // 14: good
];

for (const [format, write] of [
  ["csv", writeCsv],
  ["parquet", writeParquet],
] as const) {
  test(`zone rows from ${format}: counted by reason`, async () => {
    const rows =
      format === "parquet"
        ? ZONE_ROWS.filter(
            (r) => !r.includes("yesterday") && !r.includes("13-01") && !r.includes("abc"),
          )
        : ZONE_ROWS;
    const file = write(`${dir}/bad.${format}`, ZONE_HEADER, rows);
    const { trips, report } = await loadTrips(file);
    const csv = format === "csv";
    assert.deepEqual(report.skipped, {
      missingField: 3,
      badTime: csv ? 2 : 0,
      dropoffBeforePickup: 1,
      unknownZone: csv ? 3 : 2,
      outsideCity: 0,
    });
    assert.deepEqual(report.filtered, { date: 0, window: 0, borough: 2 });
    assert.equal(report.rowsRead, rows.length);
    assert.equal(report.kept, 2);
    assert.equal(trips.count, 2);
    assert.equal(report.rowsRead, report.kept + report.skippedTotal + report.filteredTotal);
  });
}

test("blank lines are not rows", async () => {
  const file = writeCsv(`${dir}/blank.csv`, ZONE_HEADER, ["", ZONE_ROWS[0], "", ""]);
  const { report } = await loadTrips(file);
  assert.equal(report.rowsRead, 1);
  assert.equal(report.kept, 1);
});

const LATLON_HEADER =
  "pickup_datetime,dropoff_datetime,pickup_longitude,pickup_latitude,dropoff_longitude,dropoff_latitude";
const LATLON_ROWS = [
  "2013-01-01 15:11:48,2013-01-01 15:18:10,-73.978165,40.757977,-73.989838,40.751171", // good
  "2013-01-01 15:11:48,2013-01-01 15:18:10,0,0,-73.989838,40.751171", // GPS junk
  "2013-01-01 15:11:48,2013-01-01 15:18:10,-73.978165,north,-73.989838,40.751171", // not a number
  "2013-01-01 15:11:48,2013-01-01 15:18:10,-73.978165,40.757977,,40.751171", // missing
  "2013-01-01 15:11:48,2013-01-01 15:18:10,-73.978165,40.757977,-73.944200,40.678200", // to Brooklyn
];

test("lat/lon rows: outside the city, missing, and borough by bounding box", async () => {
  const file = writeCsvGz(`${dir}/latlon.csv.gz`, LATLON_HEADER, LATLON_ROWS);
  const { trips, report } = await loadTrips(file);
  assert.equal(report.schema, "yellow-legacy");
  assert.equal(report.skipped.outsideCity, 2);
  assert.equal(report.skipped.missingField, 1);
  assert.equal(report.filtered.borough, 1);
  assert.equal(trips.count, 1);
  assert.equal(trips.puZone[0], -1);
  const all = await loadTrips(file, { borough: "all" });
  assert.equal(all.trips.count, 2);
});

test("lat/lon rows get zones from a caller's zoneOf, which also decides the borough", async () => {
  const file = writeCsvGz(`${dir}/latlon.csv.gz`, LATLON_HEADER, LATLON_ROWS);
  // A toy zone map: north of 40.754 is zone 161 (Midtown Center), south of it 164, else nothing.
  const zoneOf = (lat: number, _lon: number) => (lat > 40.754 ? 161 : lat > 40.7 ? 164 : -1);
  const { trips } = await loadTrips(file, { zoneOf });
  assert.equal(trips.count, 1);
  assert.equal(trips.puZone[0], 161);
  assert.equal(trips.doZone[0], 164);
  const all = await loadTrips(file, { zoneOf, borough: "all" });
  assert.deepEqual([...all.trips.doZone], [164, -1]);
});

test("strict mode fails on the first bad row, naming file, row and field", async () => {
  const file = writeCsv(`${dir}/strict.csv`, ZONE_HEADER, [
    ZONE_ROWS[0],
    ZONE_ROWS[3],
    ZONE_ROWS[1],
  ]);
  await assert.rejects(loadTrips(file, { strict: true }), (e: unknown) => {
    assert.ok(e instanceof UserError);
    assert.equal(
      e.message,
      `${file}: row 3: tpep_pickup_datetime: expected a date-time like 2013-09-01 14:05:00 (got "2023-13-01 00:00:00")`,
    );
    return true;
  });
  const zones = writeCsv(`${dir}/strict-zone.csv`, ZONE_HEADER, [ZONE_ROWS[7]]);
  await assert.rejects(
    loadTrips(zones, { strict: true }),
    /row 2: DOLocationID: expected a TLC taxi zone id.*\(got "999"\)/,
  );
  const coords = writeCsvGz(`${dir}/strict-ll.csv.gz`, LATLON_HEADER, [LATLON_ROWS[1]]);
  await assert.rejects(
    loadTrips(coords, { strict: true }),
    /row 2: pickup_latitude,pickup_longitude: expected a point in New York City.*\(got "0,0"\)/,
  );
  // Filtered rows are not errors: strict mode with a window that excludes every good row.
  const good = writeCsv(`${dir}/strict-good.csv`, ZONE_HEADER, [ZONE_ROWS[0], ZONE_ROWS[11]]);
  const { report } = await loadTrips(good, { strict: true, from: "06:00", to: "07:00" });
  assert.equal(report.kept, 0);
  assert.equal(report.filtered.window, 2);
});

test("files that are not trip files are rejected with one clear UserError", async () => {
  const cases: [string, string | Uint8Array, RegExp][] = [
    ["empty.csv", "", /empty file/],
    [
      "junk.bin",
      new Uint8Array([7, 0, 1, 2, 255, 0, 9, 10, 11, 0]),
      /not a CSV text file \(NUL bytes\)/,
    ],
    [
      "people.csv",
      "name,age\nbob,3\n",
      /row 1: header: expected a trip file with a pickup time column.*\(got "name,age"\)/,
    ],
    [
      "nolocation.csv",
      "tpep_pickup_datetime,tpep_dropoff_datetime,fare\n2023-01-01 00:00:00,2023-01-01 00:10:00,5\n",
      /expected trip locations: PULocationID and DOLocationID/,
    ],
    [
      "broken.csv.gz",
      new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8]),
      /not a valid gzip file/,
    ],
    ["broken.parquet", "PAR1 this is not parquet at all PAR1", /not a readable Parquet file/],
  ];
  for (const [name, content, message] of cases) {
    const file = `${dir}/${name}`;
    writeFileSync(file, content);
    await assert.rejects(loadTrips(file), (e: unknown) => {
      assert.ok(e instanceof UserError, `${name}: ${e}`);
      assert.match(e.message, message);
      assert.ok(e.message.startsWith(file), e.message);
      return true;
    });
  }
  await assert.rejects(
    loadTrips(`${dir}/nope.csv`),
    /nope\.csv: cannot read trip file \(no such file\)/,
  );
  await assert.rejects(loadTrips(dir), /is a directory/);
});

test("a header-only trip file is valid and empty", async () => {
  const { trips, report } = await loadTrips(writeCsv(`${dir}/header.csv`, ZONE_HEADER, []));
  assert.equal(trips.count, 0);
  assert.equal(report.firstPickup, null);
});

test("bad options are UserErrors", async () => {
  const file = writeCsv(`${dir}/opt.csv`, ZONE_HEADER, [ZONE_ROWS[0]]);
  await assert.rejects(
    loadTrips(file, { borough: "Atlantis" }),
    /borough: expected one of all, .*Manhattan/,
  );
  await assert.rejects(loadTrips(file, { date: "2013/09/01" }), /date: expected YYYY-MM-DD/);
  await assert.rejects(loadTrips(file, { from: "25:00" }), /from: expected a time of day HH:MM/);
  await assert.rejects(loadTrips(file, { limit: 0 }), /limit: expected a positive whole number/);
});
