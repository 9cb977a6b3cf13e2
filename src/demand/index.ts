/** Demand: real trip records in, typed arrays out. See docs/demand.md. */
export {
  type FileFormat,
  type LoadReport,
  type LoadTripsOptions,
  loadTrips,
} from "./load-trips.ts";
export { SHIPPED_TRIPS, ZONE_LOOKUP_PATH } from "./paths.ts";
export { type NodeLocator, type PlacedTrips, placeTrips } from "./place.ts";
export { sampleTrips } from "./sample.ts";
export type { LocationKind, SchemaName } from "./schema.ts";
export { summarizeTrips, type TripSummary, type ZoneCount } from "./summary.ts";
export {
  BAD_ROW_REASONS,
  type BadRowReason,
  FILTER_REASONS,
  type FilterReason,
} from "./trip-collector.ts";
export { selectTrips, type TripTable } from "./trip-table.ts";
export { readZoneLookup, type ZoneLookup, zoneLookup } from "./zone-lookup.ts";
