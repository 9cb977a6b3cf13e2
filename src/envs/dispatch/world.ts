/**
 * Build the simulator's world from the shipped (or a user's) data: the city's travel-time
 * oracles for the demand date's day type, and the date's trips, sampled and placed on road nodes
 * per episode. Loading and the all-pairs travel-time tables are start-up work, done once.
 */
import { type City, loadCity } from "../../city/city.ts";
import type { DayType } from "../../city/router.ts";
import { UserError } from "../../core/errors.ts";
import { Rng } from "../../core/rng.ts";
import { parseDate } from "../../demand/datetime.ts";
import { type LoadReport, loadTrips } from "../../demand/load-trips.ts";
import { SHIPPED_TRIPS } from "../../demand/paths.ts";
import { placeTrips } from "../../demand/place.ts";
import { sampleTrips } from "../../demand/sample.ts";
import { selectTrips, type TripTable } from "../../demand/trip-table.ts";
import type { DispatchConfig } from "./config.ts";
import type { PathOracle } from "./fleet-moves.ts";
import type { DispatchWorld, EpisodeDemand } from "./simulator.ts";

export interface WorldOptions {
  /** Trip file (TLC schemas); default the shipped day. */
  demandFile?: string;
  /** An already loaded city, to share between worlds. */
  city?: City;
  /** Fill each hour's full travel-time table on first use (fast queries; ~3 s and 67 MB per hour). */
  precompute?: boolean;
}

export interface LoadedWorld extends DispatchWorld {
  city: City;
  day: DayType;
  /** Trips of the demand date, times in seconds of the day. */
  trips: TripTable;
  report: LoadReport;
  /** Free an hour's travel-time tables (a sweep over many hours keeps memory flat). */
  releaseHour(hour: number): void;
}

/** Hourly travel-time tables a world keeps alive: the current hour and the one before it. */
const HOURS_ALIVE = 2;

/** Which travel-time profile a date uses: Saturday, Sunday, or weekday. */
export function dayTypeOf(date: string): DayType {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return dow === 0 ? "sunday" : dow === 6 ? "saturday" : "weekday";
}

export async function loadWorld(
  config: DispatchConfig,
  options: WorldOptions = {},
): Promise<LoadedWorld> {
  const city = options.city ?? loadCity();
  const file = options.demandFile ?? SHIPPED_TRIPS;
  const { trips: raw, report } = await loadTrips(file, {
    date: config.date,
    zoneOf: (lat, lon) => city.zoneOf(lat, lon),
  });
  if (raw.count === 0) {
    throw new UserError(
      `${file}: no trips on ${config.date} (use --date to pick a date in the file)`,
    );
  }
  const trips = toSecondsOfDay(raw, parseDate(config.date));
  const day = config.day === "auto" ? dayTypeOf(config.date) : config.day;
  const precompute = options.precompute ?? true;
  // The hours whose tables are alive, most recent last: at most HOURS_ALIVE (each ~100 MB
  // precomputed), so a full day's memory stays flat; a released hour is rebuilt if asked again.
  const alive: number[] = [];
  const oracleAt = (hour: number): PathOracle => {
    if (alive[alive.length - 1] !== hour) {
      const at = alive.indexOf(hour);
      if (at >= 0) alive.splice(at, 1);
      alive.push(hour);
      if (alive.length > HOURS_ALIVE) city.releaseTravelTimes(day, alive.shift()!);
    }
    const oracle = city.travelTimes(day, hour);
    if (precompute && !oracle.precomputed) oracle.precomputeAll();
    return oracle;
  };
  const placed = placeTrips(trips, city, new Rng(0).split("fleet-origins"));
  const origins = placed.puNode.filter((n) => n >= 0);
  const zoneNodes = city.zones.map((z) => city.nodesInZone(z.id)).filter((n) => n.length > 0);
  return {
    city,
    day,
    trips,
    report,
    nodeCount: city.nodeCount,
    pickupNodesOfDay: origins,
    zoneNodes,
    dropoffNodesBefore: (time) => dropoffNodesBefore(trips.dropoffTime, placed.doNode, time),
    oracleAt,
    releaseHour: (hour) => city.releaseTravelTimes(day, hour),
    demand: (from, to, fraction, rng) => episodeDemand(trips, city, fraction, from, to, rng),
  };
}

/** The trips requested in [from, to), sampled and placed; unplaceable and zero-length trips dropped. */
function episodeDemand(
  trips: TripTable,
  city: City,
  fraction: number,
  from: number,
  to: number,
  rng: Rng,
): EpisodeDemand {
  const inWindow: number[] = [];
  for (let i = 0; i < trips.count; i++) {
    const t = trips.pickupTime[i];
    if (t >= from && t < to) inWindow.push(i);
  }
  const window = selectTrips(trips, inWindow);
  const sampled = fraction < 1 ? sampleTrips(window, fraction, rng.split("sample")) : window;
  const { puNode, doNode } = placeTrips(sampled, city, rng.split("place"));
  const keep: number[] = [];
  for (let i = 0; i < sampled.count; i++) {
    if (puNode[i] >= 0 && doNode[i] >= 0 && puNode[i] !== doNode[i]) keep.push(i);
  }
  return {
    requestTime: Float64Array.from(keep, (i) => sampled.pickupTime[i]),
    pickupNode: Int32Array.from(keep, (i) => puNode[i]),
    dropoffNode: Int32Array.from(keep, (i) => doNode[i]),
  };
}

/**
 * Drop-off nodes of the trips that ended in the hour before `time` (seconds of the day), read on
 * the day's clock modulo 24 h: a window starting before 01:00 takes the same day's last hour as
 * a stand-in for the evening before (a one-day file has no earlier trips). If no trip ended in
 * that hour, the drop-off nodes of the whole day. Never the window's own trips' pickups.
 */
export function dropoffNodesBefore(
  dropoffTime: Float64Array,
  doNode: Int32Array,
  time: number,
): Int32Array {
  const day = 86_400;
  const to = ((time % day) + day) % day;
  const from = to - 3600;
  const recent: number[] = [];
  const all: number[] = [];
  for (let i = 0; i < doNode.length; i++) {
    if (doNode[i] < 0) continue;
    all.push(doNode[i]);
    const t = ((dropoffTime[i] % day) + day) % day;
    if ((t >= from && t < to) || t >= from + day) recent.push(doNode[i]);
  }
  return Int32Array.from(recent.length > 0 ? recent : all);
}

/** Shift pickup/drop-off times from "local wall clock as UTC seconds" to seconds of the day. */
function toSecondsOfDay(trips: TripTable, midnight: number): TripTable {
  const out = selectTrips(
    trips,
    Int32Array.from({ length: trips.count }, (_, i) => i),
  );
  for (let i = 0; i < out.count; i++) {
    out.pickupTime[i] -= midnight;
    out.dropoffTime[i] -= midnight;
  }
  return out;
}
