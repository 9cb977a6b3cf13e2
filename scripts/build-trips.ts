/**
 * Build the shipped trip day, data/manhattan/trips-2013-09-01.csv.gz, from the raw shared file
 * (../shared/data/manhattan/trips/manhattan_yellow_trips_2013-09-01.csv.gz).
 *
 * The output keeps only what the simulator needs, under TLC column names so it goes through the
 * same loader as any user file (schema `fleetrl`): local pickup/drop-off times, pickup/drop-off
 * lat/lon and TLC zone ids. Dropped: trip_id, medallion, pickup_min/duration_min (derivable), and
 * start_node/end_node (ids of a different road network). Every raw row must load cleanly; the
 * script fails otherwise. Re-runnable: the output is a pure function of the input.
 *
 * Run: npx tsx scripts/build-trips.ts [raw.csv.gz] [out.csv.gz]
 */
import { gzipSync } from "node:zlib";
import { writeFileAtomic } from "../src/core/atomic-write.ts";
import { formatDateTime } from "../src/demand/datetime.ts";
import { loadTrips } from "../src/demand/load-trips.ts";
import { SHIPPED_TRIPS } from "../src/demand/paths.ts";

const RAW = "../shared/data/manhattan/trips/manhattan_yellow_trips_2013-09-01.csv.gz";
const input = process.argv[2] ?? new URL(`../${RAW}`, import.meta.url).pathname;
const output = process.argv[3] ?? SHIPPED_TRIPS;

const { trips, report } = await loadTrips(input, { borough: "all", strict: true });
if (report.kept !== report.rowsRead) {
  throw new Error(`expected every raw row kept, got ${report.kept} of ${report.rowsRead}`);
}
const header =
  "pickup_datetime,dropoff_datetime,pickup_latitude,pickup_longitude,dropoff_latitude,dropoff_longitude,PULocationID,DOLocationID";
const lines = [header];
for (let i = 0; i < trips.count; i++) {
  lines.push(
    [
      formatDateTime(trips.pickupTime[i]),
      formatDateTime(trips.dropoffTime[i]),
      trips.puLat[i].toFixed(6),
      trips.puLon[i].toFixed(6),
      trips.doLat[i].toFixed(6),
      trips.doLon[i].toFixed(6),
      zoneText(trips.puZone[i]),
      zoneText(trips.doZone[i]),
    ].join(","),
  );
}
/** An unknown zone (one raw drop-off lies in no zone polygon) stays an empty field, as in TLC files. */
function zoneText(zone: number): string {
  return zone >= 0 ? String(zone) : "";
}

const bytes = gzipSync(`${lines.join("\n")}\n`, { level: 9 });
writeFileAtomic(output, bytes);
console.log(
  `${output}: ${trips.count} trips (${report.firstPickup} .. ${report.lastPickup}), ${(bytes.length / 1e6).toFixed(2)} MB`,
);
