/**
 * The city as the dashboard's map draws it, compact: node coordinates and zone rings in integer
 * units of 1e-5° (about a metre), and each road once (both directions of a street are one line).
 */
import type { City } from "../city/city.ts";

export interface CityMap {
  /** Coordinates are integers: degrees × SCALE. */
  scale: number;
  nodeLat: number[];
  nodeLon: number[];
  /** Undirected roads as node pairs, flat: [a0, b0, a1, b1, …]. */
  roads: number[];
  /** Zones with their rings (outer and holes alike), each ring flat [lon0, lat0, lon1, lat1, …]. */
  zones: { id: number; name: string; rings: number[][] }[];
}

export const SCALE = 1e5;

/**
 * @example
 * const map = cityMap(loadCity());
 * map.nodeLat[0] / map.scale; // latitude of node 0
 */
export function cityMap(city: City): CityMap {
  const q = (deg: number) => Math.round(deg * SCALE);
  const roads: number[] = [];
  const seen = new Set<number>();
  const { source, target } = city.graph;
  for (let e = 0; e < source.length; e++) {
    const a = Math.min(source[e], target[e]);
    const b = Math.max(source[e], target[e]);
    const key = a * city.nodeCount + b;
    if (a === b || seen.has(key)) continue;
    seen.add(key);
    roads.push(a, b);
  }
  return {
    scale: SCALE,
    nodeLat: Array.from(city.nodeLat, q),
    nodeLon: Array.from(city.nodeLon, q),
    roads,
    zones: city.zones.map((z) => ({
      id: z.id,
      name: z.name,
      rings: z.polygons.flatMap((polygon) =>
        polygon.map((ring) => ring.flatMap(([lon, lat]) => [q(lon), q(lat)])),
      ),
    })),
  };
}
