/**
 * Load trips from the shipped day or any TLC trip file (CSV, CSV.gz, Parquet; yellow, green,
 * high-volume FHV, legacy lat/lon), streaming, with borough / date / time-window filters.
 * Bad rows are skipped and counted by reason, or fail the load in strict mode.
 *
 * @example
 * const { trips, report } = await loadTrips(SHIPPED_TRIPS, { from: "17:00", to: "18:00" });
 * trips.count; // 6021 pickups between 17:00 and 18:00 on 2013-09-01
 */
import { open, stat } from "node:fs/promises";
import { UserError } from "../core/errors.ts";
import {
  BinaryDataError,
  type LineFields,
  locateFields,
  parseCsvLine,
  parseNumber,
  readCsvLines,
} from "./csv.ts";
import { formatDateTime, parseClock, parseDate, parseDateTime } from "./datetime.ts";
import { readParquetRowGroups } from "./parquet.ts";
import {
  detectSchema,
  F_DO_ZONE,
  F_DROPOFF_TIME,
  F_PICKUP_TIME,
  F_PU_ZONE,
  FIELD_COUNT,
  type LocationKind,
  type SchemaName,
  type TripSchema,
} from "./schema.ts";
import {
  type BadRowReason,
  type FilterReason,
  MISSING,
  OK,
  TripCollector,
  UNPARSEABLE,
} from "./trip-collector.ts";
import { sortTripsByPickup, type TripTable } from "./trip-table.ts";
import { type ZoneLookup, zoneLookup } from "./zone-lookup.ts";

export interface LoadTripsOptions {
  /** Keep trips whose both ends lie in this borough (default "Manhattan"); "all" keeps all. */
  borough?: string;
  /** Keep pickups on this local date, `YYYY-MM-DD`. */
  date?: string;
  /** Keep pickups from this local time of day, `HH:MM` (default 00:00). */
  from?: string;
  /** Keep pickups before this local time of day, `HH:MM` (default 24:00); wraps past midnight if earlier than `from`. */
  to?: string;
  /** Fail on the first bad row (UserError naming file, row and field) instead of skipping it. */
  strict?: boolean;
  /** Stop after this many kept trips. */
  limit?: number;
  /**
   * Zone of a point, −1 if in none: places lat/lon-only rows in zones (the City provides it).
   * Without it, such rows count as Manhattan when inside Manhattan's bounding box.
   */
  zoneOf?: (lat: number, lon: number) => number;
  /** Called as the file is read: rows read so far and the fraction of the file done. */
  onProgress?: (rowsRead: number, fraction: number) => void;
  /** Zone lookup (default: the shipped TLC lookup). */
  lookup?: ZoneLookup;
}

export type FileFormat = "csv" | "csv.gz" | "parquet";

export interface LoadReport {
  file: string;
  format: FileFormat;
  schema: SchemaName;
  location: LocationKind;
  /** The file's column used for each field, e.g. { pickupTime: "tpep_pickup_datetime", ... }. */
  columns: Record<string, string>;
  filters: { borough: string; date: string | null; from: string | null; to: string | null };
  rowsRead: number;
  kept: number;
  /** Bad rows skipped, by reason. */
  skipped: Record<BadRowReason, number>;
  skippedTotal: number;
  /** Good rows outside the filters, by filter. */
  filtered: Record<FilterReason, number>;
  filteredTotal: number;
  /** True when `limit` trips were kept (reading stopped there). */
  reachedLimit: boolean;
  /** First and last kept pickup, `YYYY-MM-DD HH:MM:SS` local; null when nothing was kept. */
  firstPickup: string | null;
  lastPickup: string | null;
}

const FIELD_NAMES = [
  "pickupTime",
  "dropoffTime",
  "puLat",
  "puLon",
  "doLat",
  "doLon",
  "puZone",
  "doZone",
  "tripDistance",
];

/** Load a trip file into a TripTable sorted by pickup time, with a report of what was read. */
export async function loadTrips(
  file: string,
  options: LoadTripsOptions = {},
): Promise<{ trips: TripTable; report: LoadReport }> {
  const lookup = options.lookup ?? zoneLookup();
  const filters = checkOptions(options, lookup);
  const { format, size } = await sniffFormat(file);
  let collector: TripCollector | undefined;
  let schema: TripSchema | undefined;
  const start = (header: string[]): TripSchema => {
    schema = detectSchema(header, file);
    collector = new TripCollector({
      file,
      schema,
      lookup,
      borough: filters.borough,
      dayStart: filters.dayStart,
      windowFrom: filters.windowFrom,
      windowTo: filters.windowTo,
      strict: options.strict ?? false,
      limit: options.limit ?? Number.POSITIVE_INFINITY,
      zoneOf: options.zoneOf,
    });
    return schema;
  };
  if (format === "parquet") await readParquet(file, start, () => collector!, options);
  else await readCsv(file, format === "csv.gz", size, start, () => collector!, options);
  if (!collector || !schema) {
    throw new UserError(`${file}: empty file (expected a header line with trip columns)`);
  }
  const trips = sortTripsByPickup(collector.result());
  const skippedTotal = Object.values(collector.bad).reduce((a, b) => a + b, 0);
  const filteredTotal = Object.values(collector.filtered).reduce((a, b) => a + b, 0);
  const report: LoadReport = {
    file,
    format,
    schema: schema.name,
    location: schema.location,
    columns: Object.fromEntries(
      FIELD_NAMES.map((f, slot) => [f, schema!.columnNames[slot]]).filter(([, c]) => c !== ""),
    ),
    filters: {
      borough: filters.borough,
      date: options.date ?? null,
      from: options.from ?? null,
      to: options.to ?? null,
    },
    rowsRead: collector.rowsRead,
    kept: trips.count,
    skipped: { ...collector.bad },
    skippedTotal,
    filtered: { ...collector.filtered },
    filteredTotal,
    reachedLimit: collector.full && trips.count > 0,
    firstPickup: trips.count > 0 ? formatDateTime(trips.pickupTime[0]) : null,
    lastPickup: trips.count > 0 ? formatDateTime(trips.pickupTime[trips.count - 1]) : null,
  };
  return { trips, report };
}

function checkOptions(options: LoadTripsOptions, lookup: ZoneLookup) {
  const wanted = (options.borough ?? "Manhattan").trim();
  const borough =
    wanted.toLowerCase() === "all"
      ? "all"
      : lookup.boroughs.find((b) => b.toLowerCase() === wanted.toLowerCase());
  if (!borough) {
    throw new UserError(
      `borough: expected one of all, ${lookup.boroughs.join(", ")} (got ${JSON.stringify(options.borough)})`,
    );
  }
  const dayStart = options.date === undefined ? Number.NaN : parseDate(options.date);
  if (options.date !== undefined && Number.isNaN(dayStart)) {
    throw new UserError(`date: expected YYYY-MM-DD (got ${JSON.stringify(options.date)})`);
  }
  const windowFrom = clock("from", options.from, 0);
  const windowTo = clock("to", options.to, 86400);
  const noWindow = options.from === undefined && options.to === undefined;
  if (options.limit !== undefined && !(Number.isInteger(options.limit) && options.limit > 0)) {
    throw new UserError(
      `limit: expected a positive whole number (got ${JSON.stringify(options.limit)})`,
    );
  }
  return {
    borough,
    dayStart,
    windowFrom: noWindow ? Number.NaN : windowFrom,
    windowTo: noWindow ? Number.NaN : windowTo,
  };
}

function clock(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const s = parseClock(value);
  if (Number.isNaN(s))
    throw new UserError(`${name}: expected a time of day HH:MM (got ${JSON.stringify(value)})`);
  return s;
}

/** Tell CSV, gzip and Parquet apart by their first bytes, not the file name. */
async function sniffFormat(file: string): Promise<{ format: FileFormat; size: number }> {
  let size: number;
  const head = Buffer.alloc(4);
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw new UserError(`${file}: is a directory, expected a trip file`);
    size = info.size;
    const fh = await open(file, "r");
    try {
      await fh.read(head, 0, 4, 0);
    } finally {
      await fh.close();
    }
  } catch (e) {
    if (e instanceof UserError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EACCES"
          ? "permission denied"
          : (e as Error).message;
    throw new UserError(`${file}: cannot read trip file (${why})`);
  }
  if (size === 0)
    throw new UserError(`${file}: empty file (expected a header line with trip columns)`);
  if (head[0] === 0x1f && head[1] === 0x8b) return { format: "csv.gz", size };
  if (head.toString("latin1") === "PAR1") return { format: "parquet", size };
  if (/\.parquet$/i.test(file))
    throw new UserError(
      `${file}: not a valid Parquet file (expected the bytes "PAR1" at its start, got ${JSON.stringify(head.toString("latin1"))})`,
    );
  return { format: "csv", size };
}

async function readCsv(
  file: string,
  gzip: boolean,
  size: number,
  start: (header: string[]) => TripSchema,
  collector: () => TripCollector,
  options: LoadTripsOptions,
): Promise<void> {
  let columns: Int32Array = new Int32Array(0);
  let fields: LineFields = {
    text: "",
    starts: new Int32Array(0),
    ends: new Int32Array(0),
    count: 0,
  };
  let c: TripCollector;
  let rowsAtLastProgress = 0;
  const raw = (slot: number) => {
    const col = columns[slot];
    return col >= 0 && col < fields.count
      ? fields.text.slice(fields.starts[col], fields.ends[col])
      : "";
  };
  try {
    await readCsvLines(file, gzip, {
      onHeader(line) {
        const schema = start(parseCsvLine(line));
        columns = schema.columns;
        const width = Math.max(...columns) + 1;
        fields = { text: "", starts: new Int32Array(width), ends: new Int32Array(width), count: 0 };
        c = collector();
        c.raw = raw;
      },
      onLine(line, lineNumber) {
        locateFields(line, fields);
        fillFromText(fields, columns, c.values, c.state);
        c.accept(lineNumber);
        return !c.full;
      },
      onChunk(bytesRead) {
        if (options.onProgress && c && c.rowsRead - rowsAtLastProgress >= 10000) {
          rowsAtLastProgress = c.rowsRead;
          options.onProgress(c.rowsRead, Math.min(1, bytesRead / size));
        }
      },
    });
  } catch (e) {
    if (e instanceof BinaryDataError)
      throw new UserError(`${file}: not a CSV text file (${e.message})`);
    if ((e as NodeJS.ErrnoException).code?.startsWith("Z_")) {
      throw new UserError(`${file}: not a valid gzip file (${(e as Error).message})`);
    }
    throw e;
  }
  if (options.onProgress && c!) options.onProgress(c.rowsRead, 1);
}

/** Parse the located fields of one CSV line into the collector's value/state slots. */
function fillFromText(
  fields: LineFields,
  columns: Int32Array,
  values: Float64Array,
  state: Uint8Array,
): void {
  const text = fields.text;
  for (let slot = 0; slot < FIELD_COUNT; slot++) {
    const col = columns[slot];
    if (col < 0) continue;
    if (col >= fields.count) {
      state[slot] = MISSING;
      continue;
    }
    let s = fields.starts[col];
    let e = fields.ends[col];
    while (s < e && text.charCodeAt(s) === 32) s++;
    while (e > s && text.charCodeAt(e - 1) === 32) e--;
    if (s === e) {
      state[slot] = MISSING;
      continue;
    }
    const v =
      slot === F_PICKUP_TIME || slot === F_DROPOFF_TIME
        ? parseDateTime(text, s, e)
        : parseNumber(text, s, e);
    values[slot] = v;
    state[slot] = Number.isNaN(v) || (isZoneSlot(slot) && !Number.isInteger(v)) ? UNPARSEABLE : OK;
  }
}

function isZoneSlot(slot: number): boolean {
  return slot === F_PU_ZONE || slot === F_DO_ZONE;
}

async function readParquet(
  file: string,
  start: (header: string[]) => TripSchema,
  collector: () => TripCollector,
  options: LoadTripsOptions,
): Promise<void> {
  let schema: TripSchema;
  let slots: number[] = [];
  let current: ArrayLike<unknown>[] = [];
  let r = 0;
  await readParquetRowGroups(file, {
    onHeader(names) {
      schema = start(names);
      slots = [...schema.columns.keys()].filter((slot) => schema.columns[slot] >= 0);
      return slots.map((slot) => names[schema.columns[slot]]);
    },
    onRowGroup(columns, rows, firstRow) {
      const c = collector();
      current = columns;
      c.raw = (slot) => {
        const v = current[slots.indexOf(slot)]?.[r];
        return v === null || v === undefined ? "" : String(v);
      };
      for (r = 0; r < rows; r++) {
        for (let k = 0; k < slots.length; k++)
          fillFromValue(slots[k], columns[k][r], c.values, c.state);
        c.accept(firstRow + r + 1);
        if (c.full) return false;
      }
      return true;
    },
    onProgress(fraction) {
      options.onProgress?.(collector().rowsRead, fraction);
    },
  });
}

/** Put one Parquet value (number, bigint, string, Date or null) into a value/state slot. */
function fillFromValue(
  slot: number,
  value: unknown,
  values: Float64Array,
  state: Uint8Array,
): void {
  const isTime = slot === F_PICKUP_TIME || slot === F_DROPOFF_TIME;
  let v: number;
  if (value === null || value === undefined || value === "") {
    state[slot] = MISSING;
    return;
  }
  if (typeof value === "number") v = value;
  else if (typeof value === "bigint") v = Number(value);
  else if (value instanceof Date) v = value.getTime() / 1000;
  else if (typeof value === "string")
    v = isTime ? parseDateTime(value) : parseNumber(value, 0, value.length);
  else v = Number.NaN;
  values[slot] = v;
  state[slot] = Number.isNaN(v) || (isZoneSlot(slot) && !Number.isInteger(v)) ? UNPARSEABLE : OK;
}
