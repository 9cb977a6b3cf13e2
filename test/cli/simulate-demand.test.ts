/** `simulate --demand FILE` says what it read: rows read / kept / skipped by reason, on stderr and in metrics.json. */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli, tempDir } from "./run-cli.ts";

const HEADER = "tpep_pickup_datetime,tpep_dropoff_datetime,PULocationID,DOLocationID";

test("simulate --demand with bad rows reports them by reason", () => {
  const dir = tempDir();
  const good = Array.from(
    { length: 30 },
    (_, i) =>
      `2013-09-01 01:${String(i).padStart(2, "0")}:00,2013-09-01 01:${String(i + 10).padStart(2, "0")}:00,161,237`,
  );
  const bad = [
    "yesterday,2013-09-01 01:10:00,161,141", // badTime
    "2013-09-01 01:10:00,2013-09-01 01:05:00,161,141", // dropoffBeforePickup
    "2013-09-01 01:00:00,2013-09-01 01:10:00,161,999", // unknownZone
    ",2013-09-01 01:10:00,161,141", // missingField
  ];
  const file = join(dir, "trips.csv");
  writeFileSync(file, `${[HEADER, ...good, ...bad].join("\n")}\n`);
  const out = join(dir, "sim");
  const r = runCli([
    "simulate",
    "--demand",
    file,
    "--hour",
    "1",
    "--vehicles",
    "20",
    "--epochs",
    "2",
    "--out",
    out,
  ]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(
    r.stderr,
    /trips\.csv: 34 rows read, 30 kept, 4 skipped as bad \(missingField 1, badTime 1, dropoffBeforePickup 1, unknownZone 1\)/,
  );
  const metrics = JSON.parse(readFileSync(join(out, "metrics.json"), "utf8"));
  assert.equal(metrics["demand.rowsRead"], 34);
  assert.equal(metrics["demand.kept"], 30);
  assert.equal(metrics["demand.skipped.badTime"], 1);
  assert.equal(metrics["demand.skippedTotal"], 4);
  assert.ok(metrics.requested > 0, "the episode's metrics are still there");
});
