/**
 * The city model: road graph (CSR typed arrays), hourly travel-time oracles, nearest-node
 * snapping, and the TLC taxi zones. `loadCity()` reads the shipped Manhattan files (built by
 * scripts/build-city-data.ts; layout in docs/data.md) synchronously.
 *
 * @example
 * const city = loadCity();
 * const a = city.nearestNode(40.7549, -73.9840); // Midtown
 * const b = city.nearestNode(40.7069, -74.0113); // Financial District
 * city.travelTimes("weekday", 8).time(a, b);   // seconds
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { UserError } from "../core/errors.ts";
import type { Rng } from "../core/rng.ts";
import { buildGraph, type DirectedGraph } from "./graph.ts";
import { decodeRoadFile, type RoadData, type RoadMeta } from "./road-file.ts";
import { DAY_TYPES, type DayType } from "./router.ts";
import { roadKey, sharedRoad } from "./shared-road.ts";
import { GridIndex } from "./spatial-index.ts";
import { type TravelTimeCacheOptions, type TravelTimeOracle, TravelTimes } from "./travel-times.ts";
import { ZoneIndex } from "./zone-index.ts";
import { decodeZonesFile, type Zone } from "./zones-file.ts";

/** The shipped Manhattan data directory. */
export const DEFAULT_CITY_DIR = fileURLToPath(new URL("../../data/manhattan/", import.meta.url));
export const ROAD_FILE = "road.bin.gz";
export const ZONES_FILE = "zones.json.gz";

export interface CityOptions {
  /** Cache sizes of every travel-time oracle this city hands out. */
  cache?: TravelTimeCacheOptions;
}

export class City {
  readonly nodeCount: number;
  readonly graph: DirectedGraph;
  readonly nodeLat: Float64Array;
  readonly nodeLon: Float64Array;
  /** TLC zone id per node (−1 where the node lies in no zone). */
  readonly nodeZone: Int16Array;
  /** Straight-line length of each edge, metres. */
  readonly edgeLength: Float32Array;
  /** The TLC zones, sorted by id. */
  readonly zones: readonly Zone[];
  /** Provenance, repair statistics, hour offset and speed calibration of the road data. */
  readonly meta: RoadMeta;
  private readonly edgeTime: Float32Array;
  private readonly grid: GridIndex;
  private readonly zoneIndex: ZoneIndex;
  private readonly zoneById = new Map<number, Zone>();
  private readonly zoneNodes = new Map<number, Int32Array>();
  private readonly oracles = new Map<string, TravelTimes>();

  constructor(
    road: RoadData,
    zones: readonly Zone[],
    private readonly options: CityOptions = {},
  ) {
    this.meta = road.meta;
    this.nodeCount = road.meta.nodeCount;
    this.nodeLat = road.nodeLat;
    this.nodeLon = road.nodeLon;
    this.nodeZone = road.nodeZone;
    this.edgeLength = road.edgeLength;
    this.edgeTime = road.edgeTime;
    this.graph = buildGraph(this.nodeCount, road.edgeSource, road.edgeTarget);
    this.zones = [...zones].sort((a, b) => a.id - b.id);
    for (const z of this.zones) this.zoneById.set(z.id, z);
    this.grid = new GridIndex(this.nodeLat, this.nodeLon);
    this.zoneIndex = new ZoneIndex(this.zones);
    const members = new Map<number, number[]>();
    for (let i = 0; i < this.nodeCount; i++) {
      const z = this.nodeZone[i];
      if (z < 0) continue;
      let list = members.get(z);
      if (!list) members.set(z, (list = []));
      list.push(i);
    }
    for (const [z, list] of members) this.zoneNodes.set(z, Int32Array.from(list));
  }

  /**
   * The travel-time oracle of a day type and local hour (0..23); one shared instance per
   * (day, hour), created on first use. A trip uses the profile of the hour it starts in.
   */
  travelTimes(day: DayType, hour: number): TravelTimeOracle {
    const key = `${day}/${hour}`;
    let oracle = this.oracles.get(key);
    if (!oracle) {
      oracle = new TravelTimes(
        this.graph,
        this.edgeTimes(day, hour),
        this.edgeLength,
        day,
        hour,
        this.options.cache,
      );
      this.oracles.set(key, oracle);
    }
    return oracle;
  }
  /**
   * Forget the shared oracle of (day, hour) and its caches (a precomputed hour holds ~96 MB);
   * the next `travelTimes(day, hour)` builds a fresh one. For sweeps over many hours.
   */
  releaseTravelTimes(day: DayType, hour: number): void {
    this.oracles.delete(`${day}/${hour}`);
  }

  /** Per-edge travel times (s) of a profile, in original edge order. Shared: do not modify. */
  edgeTimes(day: DayType, hour: number): Float32Array {
    const d = DAY_TYPES.indexOf(day);
    if (d < 0) throw new RangeError(`day must be one of ${DAY_TYPES.join(", ")} (got ${day})`);
    if (!(Number.isInteger(hour) && hour >= 0 && hour <= 23)) {
      throw new RangeError(`hour must be an integer 0..23 (got ${hour})`);
    }
    const m = this.graph.edgeCount;
    return this.edgeTime.subarray((d * 24 + hour) * m, (d * 24 + hour + 1) * m);
  }

  /** The road node nearest to (lat, lon) (grid index; planar metric, see spatial-index.ts). */
  nearestNode(lat: number, lon: number): number {
    return this.grid.nearest(lat, lon);
  }

  /** Distance in metres from (lat, lon) to node `node`, in the metric `nearestNode` uses. */
  snapDistanceM(node: number, lat: number, lon: number): number {
    return this.grid.distanceTo(node, lat, lon);
  }

  /** TLC zone id containing (lat, lon), or −1 outside the city's zones. */
  zoneOf(lat: number, lon: number): number {
    return this.zoneIndex.zoneOf(lat, lon);
  }

  zone(id: number): Zone | undefined {
    return this.zoneById.get(id);
  }

  /** Road nodes inside a zone (empty for zones without nodes and unknown ids). Do not modify. */
  nodesInZone(zoneId: number): Int32Array {
    return this.zoneNodes.get(zoneId) ?? EMPTY;
  }

  /** A uniformly drawn road node of the zone, or −1 if the zone holds no node. */
  randomNodeInZone(zoneId: number, rng: Rng): number {
    const nodes = this.nodesInZone(zoneId);
    return nodes.length === 0 ? -1 : nodes[rng.int(nodes.length)];
  }
}

const EMPTY = new Int32Array(0);

/**
 * Load a city from `dataDir` (default: the shipped Manhattan data). Synchronous; every file is
 * validated and a problem is a UserError naming the file.
 */
export function loadCity(dataDir: string = DEFAULT_CITY_DIR, options: CityOptions = {}): City {
  const roadPath = join(dataDir, ROAD_FILE);
  const zonesPath = join(dataDir, ZONES_FILE);
  const road = sharedRoad(roadKeyOf(roadPath), () => decodeRoadFile(readData(roadPath), roadPath));
  const { zones } = decodeZonesFile(readData(zonesPath), zonesPath);
  const ids = new Set(zones.map((z) => z.id));
  for (let i = 0; i < road.nodeZone.length; i++) {
    const z = road.nodeZone[i];
    if (z !== -1 && !ids.has(z)) {
      throw new UserError(`${roadPath}: node ${i}: zone ${z} is not in ${zonesPath}`);
    }
  }
  return new City(road, zones, options);
}

function roadKeyOf(path: string): string {
  try {
    return roadKey(path);
  } catch {
    throw new UserError(`${path}: cannot read city data file`);
  }
}

function readData(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch {
    throw new UserError(`${path}: cannot read city data file`);
  }
}
