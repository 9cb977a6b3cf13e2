/**
 * `fleetrl route --from LAT,LON --to LAT,LON [--hour H] [--day D] [--router road|zones]`:
 * travel time, distance and path of one trip on the shipped Manhattan network.
 */
import type { Command } from "commander";
import { loadCity } from "../../city/city.ts";
import { RoadGraphRouter } from "../../city/road-graph-router.ts";
import { parseLatLon, resolveRouteQuery } from "../../city/route-query.ts";
import { DAY_TYPES, type DayType, type LatLon, type SnappedPoint } from "../../city/router.ts";
import { ZoneMatrixRouter } from "../../city/zone-matrix-router.ts";
import { UserError } from "../../core/errors.ts";
import { action, type CommonOptions, readConfigFile, withCommonOptions } from "../run.ts";

interface RouteOptions extends CommonOptions {
  from?: string;
  to?: string;
  hour?: string;
  day?: string;
  router?: string;
}

interface RouteOutput {
  router: "road" | "zones";
  day: DayType;
  hour: number;
  from: LatLon;
  to: LatLon;
  timeS: number;
  timeMin: number;
  distanceM: number;
  pathNodes: number | null;
  snapped: { from: SnappedPoint; to: SnappedPoint };
  /** Names of the TLC zones the query points lie in (null outside every zone). */
  zoneNames: { from: string | null; to: string | null };
}

export function register(program: Command): void {
  withCommonOptions(
    program
      .command("route")
      .description(
        "travel time, distance and path between two points on the Manhattan road network",
      )
      .option("--from <lat,lon>", "start point, e.g. 40.7549,-73.9840")
      .option("--to <lat,lon>", "end point, e.g. 40.7069,-74.0113")
      .option("--hour <h>", "local hour the trip starts, 0..23 (default 8)")
      .option("--day <day>", "weekday | saturday | sunday (default weekday)")
      .option(
        "--router <name>",
        "road (shortest path on the road graph) | zones (zone-to-zone matrix)",
      ),
  ).action(action(run, printHuman));
}

async function run(opts: RouteOptions): Promise<RouteOutput> {
  const o = {
    ...(opts.config ? stringValues(readConfigFile(opts.config)) : {}),
    ...definedOnly(opts),
  };
  if (o.from === undefined || o.to === undefined) {
    throw new UserError("route: --from and --to are required (LAT,LON each)");
  }
  const from = parseLatLon(o.from, "--from");
  const to = parseLatLon(o.to, "--to");
  if (o.day !== undefined && !DAY_TYPES.includes(o.day as DayType)) {
    throw new UserError(
      `--day: expected one of ${DAY_TYPES.join(", ")} (got ${JSON.stringify(o.day)})`,
    );
  }
  const { day, hour } = resolveRouteQuery({
    day: o.day as DayType | undefined,
    hour: parseHour(o.hour),
  });
  const routerName = o.router ?? "road";
  if (routerName !== "road" && routerName !== "zones") {
    throw new UserError(`--router: expected road or zones (got ${JSON.stringify(routerName)})`);
  }
  const city = loadCity();
  const router = routerName === "road" ? new RoadGraphRouter(city) : new ZoneMatrixRouter(city);
  const r = await router.route(from, to, { day, hour });
  return {
    router: routerName,
    day,
    hour,
    from,
    to,
    timeS: round(r.timeS, 1),
    timeMin: round(r.timeS / 60, 2),
    distanceM: round(r.distanceM, 1),
    pathNodes: r.pathNodes ?? null,
    snapped: { from: roundSnap(r.snapped!.from), to: roundSnap(r.snapped!.to) },
    zoneNames: {
      from: city.zone(city.zoneOf(from.lat, from.lon))?.name ?? null,
      to: city.zone(city.zoneOf(to.lat, to.lon))?.name ?? null,
    },
  };
}

function printHuman(r: RouteOutput): void {
  const hh = String(r.hour).padStart(2, "0");
  const how = r.router === "road" ? "road graph" : "zone-to-zone matrix";
  const lines = [
    `Route on a ${r.day} at ${hh}:00 (${how})`,
    `  from ${fmt(r.from)} (${r.zoneNames.from ?? "no zone"}) -> ${describe(r.snapped.from)}`,
    `  to   ${fmt(r.to)} (${r.zoneNames.to ?? "no zone"}) -> ${describe(r.snapped.to)}`,
    `  travel time ${r.timeS.toFixed(0)} s (${r.timeMin.toFixed(1)} min)`,
    `  distance    ${r.distanceM.toFixed(0)} m`,
  ];
  if (r.pathNodes !== null) lines.push(`  path        ${r.pathNodes} nodes`);
  process.stdout.write(`${lines.join("\n")}\n`);
}

function describe(s: SnappedPoint): string {
  const zone = s.zone !== undefined && s.zone >= 0 ? `, zone ${s.zone}` : "";
  return `node ${s.node} at ${fmt(s)} (${s.distanceM.toFixed(0)} m away${zone})`;
}

function fmt(p: LatLon): string {
  return `${p.lat.toFixed(5)},${p.lon.toFixed(5)}`;
}

function parseHour(h: string | undefined): number | undefined {
  if (h === undefined) return undefined;
  if (!/^\s*\d{1,2}\s*$/.test(h) || Number(h) > 23) {
    throw new UserError(`--hour: expected an integer 0..23 (got ${JSON.stringify(h)})`);
  }
  return Number(h);
}

function roundSnap(s: SnappedPoint): SnappedPoint {
  return { ...s, distanceM: round(s.distanceM, 1) };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Config values as the strings the flags would give (numbers and strings accepted). */
function stringValues(config: Record<string, unknown>): Partial<RouteOptions> {
  const out: Record<string, string> = {};
  for (const key of ["from", "to", "hour", "day", "router"]) {
    const v = config[key];
    if (v === undefined) continue;
    if (typeof v !== "string" && typeof v !== "number") {
      throw new UserError(
        `--config: ${key}: expected a string or number (got ${JSON.stringify(v)})`,
      );
    }
    out[key] = String(v);
  }
  return out;
}

function definedOnly(o: RouteOptions): Partial<RouteOptions> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
