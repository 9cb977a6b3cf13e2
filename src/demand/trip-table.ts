/**
 * Trips in struct-of-arrays form: one typed array per field, index i is trip i. The simulator's
 * hot paths read these arrays directly, so there is no per-trip object anywhere.
 *
 * Times are seconds since 1970-01-01T00:00 with the local wall-clock time read as if it were UTC
 * (no time zone, no DST ambiguity): `new Date(t * 1000).toISOString()` prints the local time.
 */
export interface TripTable {
  count: number;
  /** Pickup time, local wall clock as UTC seconds (see module doc). */
  pickupTime: Float64Array;
  /** Drop-off time, same convention. */
  dropoffTime: Float64Array;
  /** Pickup latitude / longitude in degrees (WGS84); NaN when the file gives only zone ids. */
  puLat: Float64Array;
  puLon: Float64Array;
  /** Drop-off latitude / longitude; NaN when unknown. */
  doLat: Float64Array;
  doLon: Float64Array;
  /** TLC taxi zone ids (1..263); −1 when unknown. */
  puZone: Int32Array;
  doZone: Int32Array;
  /** Trip distance in metres as recorded by the meter; NaN when the file has none. */
  tripDistanceM: Float64Array;
}

const FLOAT_FIELDS = [
  "pickupTime",
  "dropoffTime",
  "puLat",
  "puLon",
  "doLat",
  "doLon",
  "tripDistanceM",
] as const;
const INT_FIELDS = ["puZone", "doZone"] as const;

/** An empty table with room for `capacity` trips (count 0). */
export function allocateTrips(capacity: number): TripTable {
  const t = { count: 0 } as TripTable;
  for (const f of FLOAT_FIELDS) t[f] = new Float64Array(capacity);
  for (const f of INT_FIELDS) t[f] = new Int32Array(capacity);
  return t;
}

/** A new table with the trips at `indices`, in that order. */
export function selectTrips(trips: TripTable, indices: ArrayLike<number>): TripTable {
  const out = allocateTrips(indices.length);
  for (const f of FLOAT_FIELDS) {
    const src = trips[f];
    const dst = out[f];
    for (let i = 0; i < indices.length; i++) dst[i] = src[indices[i]];
  }
  for (const f of INT_FIELDS) {
    const src = trips[f];
    const dst = out[f];
    for (let i = 0; i < indices.length; i++) dst[i] = src[indices[i]];
  }
  out.count = indices.length;
  return out;
}

/** Copy of the table with every array cut to exactly `count` entries (frees the spare capacity). */
export function trimTrips(trips: TripTable): TripTable {
  const out = { count: trips.count } as TripTable;
  for (const f of FLOAT_FIELDS) out[f] = trips[f].slice(0, trips.count);
  for (const f of INT_FIELDS) out[f] = trips[f].slice(0, trips.count);
  return out;
}

/** Copy of the table with room for `capacity` trips (keeps the first `count`). */
export function growTrips(trips: TripTable, capacity: number): TripTable {
  const out = allocateTrips(capacity);
  for (const f of FLOAT_FIELDS) out[f].set(trips[f].subarray(0, trips.count));
  for (const f of INT_FIELDS) out[f].set(trips[f].subarray(0, trips.count));
  out.count = trips.count;
  return out;
}

/**
 * The same trips sorted by pickup time (stable: equal times keep file order). Returns the input
 * unchanged when it is already sorted, which is the common case for TLC files.
 */
export function sortTripsByPickup(trips: TripTable): TripTable {
  const t = trips.pickupTime;
  let sorted = true;
  for (let i = 1; i < trips.count && sorted; i++) sorted = t[i - 1] <= t[i];
  if (sorted) return trips;
  const order = new Uint32Array(trips.count);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => t[a] - t[b] || a - b);
  return selectTrips(trips, order);
}
