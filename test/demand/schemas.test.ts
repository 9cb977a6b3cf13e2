/** Every supported schema, in CSV, CSV.gz and Parquet, parsed to the same known values. */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { loadTrips } from "../../src/demand/load-trips.ts";
import type { SchemaName } from "../../src/demand/schema.ts";
import { tempDir, writeCsv, writeCsvGz, writeParquet } from "./fixtures.ts";

const MILE = 1609.344;
const t = (s: string) => Date.parse(`${s.replace(" ", "T")}Z`) / 1000;

interface Case {
  schema: SchemaName;
  header: string;
  rows: string[];
  /** Expected per trip (in file order): pickup, dropoff, zones, coords, miles. */
  expect: {
    pu: string;
    do: string;
    puZone: number;
    doZone: number;
    puLat?: number;
    doLon?: number;
    miles?: number;
  }[];
}

const CASES: Case[] = [
  {
    schema: "yellow",
    header:
      "VendorID,tpep_pickup_datetime,tpep_dropoff_datetime,passenger_count,trip_distance,RatecodeID,store_and_fwd_flag,PULocationID,DOLocationID,payment_type,fare_amount",
    rows: [
      "2,2023-01-01 00:32:10,2023-01-01 00:40:36,1,0.97,1,N,161,141,2,9.3",
      "2,2023-01-01 00:55:08,2023-01-01 01:01:27,1,1.1,1,N,43,237,1,7.9",
    ],
    expect: [
      {
        pu: "2023-01-01 00:32:10",
        do: "2023-01-01 00:40:36",
        puZone: 161,
        doZone: 141,
        miles: 0.97,
      },
      { pu: "2023-01-01 00:55:08", do: "2023-01-01 01:01:27", puZone: 43, doZone: 237, miles: 1.1 },
    ],
  },
  {
    schema: "green",
    header:
      "VendorID,lpep_pickup_datetime,lpep_dropoff_datetime,store_and_fwd_flag,RatecodeID,PULocationID,DOLocationID,passenger_count,trip_distance",
    rows: ["2,2023-01-01 00:26:10,2023-01-01 00:37:11,N,1,166,143,1,2.58"],
    expect: [
      {
        pu: "2023-01-01 00:26:10",
        do: "2023-01-01 00:37:11",
        puZone: 166,
        doZone: 143,
        miles: 2.58,
      },
    ],
  },
  {
    schema: "hvfhv",
    header:
      "hvfhs_license_num,dispatching_base_num,request_datetime,on_scene_datetime,pickup_datetime,dropoff_datetime,PULocationID,DOLocationID,trip_miles,trip_time,base_passenger_fare",
    rows: [
      "HV0003,B03404,2023-01-01 00:18:06,2023-01-01 00:19:24,2023-01-01 00:19:38,2023-01-01 00:48:07,48,68,0.94,1709,25.95",
    ],
    expect: [
      { pu: "2023-01-01 00:19:38", do: "2023-01-01 00:48:07", puZone: 48, doZone: 68, miles: 0.94 },
    ],
  },
  {
    schema: "yellow-legacy",
    // The 2013 trip_data files: spaces after the commas of the header.
    header:
      "medallion, hack_license, vendor_id, rate_code, store_and_fwd_flag, pickup_datetime, dropoff_datetime, passenger_count, trip_time_in_secs, trip_distance, pickup_longitude, pickup_latitude, dropoff_longitude, dropoff_latitude",
    rows: [
      "89D227B655E5C82AECF13C3F540D4CF4,BA96DE419E711691B9445D6A6307C170,CMT,1,N,2013-01-01 15:11:48,2013-01-01 15:18:10,4,382,1.0,-73.978165,40.757977,-73.989838,40.751171",
    ],
    expect: [
      {
        pu: "2013-01-01 15:11:48",
        do: "2013-01-01 15:18:10",
        puZone: -1,
        doZone: -1,
        puLat: 40.757977,
        doLon: -73.989838,
        miles: 1,
      },
    ],
  },
  {
    schema: "yellow-legacy",
    // 2009 spelling.
    header:
      "vendor_name,Trip_Pickup_DateTime,Trip_Dropoff_DateTime,Passenger_Count,Trip_Distance,Start_Lon,Start_Lat,Rate_Code,store_and_forward,End_Lon,End_Lat,Payment_Type",
    rows: [
      "VTS,2009-01-04 02:52:00,2009-01-04 03:02:00,1,2.63,-73.991957,40.721567,,,-73.993803,40.695922,CASH",
    ],
    expect: [
      {
        pu: "2009-01-04 02:52:00",
        do: "2009-01-04 03:02:00",
        puZone: -1,
        doZone: -1,
        puLat: 40.721567,
        doLon: -73.993803,
        miles: 2.63,
      },
    ],
  },
  {
    schema: "fleetrl",
    header:
      "pickup_datetime,dropoff_datetime,pickup_latitude,pickup_longitude,dropoff_latitude,dropoff_longitude,PULocationID,DOLocationID",
    rows: [
      "2013-09-01 00:00:00,2013-09-01 00:06:00,40.731310,-73.988626,40.747054,-73.981222,79,170",
    ],
    expect: [
      {
        pu: "2013-09-01 00:00:00",
        do: "2013-09-01 00:06:00",
        puZone: 79,
        doZone: 170,
        puLat: 40.73131,
        doLon: -73.981222,
      },
    ],
  },
];

const { dir, cleanup } = tempDir();
after(cleanup);

const WRITERS = { csv: writeCsv, "csv.gz": writeCsvGz, parquet: writeParquet } as const;

describe("schemas", () => {
  CASES.forEach((c, n) => {
    for (const [format, write] of Object.entries(WRITERS)) {
      test(`${c.schema} #${n} from ${format}`, async () => {
        const file = write(`${dir}/case${n}.${format}`, c.header, c.rows);
        const { trips, report } = await loadTrips(file, { borough: "all" });
        assert.equal(report.schema, c.schema);
        assert.equal(report.format, format);
        assert.equal(report.rowsRead, c.rows.length);
        assert.equal(report.skippedTotal, 0);
        assert.equal(trips.count, c.expect.length);
        c.expect.forEach((e, i) => {
          assert.equal(trips.pickupTime[i], t(e.pu));
          assert.equal(trips.dropoffTime[i], t(e.do));
          assert.equal(trips.puZone[i], e.puZone);
          assert.equal(trips.doZone[i], e.doZone);
          if (e.puLat === undefined) assert.ok(Number.isNaN(trips.puLat[i]));
          else assert.equal(trips.puLat[i], e.puLat);
          if (e.doLon === undefined) assert.ok(Number.isNaN(trips.doLon[i]));
          else assert.equal(trips.doLon[i], e.doLon);
          if (e.miles === undefined) assert.ok(Number.isNaN(trips.tripDistanceM[i]));
          else assert.ok(Math.abs(trips.tripDistanceM[i] - e.miles * MILE) < 1e-6);
        });
      });
    }
  });

  test("column names match in any letter case, and quoted headers and fields are read", async () => {
    const file = writeCsv(
      `${dir}/case.csv`,
      '"TPEP_PICKUP_DATETIME","Tpep_Dropoff_Datetime","pulocationid","DOLOCATIONID","note"',
      ['"2023-01-01 00:32:10","2023-01-01 00:40:36","161","141","a, ""quoted"" note"'],
    );
    const { trips, report } = await loadTrips(file);
    assert.equal(report.schema, "yellow");
    assert.equal(trips.count, 1);
    assert.equal(trips.doZone[0], 141);
  });

  test("a Parquet file with many row groups and a row limit stops early", async () => {
    const rows = Array.from(
      { length: 50 },
      (_, i) => `2023-01-01 00:${String(i).padStart(2, "0")}:00,2023-01-01 01:00:00,161,141`,
    );
    const file = writeParquet(
      `${dir}/many.parquet`,
      "tpep_pickup_datetime,tpep_dropoff_datetime,PULocationID,DOLocationID",
      rows,
      7,
    );
    const all = await loadTrips(file);
    assert.equal(all.trips.count, 50);
    assert.equal(all.trips.pickupTime[49] - all.trips.pickupTime[0], 49 * 60);
    const some = await loadTrips(file, { limit: 10 });
    assert.equal(some.trips.count, 10);
    assert.ok(some.report.rowsRead < 50);
    assert.equal(some.report.reachedLimit, true);
  });

  test("a GZIP-compressed Parquet file is read through node:zlib", async () => {
    const c = CASES[0];
    const file = writeParquet(`${dir}/gzip.parquet`, c.header, c.rows, 1, "GZIP");
    const { trips } = await loadTrips(file);
    assert.equal(trips.count, 2);
    assert.deepEqual([...trips.puZone], [161, 43]);
  });
});
