/**
 * Point-in-zone lookup: each zone's bounding box first, then an even-odd ray test over all of
 * the zone's rings (outer rings and holes alike, which the even-odd rule handles). Coordinates
 * are flattened into typed arrays once.
 */
import type { Zone } from "./zones-file.ts";

export class ZoneIndex {
  private readonly ids: Int32Array;
  /** minLon, minLat, maxLon, maxLat per zone. */
  private readonly bbox: Float64Array;
  /** Rings of zone z are ringStart[zoneRingStart[z] .. zoneRingStart[z+1]]. */
  private readonly zoneRingStart: Int32Array;
  /** Points of ring r are coords[2·ringStart[r] .. 2·ringStart[r+1]] as lon, lat pairs. */
  private readonly ringStart: Int32Array;
  private readonly coords: Float64Array;

  /**
   * @example
   * const square = [[[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]];
   * const idx = new ZoneIndex([{ id: 7, polygons: square }]);
   * idx.zoneOf(0.5, 0.5); // 7
   * idx.zoneOf(2, 0.5);   // -1
   */
  constructor(zones: readonly Pick<Zone, "id" | "polygons">[]) {
    const rings = zones.flatMap((z) => z.polygons.flat());
    const pointCount = rings.reduce((s, r) => s + r.length, 0);
    this.ids = Int32Array.from(zones, (z) => z.id);
    this.bbox = new Float64Array(4 * zones.length);
    this.zoneRingStart = new Int32Array(zones.length + 1);
    this.ringStart = new Int32Array(rings.length + 1);
    this.coords = new Float64Array(2 * pointCount);
    let ring = 0;
    let point = 0;
    zones.forEach((z, zi) => {
      let minLon = Number.POSITIVE_INFINITY;
      let minLat = Number.POSITIVE_INFINITY;
      let maxLon = Number.NEGATIVE_INFINITY;
      let maxLat = Number.NEGATIVE_INFINITY;
      for (const r of z.polygons.flat()) {
        for (const [lon, lat] of r) {
          this.coords[2 * point] = lon;
          this.coords[2 * point + 1] = lat;
          point++;
          minLon = Math.min(minLon, lon);
          minLat = Math.min(minLat, lat);
          maxLon = Math.max(maxLon, lon);
          maxLat = Math.max(maxLat, lat);
        }
        this.ringStart[++ring] = point;
      }
      this.zoneRingStart[zi + 1] = ring;
      this.bbox.set([minLon, minLat, maxLon, maxLat], 4 * zi);
    });
  }

  /** Id of the zone containing (lat, lon), or −1 if none does. */
  zoneOf(lat: number, lon: number): number {
    const { bbox, coords } = this;
    for (let z = 0; z < this.ids.length; z++) {
      if (
        lon < bbox[4 * z] ||
        lat < bbox[4 * z + 1] ||
        lon > bbox[4 * z + 2] ||
        lat > bbox[4 * z + 3]
      ) {
        continue;
      }
      let inside = false;
      for (let r = this.zoneRingStart[z]; r < this.zoneRingStart[z + 1]; r++) {
        const start = this.ringStart[r];
        const end = this.ringStart[r + 1];
        for (let i = start, j = end - 1; i < end; j = i++) {
          const yi = coords[2 * i + 1];
          const yj = coords[2 * j + 1];
          if (yi > lat !== yj > lat) {
            const xi = coords[2 * i];
            const xj = coords[2 * j];
            if (lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
          }
        }
      }
      if (inside) return this.ids[z];
    }
    return -1;
  }
}
