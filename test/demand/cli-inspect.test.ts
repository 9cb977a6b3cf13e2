/** `fleetrl data inspect` end to end, as a user runs it. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { tempDir, writeCsv } from "./fixtures.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const { dir, cleanup } = tempDir();
after(cleanup);

/** Run the CLI through tsx (what `npx tsx src/cli/main.ts` does, without npx's start-up). */
function fleetrl(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("data inspect --json on the shipped day prints one object with the summary", () => {
  const r = fleetrl(
    "data",
    "inspect",
    "data/manhattan/trips-2013-09-01.csv.gz",
    "--date",
    "2013-09-01",
    "--json",
  );
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.schema, "fleetrl");
  assert.equal(out.rowsRead, 110784);
  // The one drop-off in no zone polygon is outside Manhattan by the city's zones (data README: 110,783).
  assert.equal(out.kept, 110768);
  assert.equal(out.filtered.date, 15);
  assert.equal(out.filtered.borough, 1);
  assert.equal(out.tripsPerHour.length, 24);
  assert.equal(out.tripsPerHour[6], 854);
  assert.equal(out.topPickupZones.length, 10);
  assert.deepEqual(out.topPickupZones[0], {
    zone: 48,
    name: "Clinton East",
    borough: "Manhattan",
    trips: 5888,
  });
  assert.equal(out.firstPickup, "2013-09-01 00:00:00");
});

test("data inspect counts bad rows of a user file and honours the window flags", () => {
  const file = writeCsv(
    `${dir}/user.csv`,
    "tpep_pickup_datetime,tpep_dropoff_datetime,PULocationID,DOLocationID",
    [
      "2023-01-01 08:00:00,2023-01-01 08:10:00,161,141",
      "2023-01-01 09:00:00,2023-01-01 09:10:00,161,141",
      "2023-01-01 08:30:00,2023-01-01 08:10:00,161,141",
      "2023-01-01 08:30:00,2023-01-01 08:40:00,264,141",
    ],
  );
  const r = fleetrl("data", "inspect", file, "--from", "08:00", "--to", "09:00", "--json");
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.kept, 1);
  assert.equal(out.skipped.dropoffBeforePickup, 1);
  assert.equal(out.skipped.unknownZone, 1);
  assert.equal(out.filtered.window, 1);
  const human = fleetrl("data", "inspect", file);
  assert.equal(human.code, 0);
  assert.match(human.stdout, /4 read, 2 kept, 2 skipped as bad/);
  assert.match(human.stdout, /161 Midtown Center \(Manhattan\)/);
});

test("data inspect places lat/lon-only trips in zones with the shipped city's polygons", () => {
  const file = writeCsv(
    `${dir}/legacy.csv`,
    "pickup_datetime,dropoff_datetime,pickup_longitude,pickup_latitude,dropoff_longitude,dropoff_latitude",
    [
      "2013-01-01 15:11:48,2013-01-01 15:18:10,-73.978165,40.757977,-73.989838,40.751171",
      // Ends in Brooklyn Heights: inside Manhattan's bounding box, outside its zones.
      "2013-01-01 15:11:48,2013-01-01 15:38:10,-73.978165,40.757977,-73.993803,40.695922",
    ],
  );
  const out = JSON.parse(fleetrl("data", "inspect", file, "--json").stdout);
  assert.equal(out.schema, "yellow-legacy");
  assert.equal(out.kept, 1);
  assert.equal(out.filtered.borough, 1);
  assert.equal(out.pickupsWithoutZone, 0);
  assert.equal(out.topPickupZones[0].borough, "Manhattan");
});

test("junk, strict failures and bad flags exit 2 with one line on stderr, no stack trace", () => {
  const junk = `${dir}/junk.csv`;
  writeFileSync(junk, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
  const bad = writeCsv(
    `${dir}/bad.csv`,
    "tpep_pickup_datetime,tpep_dropoff_datetime,PULocationID,DOLocationID",
    [
      "2023-01-01 08:00:00,2023-01-01 08:10:00,161,141",
      "2023-01-01 08:00:00,2023-01-01 08:10:00,161,abc",
    ],
  );
  for (const [args, message] of [
    [["data", "inspect", junk, "--json"], /junk\.csv: not a CSV text file/],
    [
      ["data", "inspect", bad, "--strict"],
      /bad\.csv: row 3: DOLocationID: expected a TLC taxi zone id/,
    ],
    [["data", "inspect", bad, "--borough", "Atlantis"], /borough: expected one of all/],
    [
      ["data", "inspect", `${dir}/missing.csv`],
      /missing\.csv: cannot read trip file \(no such file\)/,
    ],
  ] as const) {
    const r = fleetrl(...args);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
});
