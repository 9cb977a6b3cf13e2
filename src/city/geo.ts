/**
 * Small geodesy helpers for a city-sized area: great-circle distance, and a local planar
 * (equirectangular) projection that the spatial index uses so that "nearest" is a plain
 * Euclidean question within a few kilometres.
 */

/** Mean Earth radius in metres (IUGG). */
export const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/**
 * Great-circle distance in metres between two WGS84 points (haversine formula).
 *
 * @example
 * haversineM(40.7580, -73.9855, 40.7069, -74.0113); // ≈ 6,080 m (Times Square → Wall Street)
 */
export function haversineM(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const s =
    Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(s)));
}

/**
 * Equirectangular projection around a reference latitude: x = east metres, y = north metres.
 * Over Manhattan (0.17° of latitude) its distances differ from haversine by < 0.3 %.
 *
 * @example
 * const p = new LocalProjection(40.78);
 * p.x(-73.97) - p.x(-73.98); // ≈ 842 m
 */
export class LocalProjection {
  readonly metresPerDegLat = EARTH_RADIUS_M * RAD;
  readonly metresPerDegLon: number;
  constructor(readonly refLat: number) {
    this.metresPerDegLon = this.metresPerDegLat * Math.cos(refLat * RAD);
  }
  x(lon: number): number {
    return lon * this.metresPerDegLon;
  }
  y(lat: number): number {
    return lat * this.metresPerDegLat;
  }
  /** Planar distance in metres between two lat/lon points under this projection. */
  distanceM(lat1: number, lon1: number, lat2: number, lon2: number): number {
    return Math.hypot((lon2 - lon1) * this.metresPerDegLon, (lat2 - lat1) * this.metresPerDegLat);
  }
}
