/**
 * Convert the shared Manhattan data (road network with hourly travel times, TLC zones) into the
 * project's compact files `data/manhattan/road.bin.gz` and `data/manhattan/zones.json.gz`.
 *
 *   npx tsx scripts/build-city-data.ts [--source ../shared/data/manhattan] [--out data/manhattan]
 *
 * Steps: haversine edge lengths; repair of implausible times (src/city/repair.ts); the hour
 * offset of the raw columns, found by correlating network pace with the pace of the shipped
 * (local-time, Sunday) trips; the observed/network time scale on those trips (reported and
 * stored as metadata, not applied). Prints what it finds; see docs/data.md.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { gunzipSync } from "node:zlib";
import { Dijkstra, slotWeights } from "../src/city/dijkstra.ts";
import { haversineM } from "../src/city/geo.ts";
import { buildGraph, isStronglyConnected } from "../src/city/graph.ts";
import { hourOffsetCorrelations, rawColumnForLocalHour } from "../src/city/hour-offset.ts";
import {
  FALLBACK_SPEED_MPS,
  median,
  type RepairStats,
  repairDayTimes,
  SPEED_CAP_MPS,
} from "../src/city/repair.ts";
import { encodeRoadFile, ROAD_FORMAT, ROAD_VERSION, type RoadData } from "../src/city/road-file.ts";
import { DAY_TYPES } from "../src/city/router.ts";
import { GridIndex } from "../src/city/spatial-index.ts";
import { ZoneIndex } from "../src/city/zone-index.ts";
import { encodeZonesFile, type Zone } from "../src/city/zones-file.ts";
import { Rng } from "../src/core/rng.ts";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const { values: args } = parseArgs({
  options: {
    source: { type: "string", default: resolve(repoRoot, "../shared/data/manhattan") },
    out: { type: "string", default: resolve(repoRoot, "data/manhattan") },
  },
});
const SRC = args.source!;
const OUT = args.out!;
const HOURS = 24;
const RAW_FILES = { weekday: "week.csv", saturday: "sat.csv", sunday: "sun.csv" } as const;
const TRIPS_FILE = "trips/manhattan_yellow_trips_2013-09-01.csv.gz";
/** Trips shorter than this (straight line) are left out of pace statistics: minute rounding. */
const MIN_TRIP_M = 500;
const log = (s: string) => process.stdout.write(`${s}\n`);

// ---- road network ---------------------------------------------------------------------------
const points = readRows(join(SRC, "road/points.csv"));
const n = points.length;
const nodeLat = new Float64Array(n);
const nodeLon = new Float64Array(n);
points.forEach(([id, lat, lon], i) => {
  if (id !== i + 1)
    throw new Error(`road/points.csv row ${i + 1}: expected id ${i + 1}, got ${id}`);
  nodeLat[i] = lat;
  nodeLon[i] = lon;
});

const edgeRows = readRows(join(SRC, "road/edges.csv"));
const m = edgeRows.length;
const edgeSource = new Int32Array(m);
const edgeTarget = new Int32Array(m);
const edgeLength = new Float32Array(m);
edgeRows.forEach(([id, s, t], e) => {
  if (id !== e + 1) throw new Error(`road/edges.csv row ${e + 1}: expected id ${e + 1}, got ${id}`);
  edgeSource[e] = s - 1;
  edgeTarget[e] = t - 1;
  edgeLength[e] = haversineM(nodeLat[s - 1], nodeLon[s - 1], nodeLat[t - 1], nodeLon[t - 1]);
});
const graph = buildGraph(n, edgeSource, edgeTarget);
if (!isStronglyConnected(graph)) throw new Error("road graph is not strongly connected");
log(`road: ${n} nodes, ${m} directed edges, strongly connected`);

// Raw times, [day][raw column][edge], then repaired in place.
const rawTimes = new Float32Array(DAY_TYPES.length * HOURS * m);
const repairStats: Record<string, RepairStats> = {};
DAY_TYPES.forEach((day, d) => {
  const rows = readRows(join(SRC, "road", RAW_FILES[day]));
  if (rows.length !== m) throw new Error(`road/${RAW_FILES[day]}: expected ${m} rows`);
  const dayTimes = rawTimes.subarray(d * HOURS * m, (d + 1) * HOURS * m);
  for (const row of rows) {
    const e = row[0] - 1;
    if (row.length !== HOURS + 1 || !(e >= 0 && e < m)) {
      throw new Error(`road/${RAW_FILES[day]}: bad row for edge ${row[0]}`);
    }
    for (let c = 0; c < HOURS; c++) dayTimes[c * m + e] = row[c + 1];
  }
  repairStats[day] = repairDayTimes(dayTimes, edgeLength, HOURS);
  const s = repairStats[day];
  log(
    `repair ${day}: ${s.zero} zero + ${s.tooFast} faster than ${SPEED_CAP_MPS} m/s of ${HOURS * m}; ` +
      `${s.byEdgeMedian} -> edge median, ${s.byFallbackSpeed} -> length / ${FALLBACK_SPEED_MPS} m/s`,
  );
});

// ---- zones ----------------------------------------------------------------------------------
const centroidRows = readCsvWithHeader(
  readFileSync(join(SRC, "zones/manhattan_zone_centroids.csv"), "utf8"),
);
const geo = JSON.parse(readFileSync(join(SRC, "zones/manhattan_taxi_zones.geojson"), "utf8")) as {
  features: {
    properties: { LocationID: number };
    geometry: { type: string; coordinates: unknown };
  }[];
};
const zones: Zone[] = centroidRows.map((r) => {
  const id = Number(r.LocationID);
  const feature = geo.features.find((f) => f.properties.LocationID === id);
  if (!feature) throw new Error(`zones: no polygon for LocationID ${id}`);
  const { type, coordinates } = feature.geometry;
  return {
    id,
    name: r.zone,
    serviceZone: r.service_zone,
    centroidLat: Number(r.centroid_lat),
    centroidLon: Number(r.centroid_lon),
    areaKm2: Number(r.area_km2),
    polygons: (type === "Polygon" ? [coordinates] : coordinates) as number[][][][],
  };
});
zones.sort((a, b) => a.id - b.id);
const zoneIndex = new ZoneIndex(zones);

const nodeZoneRows = readCsvWithHeader(readFileSync(join(SRC, "road/nodes_with_zone.csv"), "utf8"));
const nodeZone = new Int16Array(n).fill(-1);
// Intersections often lie on zone boundaries (TLC zones follow street centre lines), where the
// shipped assignment and our point-in-polygon test may pick different sides. We keep our own test
// wherever it finds a zone, so that nodesInZone(z) and zoneOf(node) always agree.
let pipAgrees = 0;
for (const r of nodeZoneRows) {
  const i = Number(r.node_id) - 1;
  const given = r.LocationID === "" ? -1 : Number(r.LocationID);
  const pip = zoneIndex.zoneOf(nodeLat[i], nodeLon[i]);
  if (pip === given) pipAgrees++;
  nodeZone[i] = pip >= 0 ? pip : given;
}
const zonesWithNodes = new Set(nodeZone.filter((z) => z >= 0)).size;
log(
  `zones: ${zones.length}, ${zonesWithNodes} holding nodes; shipped node zones agree with our ` +
    `point-in-polygon test for ${pipAgrees}/${n} nodes (the rest lie on zone boundaries)`,
);

// ---- hour offset from the shipped trips ---------------------------------------------------------
const grid = new GridIndex(nodeLat, nodeLon);
const trips = readTrips(join(SRC, TRIPS_FILE));
log(`trips: ${trips.length} of the shipped Sunday with a straight line >= ${MIN_TRIP_M} m`);
const observedPace = Array.from({ length: HOURS }, (_, h) =>
  median(
    Float64Array.from(
      trips.filter((t) => t.hour === h),
      (t) => t.durationS / (t.straightM / 1000),
    ),
  ),
);

const sunday = DAY_TYPES.indexOf("sunday");
const profile = (day: number, column: number) =>
  slotWeights(
    graph.forward,
    rawTimes.subarray((day * HOURS + column) * m, (day * HOURS + column + 1) * m),
  );
const search = new Dijkstra(n, m);
const rng = new Rng(20130901);

// Network pace per raw column on a fixed sample of trip origin/destination pairs.
const pairSample = sample(trips, 400, rng.split("pace pairs"));
const networkPace = Array.from({ length: HOURS }, (_, c) => {
  const w = profile(sunday, c);
  const paces = pairSample.map((t) => {
    search.run(graph.forward, w, t.fromNode, t.toNode);
    return search.dist[t.toNode] / (t.straightM / 1000);
  });
  return median(Float64Array.from(paces));
});
const { correlations, best: k } = hourOffsetCorrelations(observedPace, networkPace);
log("\nhour offset: local hour h reads raw column (h - k) mod 24");
log("  k   r(observed pace, shifted network pace)");
const ranked = correlations.map((r, i) => ({ r, i })).sort((a, b) => b.r - a.r);
for (let i = 0; i < HOURS; i++) {
  const mark = i === k ? "  <- best" : "";
  log(`  ${String(i).padStart(2)}  ${correlations[i].toFixed(3)}${mark}`);
}
log(
  `best k = ${k} (r = ${correlations[k].toFixed(3)}); next: ${ranked
    .slice(1, 4)
    .map((x) => `k=${x.i} r=${x.r.toFixed(3)}`)
    .join(", ")}`,
);
log("\nlocal hour: observed pace vs network pace at the chosen offset (s per straight-line km)");
for (let h = 0; h < HOURS; h++) {
  const c = rawColumnForLocalHour(h, k);
  log(
    `  ${String(h).padStart(2)}h  observed ${observedPace[h].toFixed(0).padStart(4)}  network (raw col ${String(c).padStart(2)}) ${networkPace[c].toFixed(0).padStart(4)}`,
  );
}

// Local-hour times: edgeTime[day][h] = rawTimes[day][(h - k) mod 24].
const edgeTime = new Float32Array(rawTimes.length);
for (let d = 0; d < DAY_TYPES.length; d++) {
  for (let h = 0; h < HOURS; h++) {
    const c = rawColumnForLocalHour(h, k);
    edgeTime.set(
      rawTimes.subarray((d * HOURS + c) * m, (d * HOURS + c + 1) * m),
      (d * HOURS + h) * m,
    );
  }
}

// ---- calibration: observed trip time / network time at the trip's local hour -------------------
const weekday = DAY_TYPES.indexOf("weekday");
const localProfile = (day: number, h: number) =>
  slotWeights(graph.forward, edgeTime.subarray((day * HOURS + h) * m, (day * HOURS + h + 1) * m));
const perHourRatios: number[][] = [];
const weekdayRatios: number[] = [];
for (let h = 0; h < HOURS; h++) {
  const w = localProfile(sunday, h);
  const wWeekday = localProfile(weekday, h);
  const hourTrips = sample(
    trips.filter((t) => t.hour === h),
    200,
    rng.split(`scale ${h}`),
  );
  perHourRatios.push(
    hourTrips.map((t) => {
      search.run(graph.forward, w, t.fromNode, t.toNode);
      return t.durationS / search.dist[t.toNode];
    }),
  );
  for (const t of hourTrips) {
    search.run(graph.forward, wWeekday, t.fromNode, t.toNode);
    weekdayRatios.push(t.durationS / search.dist[t.toNode]);
  }
}
const perLocalHour = perHourRatios.map((r) => round3(median(Float64Array.from(r))));
const allRatios = Float64Array.from(perHourRatios.flat());
const observedOverNetworkTime = round3(median(allRatios));
log(
  `\nspeed scale: observed / network time, median over ${allRatios.length} sampled Sunday trips = ` +
    `${observedOverNetworkTime} (${describeScale(observedOverNetworkTime)}); ` +
    `per local hour: ${perLocalHour.join(" ")}`,
);
const observedOverWeekdayNetworkTime = round3(median(Float64Array.from(weekdayRatios)));
log(
  `against the weekday profile at the same local hours: ${observedOverWeekdayNetworkTime} ` +
    `(${describeScale(observedOverWeekdayNetworkTime)})`,
);

// ---- write --------------------------------------------------------------------------------------
const data: RoadData = {
  meta: {
    format: ROAD_FORMAT,
    version: ROAD_VERSION,
    nodeCount: n,
    edgeCount: m,
    dayTypes: [...DAY_TYPES],
    hours: HOURS,
    hourOffset: {
      k,
      correlations: correlations.map(round3),
      method:
        "Pearson r between the median pace (s per straight-line km) of the shipped Sunday trips per local hour " +
        "and the median network pace per raw sun.csv column on 400 sampled trip O/D pairs, shifted by k",
    },
    repair: {
      speedCapMps: SPEED_CAP_MPS,
      fallbackSpeedMps: FALLBACK_SPEED_MPS,
      stats: repairStats,
    },
    calibration: {
      day: "sunday",
      date: "2013-09-01",
      trips: allRatios.length,
      observedOverNetworkTime,
      perLocalHour,
      observedOverWeekdayNetworkTime,
    },
    sources: [
      "road: wallarelvo/nyc-taxi-analysis (Alonso-Mora et al., PNAS 2017), geometry from OpenStreetMap (ODbL)",
      "trips (for the hour offset and scale): NYC TLC 2013 via Donovan & Work, doi:10.13012/J8PN93H8",
    ],
  },
  nodeLat,
  nodeLon,
  nodeZone,
  edgeSource,
  edgeTarget,
  edgeLength,
  edgeTime,
};
mkdirSync(OUT, { recursive: true });
const road = encodeRoadFile(data);
writeFileSync(join(OUT, "road.bin.gz"), road);
const zonesFile = encodeZonesFile({
  sources: [
    "NYC TLC taxi zone shapefile (public), reprojected to WGS84; LocationID of objects 104/105 fixed",
  ],
  zones,
});
writeFileSync(join(OUT, "zones.json.gz"), zonesFile);
log(
  `\nwrote ${join(OUT, "road.bin.gz")} (${kb(road.length)}) and ${join(OUT, "zones.json.gz")} (${kb(zonesFile.length)})`,
);

// ---- helpers ------------------------------------------------------------------------------------
function readRows(path: string): number[][] {
  return readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .map((line, i) => {
      const row = line.split(",").map(Number);
      if (row.some((x) => !Number.isFinite(x)))
        throw new Error(`${path} row ${i + 1}: not all numbers`);
      return row;
    });
}

function readCsvWithHeader(text: string): Record<string, string>[] {
  const [head, ...lines] = text.trim().split("\n");
  const cols = head.split(",").map((c) => c.replaceAll('"', "").trim());
  return lines.map((l) => {
    const cells = l.split(",");
    return Object.fromEntries(cols.map((c, i) => [c, (cells[i] ?? "").replaceAll('"', "").trim()]));
  });
}

interface Trip {
  hour: number;
  durationS: number;
  straightM: number;
  fromNode: number;
  toNode: number;
}

/** Shipped trips (local time) with a straight line >= MIN_TRIP_M, snapped to road nodes. */
function readTrips(path: string): Trip[] {
  const rows = readCsvWithHeader(gunzipSync(readFileSync(path)).toString("utf8"));
  const out: Trip[] = [];
  for (const r of rows) {
    const [plat, plon, dlat, dlon] = [r.pickup_lat, r.pickup_lon, r.dropoff_lat, r.dropoff_lon].map(
      Number,
    );
    const straightM = haversineM(plat, plon, dlat, dlon);
    const fromNode = grid.nearest(plat, plon);
    const toNode = grid.nearest(dlat, dlon);
    if (straightM < MIN_TRIP_M || fromNode === toNode) continue;
    out.push({
      hour: Math.floor(Number(r.pickup_min) / 60),
      durationS: Number(r.duration_min) * 60,
      straightM,
      fromNode,
      toNode,
    });
  }
  return out;
}

function sample<T>(items: T[], count: number, r: Rng): T[] {
  return r.shuffle([...items]).slice(0, count) as T[];
}

function describeScale(observedOverNetwork: number): string {
  const pct = Math.abs((1 - observedOverNetwork) * 100).toFixed(0);
  return `observed trips take ${pct}% ${observedOverNetwork < 1 ? "less" : "more"} time than the network says`;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KB`;
}
