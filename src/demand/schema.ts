/**
 * Trip-file schemas, recognised from the header. Each TLC generation names the same facts
 * differently; detection maps the columns present (case-insensitive, spaces trimmed) onto the
 * fields the simulator needs, so any of them loads through the same code.
 */
import { inputError } from "../core/errors.ts";

/** Field slots, in the order of `TripSchema.columns`. */
export const F_PICKUP_TIME = 0;
export const F_DROPOFF_TIME = 1;
export const F_PU_LAT = 2;
export const F_PU_LON = 3;
export const F_DO_LAT = 4;
export const F_DO_LON = 5;
export const F_PU_ZONE = 6;
export const F_DO_ZONE = 7;
export const F_DISTANCE = 8;
export const FIELD_COUNT = 9;

/** Accepted column names per field slot (lower case), TLC spellings first. */
const ALIASES: readonly (readonly string[])[] = [
  ["tpep_pickup_datetime", "lpep_pickup_datetime", "pickup_datetime", "trip_pickup_datetime"],
  ["tpep_dropoff_datetime", "lpep_dropoff_datetime", "dropoff_datetime", "trip_dropoff_datetime"],
  ["pickup_latitude", "start_lat", "pickup_lat"],
  ["pickup_longitude", "start_lon", "pickup_lon"],
  ["dropoff_latitude", "end_lat", "dropoff_lat"],
  ["dropoff_longitude", "end_lon", "dropoff_lon"],
  ["pulocationid"],
  ["dolocationid"],
  ["trip_distance", "trip_miles"],
];

/**
 * - `yellow`, `green`: TLC yellow / green taxi files with zone ids (2017 on; Parquet since 2022).
 * - `hvfhv`: high-volume for-hire (Uber, Lyft, ...) files; `fhv`: other for-hire files.
 * - `yellow-legacy`, `green-legacy`: 2009–2016 files with raw pickup/drop-off lat/lon.
 * - `fleetrl`: the project's shipped form: local times, lat/lon and zone ids of both ends.
 */
export type SchemaName =
  | "yellow"
  | "green"
  | "hvfhv"
  | "fhv"
  | "yellow-legacy"
  | "green-legacy"
  | "fleetrl";

/** How trip ends are located: TLC zone ids, coordinates, or both. */
export type LocationKind = "zones" | "coords" | "zones+coords";

export interface TripSchema {
  name: SchemaName;
  location: LocationKind;
  /** Column index in the file for each field slot, −1 when absent. */
  columns: Int32Array;
  /** Column name in the file for each field slot ("" when absent), for messages. */
  columnNames: string[];
}

/**
 * Recognise a trip file from its column names, or throw a UserError that names the file, what
 * was expected and what was found.
 *
 * @example
 * detectSchema(["VendorID", "tpep_pickup_datetime", "tpep_dropoff_datetime", "PULocationID", "DOLocationID"], "f.csv").name; // "yellow"
 */
export function detectSchema(header: readonly string[], file: string): TripSchema {
  const lower = header.map((h) => h.trim().toLowerCase());
  const columns = new Int32Array(ALIASES.length).fill(-1);
  const columnNames = ALIASES.map(() => "");
  ALIASES.forEach((names, slot) => {
    for (const name of names) {
      const at = lower.indexOf(name);
      if (at >= 0) {
        columns[slot] = at;
        columnNames[slot] = header[at].trim();
        return;
      }
    }
  });
  const shown = header.slice(0, 12).map((h) => h.trim());
  const joined = shown.join(",") + (header.length > 12 ? ",..." : "");
  const got = joined.length > 200 ? `${joined.slice(0, 200)}...` : joined;
  for (const slot of [F_PICKUP_TIME, F_DROPOFF_TIME]) {
    if (columns[slot] < 0) {
      throw inputError(file, {
        row: 1,
        field: "header",
        expected: `a trip file with a ${slot === F_PICKUP_TIME ? "pickup" : "drop-off"} time column (one of ${ALIASES[slot].join(", ")}; any letter case)`,
        got,
      });
    }
  }
  const hasZones = columns[F_PU_ZONE] >= 0 && columns[F_DO_ZONE] >= 0;
  const hasCoords = [F_PU_LAT, F_PU_LON, F_DO_LAT, F_DO_LON].every((s) => columns[s] >= 0);
  if (!hasZones && !hasCoords) {
    throw inputError(file, {
      row: 1,
      field: "header",
      expected:
        "trip locations: PULocationID and DOLocationID, or pickup_latitude, pickup_longitude, dropoff_latitude and dropoff_longitude",
      got,
    });
  }
  // A partial set of location columns is ignored rather than half-used.
  if (!hasZones) columns[F_PU_ZONE] = columns[F_DO_ZONE] = -1;
  if (!hasCoords) for (const s of [F_PU_LAT, F_PU_LON, F_DO_LAT, F_DO_LON]) columns[s] = -1;
  const location: LocationKind =
    hasZones && hasCoords ? "zones+coords" : hasZones ? "zones" : "coords";
  return {
    name: schemaName(lower, columns[F_PICKUP_TIME], location),
    location,
    columns,
    columnNames,
  };
}

function schemaName(lower: string[], pickupColumn: number, location: LocationKind): SchemaName {
  const pickup = lower[pickupColumn];
  const family = pickup.startsWith("lpep") ? "green" : "yellow";
  if (location === "coords") return family === "green" ? "green-legacy" : "yellow-legacy";
  if (pickup !== "pickup_datetime") return family;
  if (location === "zones+coords") return "fleetrl";
  return lower.includes("hvfhs_license_num") || lower.includes("trip_miles") ? "hvfhv" : "fhv";
}
