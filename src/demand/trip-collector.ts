/**
 * The per-row core of trip loading, shared by the CSV and Parquet readers: a reader puts one
 * row's parsed values into `values`/`state` and calls `accept(row)`; the collector checks the
 * row, applies the filters and appends it, or counts why it was skipped (or throws in strict
 * mode). Keeping this in one place makes every file format obey the same rules.
 */
import { inputError } from "../core/errors.ts";
import {
  F_DISTANCE,
  F_DO_LAT,
  F_DO_LON,
  F_DO_ZONE,
  F_DROPOFF_TIME,
  F_PICKUP_TIME,
  F_PU_LAT,
  F_PU_LON,
  F_PU_ZONE,
  FIELD_COUNT,
  type TripSchema,
} from "./schema.ts";
import { allocateTrips, growTrips, type TripTable, trimTrips } from "./trip-table.ts";
import { inBox, isKnownZone, MANHATTAN_BOX, NYC_BOX, type ZoneLookup } from "./zone-lookup.ts";

/** Why a row was skipped as bad (the file's fault). */
export const BAD_ROW_REASONS = [
  "missingField",
  "badTime",
  "dropoffBeforePickup",
  "unknownZone",
  "outsideCity",
] as const;
export type BadRowReason = (typeof BAD_ROW_REASONS)[number];

/** Why a good row was left out (the caller's filters). */
export const FILTER_REASONS = ["date", "window", "borough"] as const;
export type FilterReason = (typeof FILTER_REASONS)[number];

/** Value states a reader reports per field slot. */
export const OK = 0;
export const MISSING = 1;
export const UNPARSEABLE = 2;

const MILE_M = 1609.344;

export interface CollectorSettings {
  file: string;
  schema: TripSchema;
  lookup: ZoneLookup;
  /** Borough as spelled in the lookup, or "all". */
  borough: string;
  /** Midnight of the wanted date (wall-clock seconds), NaN for any date. */
  dayStart: number;
  /** Pickup time-of-day window [from, to) in seconds after midnight; NaN for none. Wraps if from > to. */
  windowFrom: number;
  windowTo: number;
  strict: boolean;
  /** Stop after this many kept trips. */
  limit: number;
  zoneOf?: (lat: number, lon: number) => number;
}

export class TripCollector {
  /** The current row's values per field slot (times in seconds, distance in miles). */
  readonly values = new Float64Array(FIELD_COUNT);
  /** The current row's state per field slot: OK, MISSING or UNPARSEABLE. */
  readonly state = new Uint8Array(FIELD_COUNT);
  /** The current row's raw text of a field slot; only called to word an error. */
  raw: (slot: number) => string = () => "";
  rowsRead = 0;
  readonly bad: Record<BadRowReason, number> = {
    missingField: 0,
    badTime: 0,
    dropoffBeforePickup: 0,
    unknownZone: 0,
    outsideCity: 0,
  };
  readonly filtered: Record<FilterReason, number> = { date: 0, window: 0, borough: 0 };
  private trips: TripTable = allocateTrips(1 << 16);
  private readonly s: CollectorSettings;
  private readonly hasZones: boolean;
  private readonly hasCoords: boolean;

  constructor(settings: CollectorSettings) {
    this.s = settings;
    this.hasZones = settings.schema.location !== "coords";
    this.hasCoords = settings.schema.location !== "zones";
  }

  /** True once `limit` trips are kept: the reader should stop. */
  get full(): boolean {
    return this.trips.count >= this.s.limit;
  }

  /** Check, filter and keep (or count) the row in `values`/`state`; `row` is for messages. */
  accept(row: number): void {
    this.rowsRead++;
    const v = this.values;
    if (!this.timeOk(row, F_PICKUP_TIME) || !this.timeOk(row, F_DROPOFF_TIME)) return;
    const pickup = v[F_PICKUP_TIME];
    const dropoff = v[F_DROPOFF_TIME];
    if (!this.inDate(pickup)) {
      this.filtered.date++;
      return;
    }
    if (!this.inWindow(pickup)) {
      this.filtered.window++;
      return;
    }
    if (dropoff < pickup) {
      this.reject("dropoffBeforePickup", row, F_DROPOFF_TIME, "a drop-off at or after the pickup");
      return;
    }
    const puZone = this.zoneOfEnd(row, F_PU_ZONE, F_PU_LAT, F_PU_LON);
    if (puZone === REJECTED) return;
    const doZone = this.zoneOfEnd(row, F_DO_ZONE, F_DO_LAT, F_DO_LON);
    if (doZone === REJECTED) return;
    if (
      !this.inBorough(puZone, v[F_PU_LAT], v[F_PU_LON]) ||
      !this.inBorough(doZone, v[F_DO_LAT], v[F_DO_LON])
    ) {
      this.filtered.borough++;
      return;
    }
    this.append(pickup, dropoff, puZone, doZone);
  }

  private timeOk(row: number, slot: number): boolean {
    const state = this.state[slot];
    if (state === OK) return true;
    if (state === MISSING) this.reject("missingField", row, slot, "a date-time");
    else this.reject("badTime", row, slot, "a date-time like 2013-09-01 14:05:00");
    return false;
  }

  /** The kept trips, trimmed to size. */
  result(): TripTable {
    return trimTrips(this.trips);
  }

  private append(pickup: number, dropoff: number, puZone: number, doZone: number): void {
    if (this.trips.count === this.trips.pickupTime.length) {
      this.trips = growTrips(this.trips, this.trips.count * 2);
    }
    const t = this.trips;
    const v = this.values;
    const i = t.count++;
    const coords = this.hasCoords;
    t.pickupTime[i] = pickup;
    t.dropoffTime[i] = dropoff;
    t.puLat[i] = coords && this.state[F_PU_LAT] === OK ? v[F_PU_LAT] : Number.NaN;
    t.puLon[i] = coords && this.state[F_PU_LON] === OK ? v[F_PU_LON] : Number.NaN;
    t.doLat[i] = coords && this.state[F_DO_LAT] === OK ? v[F_DO_LAT] : Number.NaN;
    t.doLon[i] = coords && this.state[F_DO_LON] === OK ? v[F_DO_LON] : Number.NaN;
    t.puZone[i] = puZone;
    t.doZone[i] = doZone;
    t.tripDistanceM[i] =
      this.s.schema.columns[F_DISTANCE] >= 0 && this.state[F_DISTANCE] === OK
        ? v[F_DISTANCE] * MILE_M
        : Number.NaN;
  }

  /**
   * Zone id of one trip end (−1 if only coordinates locate it and no zone is known), or REJECTED
   * after counting the row as bad.
   */
  private zoneOfEnd(row: number, zoneSlot: number, latSlot: number, lonSlot: number): number {
    const st = this.state;
    const haveZone = this.hasZones && st[zoneSlot] !== MISSING;
    const haveCoords = this.hasCoords && st[latSlot] !== MISSING && st[lonSlot] !== MISSING;
    if (!haveZone && !haveCoords) {
      const slot = this.hasZones ? zoneSlot : st[latSlot] === MISSING ? latSlot : lonSlot;
      this.reject("missingField", row, slot, "a value");
      return REJECTED;
    }
    let zone = -1;
    if (haveZone) {
      zone = this.values[zoneSlot];
      if (st[zoneSlot] !== OK || !isKnownZone(this.s.lookup, zone)) {
        this.reject("unknownZone", row, zoneSlot, "a TLC taxi zone id with a known place (1–263)");
        return REJECTED;
      }
    }
    if (haveCoords) {
      const lat = this.values[latSlot];
      const lon = this.values[lonSlot];
      if (st[latSlot] !== OK || st[lonSlot] !== OK || !inBox(NYC_BOX, lat, lon)) {
        this.reject(
          "outsideCity",
          row,
          latSlot,
          `a point in New York City (lat ${NYC_BOX.minLat}..${NYC_BOX.maxLat}, lon ${NYC_BOX.minLon}..${NYC_BOX.maxLon})`,
          `${this.raw(latSlot)},${this.raw(lonSlot)}`,
          lonSlot,
        );
        return REJECTED;
      }
      if (zone < 0 && this.s.zoneOf) zone = this.s.zoneOf(lat, lon);
    }
    return zone;
  }

  private inDate(pickup: number): boolean {
    const start = this.s.dayStart;
    return Number.isNaN(start) || (pickup >= start && pickup < start + 86400);
  }

  private inWindow(pickup: number): boolean {
    const { windowFrom: from, windowTo: to } = this.s;
    if (Number.isNaN(from)) return true;
    const tod = pickup - Math.floor(pickup / 86400) * 86400;
    return from <= to ? tod >= from && tod < to : tod >= from || tod < to;
  }

  private inBorough(zone: number, lat: number, lon: number): boolean {
    const borough = this.s.borough;
    if (borough === "all") return true;
    if (zone >= 0) return this.s.lookup.borough[zone] === borough;
    // Located by coordinates only: the caller's zoneOf found no zone, or there is none to ask.
    return !this.s.zoneOf && borough === "Manhattan" && inBox(MANHATTAN_BOX, lat, lon);
  }

  private reject(
    reason: BadRowReason,
    row: number,
    slot: number,
    expected: string,
    got = this.raw(slot),
    secondSlot = -1,
  ): void {
    if (this.s.strict) {
      const names = this.s.schema.columnNames;
      const field = secondSlot >= 0 ? `${names[slot]},${names[secondSlot]}` : names[slot];
      throw inputError(this.s.file, { row, field: field || "(missing column)", expected, got });
    }
    this.bad[reason]++;
  }
}

const REJECTED = -2;
