/**
 * The project's compact road-network file (`road.bin.gz`): gzip of
 *   "FLRD" | uint32 LE header length | header JSON (UTF-8) | zero padding to 8 bytes |
 *   typed arrays back to back, little-endian, each starting on an 8-byte boundary,
 * in the order and with the types and lengths the header's `arrays` lists. Edge times are in
 * seconds, laid out [day type][local hour][edge] (the hour offset is already applied).
 */
import { gunzipSync, gzipSync } from "node:zlib";
import { UserError } from "../core/errors.ts";
import { DAY_TYPES, type DayType } from "./router.ts";

export const ROAD_FORMAT = "fleetrl-road";
export const ROAD_VERSION = 1;
const MAGIC = "FLRD";

/** Everything in the header besides the array table: counts, provenance, repairs, calibration. */
export interface RoadMeta {
  format: typeof ROAD_FORMAT;
  version: number;
  nodeCount: number;
  edgeCount: number;
  dayTypes: DayType[];
  hours: number;
  /** How raw columns map to local hours: local hour h reads raw column (h − k) mod 24. */
  hourOffset: { k: number; correlations: number[]; method: string };
  /** Speed cap / fallback of the repair rule and what it changed, per day type. */
  repair: {
    speedCapMps: number;
    fallbackSpeedMps: number;
    stats: Record<
      string,
      { zero: number; tooFast: number; byEdgeMedian: number; byFallbackSpeed: number }
    >;
  };
  /** Observed trip time / network time on the shipped trip day (not applied to the times). */
  calibration: {
    day: DayType;
    date: string;
    trips: number;
    /** Median of observed / network (same day type, trip's local hour). */
    observedOverNetworkTime: number;
    perLocalHour: number[];
    /** The same trips against the weekday profile. */
    observedOverWeekdayNetworkTime: number;
  };
  sources: string[];
}

export interface RoadData {
  meta: RoadMeta;
  nodeLat: Float64Array;
  nodeLon: Float64Array;
  /** TLC zone id of each node, −1 where the node lies in no Manhattan zone. */
  nodeZone: Int16Array;
  edgeSource: Int32Array;
  edgeTarget: Int32Array;
  /** Straight-line (haversine) length of each edge in metres. */
  edgeLength: Float32Array;
  /** Seconds, [day][hour][edge]. */
  edgeTime: Float32Array;
}

type ArrayName = Exclude<keyof RoadData, "meta">;
const ARRAY_TYPES = {
  nodeLat: Float64Array,
  nodeLon: Float64Array,
  nodeZone: Int16Array,
  edgeSource: Int32Array,
  edgeTarget: Int32Array,
  edgeLength: Float32Array,
  edgeTime: Float32Array,
} as const;
const ARRAY_ORDER = Object.keys(ARRAY_TYPES) as ArrayName[];

interface ArrayEntry {
  name: ArrayName;
  dtype: string;
  length: number;
}

/** Serialise and gzip. */
export function encodeRoadFile(data: RoadData): Buffer {
  const entries: ArrayEntry[] = ARRAY_ORDER.map((name) => ({
    name,
    dtype: ARRAY_TYPES[name].name,
    length: data[name].length,
  }));
  const header = Buffer.from(JSON.stringify({ ...data.meta, arrays: entries }), "utf8");
  const parts: Buffer[] = [Buffer.from(MAGIC, "latin1"), u32(header.length), header];
  let size = 8 + header.length;
  for (const name of ARRAY_ORDER) {
    const pad = (8 - (size % 8)) % 8;
    parts.push(Buffer.alloc(pad));
    const a = data[name];
    parts.push(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
    size += pad + a.byteLength;
  }
  return gzipSync(Buffer.concat(parts), { level: 9 });
}

/** Decompress, parse and validate; every problem is a UserError naming `file`. */
export function decodeRoadFile(gz: Buffer, file: string): RoadData {
  const fail = (what: string) => new UserError(`${file}: ${what}`);
  let raw: Buffer;
  try {
    raw = gunzipSync(gz);
  } catch {
    throw fail("not a gzip file (expected the road network written by scripts/build-city-data.ts)");
  }
  if (raw.length < 8 || raw.toString("latin1", 0, 4) !== MAGIC) {
    throw fail(`missing "${MAGIC}" signature: not a fleetrl road file`);
  }
  const headerLength = raw.readUInt32LE(4);
  if (8 + headerLength > raw.length) throw fail("header is longer than the file (truncated?)");
  let header: RoadMeta & { arrays?: ArrayEntry[] };
  try {
    header = JSON.parse(raw.toString("utf8", 8, 8 + headerLength));
  } catch {
    throw fail("header is not valid JSON");
  }
  if (header.format !== ROAD_FORMAT) throw fail(`header.format: expected "${ROAD_FORMAT}"`);
  if (header.version !== ROAD_VERSION) {
    throw fail(`header.version: expected ${ROAD_VERSION} (got ${JSON.stringify(header.version)})`);
  }
  const { nodeCount: n, edgeCount: m, hours } = header;
  if (!isCount(n) || !isCount(m) || hours !== 24) {
    throw fail("header: expected integer nodeCount, edgeCount and hours = 24");
  }
  if (
    !Array.isArray(header.dayTypes) ||
    header.dayTypes.length !== DAY_TYPES.length ||
    header.dayTypes.some((d, i) => d !== DAY_TYPES[i])
  ) {
    throw fail(`header.dayTypes: expected ${JSON.stringify(DAY_TYPES)}`);
  }
  const expectedLength: Record<ArrayName, number> = {
    nodeLat: n,
    nodeLon: n,
    nodeZone: n,
    edgeSource: m,
    edgeTarget: m,
    edgeLength: m,
    edgeTime: m * hours * DAY_TYPES.length,
  };
  const arrays = {} as Record<ArrayName, RoadData[ArrayName]>;
  let offset = 8 + headerLength;
  for (const name of ARRAY_ORDER) {
    const entry = header.arrays?.find((a) => a.name === name);
    const Type = ARRAY_TYPES[name];
    if (!entry || entry.dtype !== Type.name || entry.length !== expectedLength[name]) {
      throw fail(`array ${name}: expected ${Type.name} of length ${expectedLength[name]}`);
    }
    offset += (8 - (offset % 8)) % 8;
    const bytes = entry.length * Type.BYTES_PER_ELEMENT;
    if (offset + bytes > raw.length) throw fail(`array ${name}: file ends early (truncated?)`);
    const copy = raw.buffer.slice(raw.byteOffset + offset, raw.byteOffset + offset + bytes);
    arrays[name] = new (Type as Float64ArrayConstructor)(copy as ArrayBuffer);
    offset += bytes;
  }
  if (offset !== raw.length) throw fail(`${raw.length - offset} unexpected bytes after the arrays`);
  const { arrays: _table, ...meta } = header;
  const data = { meta, ...arrays } as RoadData;
  validateContents(data, fail);
  return data;
}

function validateContents(d: RoadData, fail: (what: string) => UserError): void {
  for (let i = 0; i < d.nodeLat.length; i++) {
    const lat = d.nodeLat[i];
    const lon = d.nodeLon[i];
    if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180)) {
      throw fail(`node ${i}: expected lat/lon in range (got ${lat}, ${lon})`);
    }
  }
  const n = d.meta.nodeCount;
  for (let e = 0; e < d.edgeSource.length; e++) {
    const s = d.edgeSource[e];
    const t = d.edgeTarget[e];
    if (!(s >= 0 && s < n && t >= 0 && t < n)) {
      throw fail(`edge ${e}: expected endpoints in 0..${n - 1} (got ${s} -> ${t})`);
    }
    if (!(d.edgeLength[e] >= 0 && Number.isFinite(d.edgeLength[e]))) {
      throw fail(`edge ${e}: expected a finite length >= 0 (got ${d.edgeLength[e]})`);
    }
  }
  const m = d.meta.edgeCount;
  for (let i = 0; i < d.edgeTime.length; i++) {
    const t = d.edgeTime[i];
    if (!(t > 0 && Number.isFinite(t))) {
      const e = i % m;
      const hour = Math.floor(i / m) % 24;
      const day = DAY_TYPES[Math.floor(i / m / 24)];
      throw fail(`edge ${e} ${day} hour ${hour}: expected a travel time > 0 s (got ${t})`);
    }
  }
}

function isCount(x: unknown): x is number {
  return Number.isInteger(x) && (x as number) >= 0;
}

function u32(x: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(x);
  return b;
}
