/**
 * The map of the city on a canvas, from the server's compact city data (/api/city): zone
 * polygons and roads drawn once into a background layer, and a projection from node ids and
 * coordinates to canvas pixels (equirectangular, scaled by cos(latitude); north up).
 */

export interface CityMap {
  scale: number;
  nodeLat: number[];
  nodeLon: number[];
  roads: number[];
  zones: { id: number; name: string; rings: number[][] }[];
}

export class MapProjection {
  /** Canvas x, y of every node (CSS pixels). */
  readonly nodeX: Float32Array;
  readonly nodeY: Float32Array;
  private readonly lon0: number;
  private readonly lat1: number;
  private readonly k: number;
  private readonly ky: number;
  private readonly offsetX: number;
  private readonly offsetY: number;

  constructor(
    readonly city: CityMap,
    readonly width: number,
    readonly height: number,
    padding = 8,
  ) {
    let latMin = Infinity;
    let latMax = -Infinity;
    let lonMin = Infinity;
    let lonMax = -Infinity;
    for (let i = 0; i < city.nodeLat.length; i++) {
      latMin = Math.min(latMin, city.nodeLat[i]);
      latMax = Math.max(latMax, city.nodeLat[i]);
      lonMin = Math.min(lonMin, city.nodeLon[i]);
      lonMax = Math.max(lonMax, city.nodeLon[i]);
    }
    const cos = Math.cos(((latMin + latMax) / 2 / city.scale) * (Math.PI / 180));
    const spanX = (lonMax - lonMin) * cos;
    const spanY = latMax - latMin;
    this.k = Math.min((width - 2 * padding) / spanX, (height - 2 * padding) / spanY);
    this.ky = this.k;
    this.k *= cos;
    this.lon0 = lonMin;
    this.lat1 = latMax;
    this.offsetX = (width - spanX * this.ky) / 2;
    this.offsetY = (height - spanY * this.ky) / 2;
    const n = city.nodeLat.length;
    this.nodeX = new Float32Array(n);
    this.nodeY = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      this.nodeX[i] = this.x(city.nodeLon[i]);
      this.nodeY[i] = this.y(city.nodeLat[i]);
    }
  }

  /** Canvas x of a longitude in the map's integer units. */
  x(lon: number): number {
    return this.offsetX + (lon - this.lon0) * this.k;
  }

  y(lat: number): number {
    return this.offsetY + (this.lat1 - lat) * this.ky;
  }
}

/** Zones and roads, drawn once per canvas size into an offscreen canvas (device pixels). */
export function drawBackground(p: MapProjection, dpr: number): HTMLCanvasElement {
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(p.width * dpr);
  canvas.height = Math.round(p.height * dpr);
  const ctx = canvas.getContext("2d")!;
  ctx.scale(dpr, dpr);
  ctx.fillStyle = "#dfe8ee"; // water
  ctx.fillRect(0, 0, p.width, p.height);
  ctx.lineWidth = 0.8;
  for (const zone of p.city.zones) {
    ctx.beginPath();
    for (const ring of zone.rings) {
      for (let i = 0; i < ring.length; i += 2) {
        const x = p.x(ring[i]);
        const y = p.y(ring[i + 1]);
        if (i === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      }
      ctx.closePath();
    }
    ctx.fillStyle = "#f4f3ee";
    ctx.fill("evenodd");
    ctx.strokeStyle = "#cfccc0";
    ctx.stroke();
  }
  ctx.beginPath();
  const roads = p.city.roads;
  for (let i = 0; i < roads.length; i += 2) {
    ctx.moveTo(p.nodeX[roads[i]], p.nodeY[roads[i]]);
    ctx.lineTo(p.nodeX[roads[i + 1]], p.nodeY[roads[i + 1]]);
  }
  ctx.strokeStyle = "#c3c7cf";
  ctx.lineWidth = 0.6;
  ctx.stroke();
  return canvas;
}
