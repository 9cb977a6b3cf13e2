/**
 * Validation of the user-facing parts of a route request: day type, hour and coordinates.
 * Mistakes are UserErrors (exit code 2 in the CLI).
 */
import { UserError } from "../core/errors.ts";
import { DAY_TYPES, type DayType, type LatLon, type RouteQuery } from "./router.ts";

/** Defaults from router.ts: weekday, 08:00. */
export function resolveRouteQuery(query: RouteQuery = {}): { day: DayType; hour: number } {
  const day = query.day ?? "weekday";
  const hour = query.hour ?? 8;
  if (!DAY_TYPES.includes(day)) {
    throw new UserError(
      `day: expected one of ${DAY_TYPES.join(", ")} (got ${JSON.stringify(day)})`,
    );
  }
  if (!(Number.isInteger(hour) && hour >= 0 && hour <= 23)) {
    throw new UserError(`hour: expected an integer 0..23 (got ${JSON.stringify(hour)})`);
  }
  return { day, hour };
}

/**
 * Parse "LAT,LON" in decimal degrees.
 *
 * @example
 * parseLatLon("40.7549,-73.9840", "--from"); // { lat: 40.7549, lon: -73.984 }
 */
export function parseLatLon(text: string, what: string): LatLon {
  const m = /^\s*([+-]?\d+(?:\.\d+)?)\s*,\s*([+-]?\d+(?:\.\d+)?)\s*$/.exec(text);
  const lat = m ? Number(m[1]) : Number.NaN;
  const lon = m ? Number(m[2]) : Number.NaN;
  if (!(Math.abs(lat) <= 90 && Math.abs(lon) <= 180)) {
    throw new UserError(
      `${what}: expected LAT,LON in decimal degrees, e.g. 40.7549,-73.9840 (got ${JSON.stringify(text)})`,
    );
  }
  return { lat, lon };
}

/** Throw a UserError unless the point has finite coordinates in range. */
export function checkLatLon(p: LatLon, what: string): void {
  if (!(Math.abs(p?.lat) <= 90 && Math.abs(p?.lon) <= 180)) {
    throw new UserError(
      `${what}: expected lat in -90..90 and lon in -180..180 (got ${JSON.stringify(p)})`,
    );
  }
}
