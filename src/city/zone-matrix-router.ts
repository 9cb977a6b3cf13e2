/**
 * A coarse, fast Router: a point counts as its TLC zone, and a trip takes the road-graph time
 * between the two zones' representative nodes (the zone's node nearest its centroid; for a zone
 * without nodes, the nearest node overall). Within a zone it takes the mean time from the
 * representative to the zone's nodes. Matrices are built per (day, hour) on first use from the
 * city's oracle: one forward search per zone.
 */
import { UserError } from "../core/errors.ts";
import type { City } from "./city.ts";
import { checkLatLon, resolveRouteQuery } from "./route-query.ts";
import type { DayType, LatLon, RouteQuery, RouteResult, Router, SnappedPoint } from "./router.ts";

export interface ZoneMatrix {
  /** Zone ids, in row/column order. */
  zoneIds: Int32Array;
  /** Representative road node per zone. */
  representative: Int32Array;
  /** Row-major zones × zones travel times, seconds. */
  timeS: Float32Array;
  /** Row-major zones × zones path lengths, metres. */
  distanceM: Float32Array;
}

export class ZoneMatrixRouter implements Router {
  readonly name = "zones";
  private readonly zoneIds: Int32Array;
  private readonly representative: Int32Array;
  private readonly rowOf = new Map<number, number>();
  private readonly matrices = new Map<string, ZoneMatrix>();

  constructor(private readonly city: City) {
    this.zoneIds = Int32Array.from(city.zones, (z) => z.id);
    this.representative = Int32Array.from(city.zones, (z) => representativeNode(city, z.id));
    for (let i = 0; i < this.zoneIds.length; i++) this.rowOf.set(this.zoneIds[i], i);
  }

  /** The zone-to-zone matrix of one profile (built on first use, then cached). */
  matrix(day: DayType, hour: number): ZoneMatrix {
    const key = `${day}/${hour}`;
    const cached = this.matrices.get(key);
    if (cached) return cached;
    const oracle = this.city.travelTimes(day, hour);
    const z = this.zoneIds.length;
    const timeS = new Float32Array(z * z);
    const distanceM = new Float32Array(z * z);
    for (let i = 0; i < z; i++) {
      const from = this.representative[i];
      const row = oracle.timesFrom(from);
      for (let j = 0; j < z; j++) {
        const to = this.representative[j];
        timeS[i * z + j] = row[to];
        distanceM[i * z + j] = oracle.distance(from, to);
      }
      const members = this.city.nodesInZone(this.zoneIds[i]);
      if (members.length > 0) {
        let t = 0;
        let d = 0;
        for (const v of members) {
          t += row[v];
          d += oracle.distance(from, v);
        }
        timeS[i * z + i] = t / members.length;
        distanceM[i * z + i] = d / members.length;
      }
    }
    const m: ZoneMatrix = {
      zoneIds: this.zoneIds,
      representative: this.representative,
      timeS,
      distanceM,
    };
    this.matrices.set(key, m);
    return m;
  }

  async route(from: LatLon, to: LatLon, query?: RouteQuery): Promise<RouteResult> {
    const { day, hour } = resolveRouteQuery(query);
    const a = this.place(from, "from");
    const b = this.place(to, "to");
    const m = this.matrix(day, hour);
    const k = this.rowOf.get(a.zone!)! * this.zoneIds.length + this.rowOf.get(b.zone!)!;
    return { timeS: m.timeS[k], distanceM: m.distanceM[k], snapped: { from: a, to: b } };
  }

  async table(
    sources: LatLon[],
    destinations: LatLon[],
    query?: RouteQuery,
  ): Promise<Float64Array> {
    const { day, hour } = resolveRouteQuery(query);
    const m = this.matrix(day, hour);
    const z = this.zoneIds.length;
    const rows = sources.map((p, i) => this.rowOf.get(this.place(p, `sources[${i}]`).zone!)!);
    const cols = destinations.map(
      (p, i) => this.rowOf.get(this.place(p, `destinations[${i}]`).zone!)!,
    );
    const out = new Float64Array(rows.length * cols.length);
    rows.forEach((r, i) => {
      cols.forEach((c, j) => {
        out[i * cols.length + j] = m.timeS[r * z + c];
      });
    });
    return out;
  }

  /** The zone of a point, placed at the zone's representative node; UserError outside all zones. */
  place(p: LatLon, what: string): SnappedPoint {
    checkLatLon(p, what);
    const zone = this.city.zoneOf(p.lat, p.lon);
    if (zone < 0) {
      throw new UserError(`${what}: (${p.lat}, ${p.lon}) is in none of the city's taxi zones`);
    }
    const node = this.representative[this.rowOf.get(zone)!];
    const lat = this.city.nodeLat[node];
    const lon = this.city.nodeLon[node];
    return { lat, lon, distanceM: this.city.snapDistanceM(node, p.lat, p.lon), node, zone };
  }
}

/** The zone's node nearest its centroid, or the nearest node overall if the zone has none. */
function representativeNode(city: City, zoneId: number): number {
  const z = city.zone(zoneId)!;
  const members = city.nodesInZone(zoneId);
  if (members.length === 0) return city.nearestNode(z.centroidLat, z.centroidLon);
  let best = members[0];
  for (const v of members) {
    if (
      city.snapDistanceM(v, z.centroidLat, z.centroidLon) <
      city.snapDistanceM(best, z.centroidLat, z.centroidLon)
    ) {
      best = v;
    }
  }
  return best;
}
