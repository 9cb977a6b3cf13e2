/** Date, time-window and borough filters, checked against a brute-force count. */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import fc from "fast-check";
import { formatDateTime } from "../../src/demand/datetime.ts";
import { loadTrips } from "../../src/demand/load-trips.ts";
import { tempDir, writeCsv } from "./fixtures.ts";

const { dir, cleanup } = tempDir();
after(cleanup);

const HEADER = "tpep_pickup_datetime,tpep_dropoff_datetime,PULocationID,DOLocationID";
const DAY0 = Date.UTC(2023, 0, 30) / 1000; // Monday

test("date and window filters keep exactly the pickups a brute-force scan keeps", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.integer({ min: 0, max: 3 * 86400 - 1 }), { minLength: 1, maxLength: 40 }),
      fc.integer({ min: 0, max: 2 }),
      fc.integer({ min: 0, max: 24 * 4 }),
      fc.integer({ min: 0, max: 24 * 4 }),
      async (offsets, day, fromQ, toQ) => {
        const rows = offsets.map(
          (o) => `${formatDateTime(DAY0 + o)},${formatDateTime(DAY0 + o + 600)},161,141`,
        );
        const file = writeCsv(`${dir}/prop.csv`, HEADER, rows);
        const clock = (q: number) =>
          `${String(Math.floor(q / 4)).padStart(2, "0")}:${String((q % 4) * 15).padStart(2, "0")}`;
        const date = formatDateTime(DAY0 + day * 86400).slice(0, 10);
        const from = fromQ * 900;
        const to = toQ * 900;
        const { trips, report } = await loadTrips(file, {
          date,
          from: clock(fromQ),
          to: clock(toQ),
        });
        const expected = offsets.filter((o) => {
          if (Math.floor(o / 86400) !== day) return false;
          const tod = o % 86400;
          return from <= to ? tod >= from && tod < to : tod >= from || tod < to;
        }).length;
        assert.equal(trips.count, expected);
        assert.equal(report.rowsRead, offsets.length);
        for (let i = 1; i < trips.count; i++)
          assert.ok(trips.pickupTime[i - 1] <= trips.pickupTime[i]);
      },
    ),
    { numRuns: 40 },
  );
});

test("a window past midnight wraps (22:00-02:00)", async () => {
  const rows = ["21:59", "22:00", "23:30", "00:00", "01:59", "02:00"].map(
    (c) => `2023-01-30 ${c}:00,2023-01-30 23:59:00,161,141`,
  );
  const { trips } = await loadTrips(writeCsv(`${dir}/wrap.csv`, HEADER, rows), {
    from: "22:00",
    to: "02:00",
  });
  assert.deepEqual(
    [...trips.pickupTime].map((t) => formatDateTime(t).slice(11, 16)),
    ["00:00", "01:59", "22:00", "23:30"],
  );
});

test("borough filter uses the zone lookup at both ends; 'all' keeps every borough", async () => {
  const rows = [
    "2023-01-30 08:00:00,2023-01-30 08:30:00,161,141", // Manhattan -> Manhattan
    "2023-01-30 08:00:00,2023-01-30 08:30:00,132,161", // Queens -> Manhattan
    "2023-01-30 08:00:00,2023-01-30 08:30:00,61,61", // Brooklyn -> Brooklyn
    "2023-01-30 08:00:00,2023-01-30 08:30:00,1,161", // EWR -> Manhattan
  ];
  const file = writeCsv(`${dir}/boroughs.csv`, HEADER, rows);
  assert.equal((await loadTrips(file)).trips.count, 1);
  assert.equal((await loadTrips(file, { borough: "brooklyn" })).trips.count, 1);
  assert.equal((await loadTrips(file, { borough: "Queens" })).trips.count, 0);
  const all = await loadTrips(file, { borough: "all" });
  assert.equal(all.trips.count, 4);
  assert.deepEqual(all.report.filtered, { date: 0, window: 0, borough: 0 });
});

test("progress is reported with rows read and reaches fraction 1", async () => {
  const rows = Array.from(
    { length: 30000 },
    (_, i) => `${formatDateTime(DAY0 + i)},${formatDateTime(DAY0 + i + 60)},161,141`,
  );
  const file = writeCsv(`${dir}/progress.csv`, HEADER, rows);
  const seen: [number, number][] = [];
  await loadTrips(file, { onProgress: (rows, fraction) => seen.push([rows, fraction]) });
  assert.ok(seen.length >= 1);
  assert.deepEqual(seen.at(-1), [30000, 1]);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i][0] >= seen[i - 1][0]);
});
