/**
 * The `Router` answers travel-time and distance questions between lat/lon points. Three
 * implementations: the embedded road graph (default), a coarse zone-to-zone matrix, and an OSRM
 * HTTP adapter for users who run OSRM for their own city. It is async because OSRM is remote.
 *
 * The simulator's hot path does not go through this interface: it asks a synchronous
 * node-to-node travel-time oracle of the road graph (see `travel-times.ts`).
 */
export interface LatLon {
  lat: number;
  lon: number;
}

/** Which hourly travel-time profile applies. */
export type DayType = "weekday" | "saturday" | "sunday";
export const DAY_TYPES: readonly DayType[] = ["weekday", "saturday", "sunday"];

export interface RouteQuery {
  /** Local hour of day, 0..23 (default 8). */
  hour?: number;
  /** Day type (default weekday). */
  day?: DayType;
}

export interface RouteResult {
  /** Travel time in seconds. */
  timeS: number;
  /** Driving distance in metres. */
  distanceM: number;
  /** Number of nodes on the path, where the router knows it (road graph, OSRM annotations). */
  pathNodes?: number;
  /** Where the router placed the two ends on its network, where it knows it. */
  snapped?: { from: SnappedPoint; to: SnappedPoint };
}

/** A query point as placed on a router's network. */
export interface SnappedPoint {
  lat: number;
  lon: number;
  /** Distance from the query point, metres. */
  distanceM: number;
  /** Road node id (embedded road graph). */
  node?: number;
  /** TLC zone id (zone matrix router). */
  zone?: number;
}

export interface Router {
  readonly name: string;
  route(from: LatLon, to: LatLon, query?: RouteQuery): Promise<RouteResult>;
  /** Row-major `sources.length × destinations.length` matrix of travel times in seconds. */
  table(sources: LatLon[], destinations: LatLon[], query?: RouteQuery): Promise<Float64Array>;
}
