/**
 * The official TLC taxi zone lookup (all 265 ids with borough and name), shipped in
 * `data/manhattan/taxi_zone_lookup.csv`, and the coarse boxes used when no zone map is given.
 */
import { readFileSync } from "node:fs";
import { inputError } from "../core/errors.ts";
import { parseCsvLine } from "./csv.ts";
import { ZONE_LOOKUP_PATH } from "./paths.ts";

export interface ZoneLookup {
  /** Borough of each zone id (index = id; "" for ids not in the lookup). */
  borough: string[];
  /** Zone name of each id ("" for ids not in the lookup). */
  name: string[];
  /** Borough names as spelled in the lookup, e.g. "Manhattan", "Staten Island". */
  boroughs: string[];
}

/** Boroughs of the lookup's placeholder ids (264 "Unknown", 265 "Outside of NYC"). */
const PLACEHOLDER_BOROUGHS = new Set(["Unknown", "N/A"]);

/** Read a lookup file with columns LocationID, Borough, Zone (any order, with header). */
export function readZoneLookup(path: string): ZoneLookup {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw inputError(path, { expected: "a readable taxi zone lookup CSV" });
  }
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const header = parseCsvLine(lines[0] ?? "").map((h) => h.trim().toLowerCase());
  const [idCol, boroughCol, zoneCol] = ["locationid", "borough", "zone"].map((c) =>
    header.indexOf(c),
  );
  if (idCol < 0 || boroughCol < 0 || zoneCol < 0) {
    throw inputError(path, {
      row: 1,
      field: "header",
      expected: "LocationID,Borough,Zone",
      got: lines[0],
    });
  }
  const lookup: ZoneLookup = { borough: [], name: [], boroughs: [] };
  for (let r = 1; r < lines.length; r++) {
    const f = parseCsvLine(lines[r]);
    const id = Number(f[idCol]);
    if (!Number.isInteger(id) || id < 0 || id > 100000) {
      throw inputError(path, {
        row: r + 1,
        field: "LocationID",
        expected: "a zone id",
        got: f[idCol],
      });
    }
    lookup.borough[id] = f[boroughCol] ?? "";
    lookup.name[id] = f[zoneCol] ?? "";
    if (
      !PLACEHOLDER_BOROUGHS.has(lookup.borough[id]) &&
      !lookup.boroughs.includes(lookup.borough[id])
    ) {
      lookup.boroughs.push(lookup.borough[id]);
    }
  }
  for (let id = 0; id < lookup.borough.length; id++) {
    lookup.borough[id] ??= "";
    lookup.name[id] ??= "";
  }
  return lookup;
}

let shipped: ZoneLookup | undefined;

/** The shipped TLC lookup, read once. */
export function zoneLookup(): ZoneLookup {
  shipped ??= readZoneLookup(ZONE_LOOKUP_PATH);
  return shipped;
}

/**
 * True when `id` is a real place in the lookup (not the "Unknown" / "Outside of NYC" ids).
 *
 * @example
 * isKnownZone(zoneLookup(), 161); // true (Midtown Center)
 * isKnownZone(zoneLookup(), 264); // false (Unknown)
 */
export function isKnownZone(lookup: ZoneLookup, id: number): boolean {
  const b = lookup.borough[id];
  return b !== undefined && b !== "" && !PLACEHOLDER_BOROUGHS.has(b);
}

export interface LatLonBox {
  minLat: number;
  maxLat: number;
  minLon: number;
  maxLon: number;
}

/** All five boroughs with a small margin: points outside are GPS junk (often 0,0), not trips. */
export const NYC_BOX: LatLonBox = { minLat: 40.47, maxLat: 40.93, minLon: -74.28, maxLon: -73.68 };

/**
 * Manhattan's bounding box (the shipped road network and trips lie within it). Only a fallback
 * when the caller gives no `zoneOf`: it also takes in slivers of the Bronx, Queens, Brooklyn
 * and New Jersey, which the City's zone polygons exclude.
 */
export const MANHATTAN_BOX: LatLonBox = {
  minLat: 40.68,
  maxLat: 40.882,
  minLon: -74.03,
  maxLon: -73.905,
};

/**
 * @example
 * inBox(NYC_BOX, 40.75, -73.98); // true
 * inBox(NYC_BOX, 0, 0); // false
 */
export function inBox(box: LatLonBox, lat: number, lon: number): boolean {
  return lat >= box.minLat && lat <= box.maxLat && lon >= box.minLon && lon <= box.maxLon;
}
