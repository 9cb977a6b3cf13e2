/**
 * Load trips from the shipped day or any TLC trip file (CSV, CSV.gz, Parquet; yellow, green,
 * high-volume FHV, legacy lat/lon), streaming, with borough / date / time-window filters.
 * Bad rows are skipped and counted by reason, or fail the load in strict mode.
 *
 * One pipeline for every format: the first bytes pick the reader; the reader turns the header
 * into a schema and a TripCollector (trip-collector.ts) and feeds it every row; the collector's
 * trips and counts become the TripTable and the LoadReport.
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
  const start = collectorFor(file, lookup, filters, options);
  const collected =
    format === "parquet"
      ? await collectParquet(file, start, options.onProgress)
      : await collectCsv(file, format === "csv.gz", size, start, options.onProgress);
  if (!collected) throw emptyFile(file);
  const trips = sortTripsByPickup(collected.collector.result());
  return { trips, report: reportOf(file, format, collected, trips, filters.borough, options) };
}

/** A file's schema and the collector that took its rows. */
interface Collected {
  schema: TripSchema;
  collector: TripCollector;
}

type Filters = ReturnType<typeof checkOptions>;

/** What a reader calls with the file's column names to get the schema and a fresh collector. */
type Start = (header: readonly string[]) => Collected;

function collectorFor(
  file: string,
  lookup: ZoneLookup,
  filters: Filters,
  options: LoadTripsOptions,
): Start {
  return (header) => {
    const schema = detectSchema(header, file);
    const collector = new TripCollector({
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
    return { schema, collector };
  };
}

function reportOf(
  file: string,
  format: FileFormat,
  { schema, collector }: Collected,
  trips: TripTable,
  borough: string,
  options: LoadTripsOptions,
): LoadReport {
  const kept = trips.count;
  return {
    file,
    format,
    schema: schema.name,
    location: schema.location,
    columns: Object.fromEntries(
      FIELD_NAMES.map((f, slot) => [f, schema.columnNames[slot]]).filter(([, c]) => c !== ""),
    ),
    filters: {
      borough,
      date: options.date ?? null,
      from: options.from ?? null,
      to: options.to ?? null,
    },
    rowsRead: collector.rowsRead,
    kept,
    skipped: { ...collector.bad },
    skippedTotal: sum(collector.bad),
    filtered: { ...collector.filtered },
    filteredTotal: sum(collector.filtered),
    reachedLimit: collector.full && kept > 0,
    firstPickup: kept > 0 ? formatDateTime(trips.pickupTime[0]) : null,
    lastPickup: kept > 0 ? formatDateTime(trips.pickupTime[kept - 1]) : null,
  };
}

function sum(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/** The collector's filter values from the options, or a UserError naming the bad option. */
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
  const { size, head } = await readHead(file);
  if (size === 0) throw emptyFile(file);
  if (head[0] === 0x1f && head[1] === 0x8b) return { format: "csv.gz", size };
  if (head.toString("latin1") === "PAR1") return { format: "parquet", size };
  if (/\.parquet$/i.test(file))
    throw new UserError(
      `${file}: not a valid Parquet file (expected the bytes "PAR1" at its start, got ${JSON.stringify(head.toString("latin1"))})`,
    );
  return { format: "csv", size };
}

/** The file's size and first 4 bytes (zeros past the end of a shorter file). */
async function readHead(file: string): Promise<{ size: number; head: Buffer }> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw new UserError(`${file}: is a directory, expected a trip file`);
    const head = Buffer.alloc(4);
    const fh = await open(file, "r");
    try {
      await fh.read(head, 0, 4, 0);
    } finally {
      await fh.close();
    }
    return { size: info.size, head };
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
}

function emptyFile(file: string): UserError {
  return new UserError(`${file}: empty file (expected a header line with trip columns)`);
}

/** Rows read between two progress calls while reading CSV. */
const PROGRESS_ROWS = 10000;

/** A CSV being read: its schema, its collector, and the buffer each line is cut into. */
interface CsvRows extends Collected {
  fields: LineFields;
}

/** Stream a CSV (or CSV.gz) file's lines into a collector; undefined if it has no header line. */
async function collectCsv(
  file: string,
  gzip: boolean,
  size: number,
  start: Start,
  onProgress: LoadTripsOptions["onProgress"],
): Promise<Collected | undefined> {
  // readCsvLines hands the header to onHeader alone, and every later line needs what it builds;
  // onLine only comes after onHeader, hence `rows!` there.
  let rows: CsvRows | undefined;
  // onChunk carries no row count, so the rows at the last progress call must outlive the call.
  let rowsAtLastProgress = 0;
  try {
    await readCsvLines(file, gzip, {
      onHeader(line) {
        rows = csvRows(start(parseCsvLine(line)));
      },
      onLine: (line, lineNumber) => acceptLine(rows!, line, lineNumber),
      onChunk(bytesRead) {
        if (onProgress && rows && rows.collector.rowsRead - rowsAtLastProgress >= PROGRESS_ROWS) {
          rowsAtLastProgress = rows.collector.rowsRead;
          onProgress(rows.collector.rowsRead, Math.min(1, bytesRead / size));
        }
      },
    });
  } catch (e) {
    throw csvReadError(file, e);
  }
  if (onProgress && rows) onProgress(rows.collector.rowsRead, 1);
  return rows;
}

function csvRows({ schema, collector }: Collected): CsvRows {
  const columns = schema.columns;
  const width = Math.max(...columns) + 1;
  const fields = { text: "", starts: new Int32Array(width), ends: new Int32Array(width), count: 0 };
  // Every line is cut into this one `fields` (no allocation per line): raw reads the current line.
  collector.raw = (slot) => {
    const col = columns[slot];
    return col >= 0 && col < fields.count
      ? fields.text.slice(fields.starts[col], fields.ends[col])
      : "";
  };
  return { schema, collector, fields };
}

/** Feed one CSV line to the collector; false once the limit is reached. */
function acceptLine({ schema, collector, fields }: CsvRows, line: string, row: number): boolean {
  locateFields(line, fields);
  fillFromText(fields, schema.columns, collector.values, collector.state);
  collector.accept(row);
  return !collector.full;
}

/** Word what readCsvLines rejected with; UserErrors (bad header, strict mode) pass through. */
function csvReadError(file: string, e: unknown): unknown {
  if (e instanceof BinaryDataError)
    return new UserError(`${file}: not a CSV text file (${e.message})`);
  if ((e as NodeJS.ErrnoException).code?.startsWith("Z_")) {
    return new UserError(`${file}: not a valid gzip file (${(e as Error).message})`);
  }
  return e;
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

/** A Parquet file being read: its schema, its collector, and the field slots it reads, in order. */
interface ParquetRows extends Collected {
  slots: number[];
}

/** Stream a Parquet file's row groups into a collector. */
async function collectParquet(
  file: string,
  start: Start,
  onProgress: LoadTripsOptions["onProgress"],
): Promise<Collected | undefined> {
  // readParquetRowGroups hands the column names to onHeader alone, and every row group needs what
  // it builds; onRowGroup and onProgress only come after onHeader, hence `rows!` there.
  let rows: ParquetRows | undefined;
  await readParquetRowGroups(file, {
    onHeader(names) {
      const { schema, collector } = start(names);
      const slots = [...schema.columns.keys()].filter((slot) => schema.columns[slot] >= 0);
      rows = { schema, collector, slots };
      return slots.map((slot) => names[schema.columns[slot]]);
    },
    onRowGroup: (columns, count, firstRow) => acceptRowGroup(rows!, columns, count, firstRow),
    onProgress: (fraction) => onProgress?.(rows!.collector.rowsRead, fraction),
  });
  return rows;
}

/**
 * Feed one row group to the collector, row by row (`columns[k]` holds field slot `slots[k]`);
 * false once the limit is reached. `firstRow` is 0-based; the collector gets 1-based rows.
 */
function acceptRowGroup(
  { collector, slots }: ParquetRows,
  columns: ArrayLike<unknown>[],
  count: number,
  firstRow: number,
): boolean {
  for (let r = 0; r < count; r++) {
    for (let k = 0; k < slots.length; k++)
      fillFromValue(slots[k], columns[k][r], collector.values, collector.state);
    // A closure per row (not one reading a shared row index) so raw can only word this row.
    collector.raw = (slot) => {
      const v = columns[slots.indexOf(slot)]?.[r];
      return v === null || v === undefined ? "" : String(v);
    };
    collector.accept(firstRow + r + 1);
    if (collector.full) return false;
  }
  return true;
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
