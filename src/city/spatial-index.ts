/**
 * Nearest-point queries on a uniform grid over a local planar projection. Points are bucketed
 * into square cells (CSR layout); a query scans rings of cells around its own cell and stops as
 * soon as no unscanned cell can hold a closer point. Exact under the projection's metric
 * (`LocalProjection.distanceM`); ties go to the lower point id.
 */
import { LocalProjection } from "./geo.ts";

export class GridIndex {
  readonly projection: LocalProjection;
  private readonly px: Float64Array;
  private readonly py: Float64Array;
  private readonly minX: number;
  private readonly minY: number;
  private readonly nx: number;
  private readonly ny: number;
  private readonly cellStart: Int32Array;
  private readonly cellPoints: Int32Array;

  /**
   * @example
   * const idx = new GridIndex(Float64Array.of(40.70, 40.80), Float64Array.of(-74.0, -73.95));
   * idx.nearest(40.79, -73.96); // 1
   */
  constructor(
    lat: Float64Array,
    lon: Float64Array,
    readonly cellSizeM = 200,
  ) {
    const n = lat.length;
    if (n === 0) throw new RangeError("GridIndex needs at least one point");
    let sumLat = 0;
    for (let i = 0; i < n; i++) sumLat += lat[i];
    this.projection = new LocalProjection(sumLat / n);
    this.px = new Float64Array(n);
    this.py = new Float64Array(n);
    let minX = Number.POSITIVE_INFINITY;
    let minY = Number.POSITIVE_INFINITY;
    let maxX = Number.NEGATIVE_INFINITY;
    let maxY = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const x = this.projection.x(lon[i]);
      const y = this.projection.y(lat[i]);
      this.px[i] = x;
      this.py[i] = y;
      minX = Math.min(minX, x);
      minY = Math.min(minY, y);
      maxX = Math.max(maxX, x);
      maxY = Math.max(maxY, y);
    }
    this.minX = minX;
    this.minY = minY;
    this.nx = Math.floor((maxX - minX) / cellSizeM) + 1;
    this.ny = Math.floor((maxY - minY) / cellSizeM) + 1;
    const cellOf = new Int32Array(n);
    this.cellStart = new Int32Array(this.nx * this.ny + 1);
    for (let i = 0; i < n; i++) {
      const cx = Math.floor((this.px[i] - minX) / cellSizeM);
      const cy = Math.floor((this.py[i] - minY) / cellSizeM);
      cellOf[i] = cy * this.nx + cx;
      this.cellStart[cellOf[i] + 1]++;
    }
    for (let c = 0; c < this.nx * this.ny; c++) this.cellStart[c + 1] += this.cellStart[c];
    const fill = this.cellStart.slice(0, -1);
    this.cellPoints = new Int32Array(n);
    for (let i = 0; i < n; i++) this.cellPoints[fill[cellOf[i]]++] = i; // ids ascending per cell
  }

  /** Id of the point nearest to (lat, lon). */
  nearest(lat: number, lon: number): number {
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) {
      throw new RangeError(`nearest: expected finite lat/lon (got ${lat}, ${lon})`);
    }
    const qx = this.projection.x(lon);
    const qy = this.projection.y(lat);
    const cs = this.cellSizeM;
    const cx = Math.floor((qx - this.minX) / cs);
    const cy = Math.floor((qy - this.minY) / cs);
    const { nx, ny } = this;
    // First ring that touches the grid, and the last ring that can.
    const rStart = Math.max(0, -cx, cx - (nx - 1), -cy, cy - (ny - 1));
    const rEnd = Math.max(cx, nx - 1 - cx, cy, ny - 1 - cy);
    let best = -1;
    let bestD2 = Number.POSITIVE_INFINITY;
    const { cellStart, cellPoints, px, py } = this;
    for (let r = rStart; r <= rEnd; r++) {
      const j0 = Math.max(0, cy - r);
      const j1 = Math.min(ny - 1, cy + r);
      for (let j = j0; j <= j1; j++) {
        // Edge rows of the ring scan their whole span; inner rows only its two end cells.
        const fullRow = j === cy - r || j === cy + r;
        const i0 = Math.max(0, cx - r);
        const i1 = Math.min(nx - 1, cx + r);
        const step = fullRow ? 1 : 2 * r;
        for (let i = fullRow ? i0 : cx - r; i <= i1; i += step) {
          if (i < 0) continue;
          const c = j * nx + i;
          for (let s = cellStart[c], end = cellStart[c + 1]; s < end; s++) {
            const p = cellPoints[s];
            const dx = px[p] - qx;
            const dy = py[p] - qy;
            const d2 = dx * dx + dy * dy;
            if (d2 < bestD2 || (d2 === bestD2 && p < best)) {
              bestD2 = d2;
              best = p;
            }
          }
          if (step === 0) break; // r = 0: the single cell
        }
      }
      // Any point in ring r+1 or beyond is at least r·cs away (plus the gap to the cell edge).
      if (best >= 0 && bestD2 < (r * cs) ** 2) break;
    }
    return best;
  }

  /** Planar distance in metres from (lat, lon) to point `id` (the metric `nearest` minimises). */
  distanceTo(id: number, lat: number, lon: number): number {
    return Math.hypot(this.px[id] - this.projection.x(lon), this.py[id] - this.projection.y(lat));
  }
}
