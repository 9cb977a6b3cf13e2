/**
 * The default Router: snaps each point to its nearest road node and asks the city's
 * travel-time oracle for the (day, hour) profile. Points must be in the city: inside one of its
 * zones, or within `maxSnapM` of a road node (piers, shore roads just outside the polygons).
 */
import { UserError } from "../core/errors.ts";
import type { City } from "./city.ts";
import { checkLatLon, resolveRouteQuery } from "./route-query.ts";
import type { LatLon, RouteQuery, RouteResult, Router, SnappedPoint } from "./router.ts";

export class RoadGraphRouter implements Router {
  readonly name = "road";

  constructor(
    private readonly city: City,
    private readonly maxSnapM = 250,
  ) {}

  async route(from: LatLon, to: LatLon, query?: RouteQuery): Promise<RouteResult> {
    return this.routeSync(from, to, query);
  }

  /** `route` without the promise, for callers already holding a City. */
  routeSync(from: LatLon, to: LatLon, query?: RouteQuery): RouteResult {
    const { day, hour } = resolveRouteQuery(query);
    const a = this.snap(from, "from");
    const b = this.snap(to, "to");
    const oracle = this.city.travelTimes(day, hour);
    return {
      timeS: oracle.time(a.node!, b.node!),
      distanceM: oracle.distance(a.node!, b.node!),
      pathNodes: oracle.path(a.node!, b.node!).length,
      snapped: { from: a, to: b },
    };
  }

  async table(
    sources: LatLon[],
    destinations: LatLon[],
    query?: RouteQuery,
  ): Promise<Float64Array> {
    const { day, hour } = resolveRouteQuery(query);
    const from = sources.map((p, i) => this.snap(p, `sources[${i}]`).node!);
    const to = destinations.map((p, i) => this.snap(p, `destinations[${i}]`).node!);
    const oracle = this.city.travelTimes(day, hour);
    const out = new Float64Array(from.length * to.length);
    from.forEach((u, i) => {
      const row = oracle.timesFrom(u);
      to.forEach((v, j) => {
        out[i * to.length + j] = row[v];
      });
    });
    return out;
  }

  /** The road node a point snaps to; UserError if the point is not in the city. */
  snap(p: LatLon, what: string): SnappedPoint {
    checkLatLon(p, what);
    const node = this.city.nearestNode(p.lat, p.lon);
    const distanceM = this.city.snapDistanceM(node, p.lat, p.lon);
    const zone = this.city.zoneOf(p.lat, p.lon);
    if (zone < 0 && distanceM > this.maxSnapM) {
      throw new UserError(
        `${what}: (${p.lat}, ${p.lon}) is outside the city: in none of its taxi zones and ` +
          `${Math.round(distanceM)} m from the nearest road node (at most ${this.maxSnapM} m allowed)`,
      );
    }
    return {
      lat: this.city.nodeLat[node],
      lon: this.city.nodeLon[node],
      distanceM,
      node,
      zone: this.city.nodeZone[node],
    };
  }
}
