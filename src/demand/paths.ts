/** Data files shipped with fleetrl, resolved relative to this module (works from any cwd). */
import { fileURLToPath } from "node:url";

/** One real day of Manhattan yellow-taxi trips (Sunday 2013-09-01), in the `fleetrl` schema. */
export const SHIPPED_TRIPS = fileURLToPath(
  new URL("../../data/manhattan/trips-2013-09-01.csv.gz", import.meta.url),
);

/** The official TLC taxi zone lookup: all 265 ids with borough and zone name. */
export const ZONE_LOOKUP_PATH = fileURLToPath(
  new URL("../../data/manhattan/taxi_zone_lookup.csv", import.meta.url),
);
