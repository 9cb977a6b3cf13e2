/**
 * The project's zones file (`zones.json.gz`): gzip of
 * `{ format: "fleetrl-zones", version: 1, source: [...], zones: Zone[] }` with polygons in
 * GeoJSON MultiPolygon order: polygons → rings (first outer, then holes) → [lon, lat] points.
 */
import { gunzipSync, gzipSync } from "node:zlib";
import { UserError } from "../core/errors.ts";

export const ZONES_FORMAT = "fleetrl-zones";
export const ZONES_VERSION = 1;

export interface Zone {
  /** TLC LocationID. */
  id: number;
  name: string;
  serviceZone: string;
  /** Area-weighted centroid (WGS84). */
  centroidLat: number;
  centroidLon: number;
  areaKm2: number;
  /** MultiPolygon coordinates, [lon, lat] as in GeoJSON. */
  polygons: number[][][][];
}

export interface ZonesData {
  sources: string[];
  zones: Zone[];
}

export function encodeZonesFile(data: ZonesData): Buffer {
  const json = JSON.stringify({ format: ZONES_FORMAT, version: ZONES_VERSION, ...data });
  return gzipSync(Buffer.from(json, "utf8"), { level: 9 });
}

/** Decompress, parse and validate; every problem is a UserError naming `file`. */
export function decodeZonesFile(gz: Buffer, file: string): ZonesData {
  const fail = (what: string) => new UserError(`${file}: ${what}`);
  let doc: { format?: unknown; version?: unknown; sources?: unknown; zones?: unknown };
  try {
    doc = JSON.parse(gunzipSync(gz).toString("utf8"));
  } catch {
    throw fail("expected gzip-compressed JSON written by scripts/build-city-data.ts");
  }
  if (doc?.format !== ZONES_FORMAT) throw fail(`format: expected "${ZONES_FORMAT}"`);
  if (doc.version !== ZONES_VERSION) throw fail(`version: expected ${ZONES_VERSION}`);
  if (!Array.isArray(doc.zones) || doc.zones.length === 0)
    throw fail("zones: expected a non-empty array");
  const seen = new Set<number>();
  doc.zones.forEach((z: Partial<Zone>, i: number) => {
    const where = `zones[${i}]`;
    if (!Number.isInteger(z.id) || z.id! < 1 || z.id! > 32767 || seen.has(z.id!)) {
      throw fail(`${where}.id: expected a unique positive integer (got ${JSON.stringify(z.id)})`);
    }
    seen.add(z.id!);
    if (typeof z.name !== "string" || typeof z.serviceZone !== "string") {
      throw fail(`${where}: expected string name and serviceZone`);
    }
    for (const key of ["centroidLat", "centroidLon", "areaKm2"] as const) {
      if (!Number.isFinite(z[key])) throw fail(`${where}.${key}: expected a number`);
    }
    if (!isMultiPolygon(z.polygons)) {
      throw fail(
        `${where}.polygons: expected MultiPolygon coordinates (rings of >= 4 [lon, lat] points)`,
      );
    }
  });
  return { sources: Array.isArray(doc.sources) ? doc.sources : [], zones: doc.zones as Zone[] };
}

function isMultiPolygon(x: unknown): boolean {
  return (
    Array.isArray(x) &&
    x.length > 0 &&
    x.every(
      (poly) =>
        Array.isArray(poly) &&
        poly.length > 0 &&
        poly.every(
          (ring) =>
            Array.isArray(ring) &&
            ring.length >= 4 &&
            ring.every(
              (p) =>
                Array.isArray(p) && p.length === 2 && Math.abs(p[0]) <= 180 && Math.abs(p[1]) <= 90,
            ),
        ),
    )
  );
}
