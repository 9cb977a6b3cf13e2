/**
 * Choropleth maps of the city's zones (TLC zone polygons), shaded by the service rate of the
 * orders picked up in each zone, as small multiples with one shared colour legend.
 */
import type { Zone } from "../city/zones-file.ts";
import { rampColor } from "./colors.ts";
import { escapeHtml, fmt, px } from "./format.ts";

/** Zone id → order count (JSON object keys, as the run files store them). */
export type ZoneCounts = Record<string | number, number>;

export interface ZoneMapPanel {
  name: string;
  served: ZoneCounts;
  lost: ZoneCounts;
}

export interface Projection {
  /** [x, y] in pixels of a [lon, lat] point. */
  project(lon: number, lat: number): [number, number];
  width: number;
  height: number;
}

const NO_DATA = "#e4e4e4";

/**
 * Equirectangular projection (longitude scaled by cos of the mean latitude, north up) fitting the
 * zones' bounding box into `height` pixels plus `pad` on each side; the width follows.
 * @example
 * const p = fitProjection(zones, 400);
 * p.project(-73.98, 40.75); // [x, y] inside [0, p.width] × [0, p.height]
 */
export function fitProjection(zones: readonly Zone[], height: number, pad = 6): Projection {
  let minLon = Infinity;
  let maxLon = -Infinity;
  let minLat = Infinity;
  let maxLat = -Infinity;
  for (const z of zones)
    for (const polygon of z.polygons)
      for (const ring of polygon)
        for (const [lon, lat] of ring) {
          minLon = Math.min(minLon, lon);
          maxLon = Math.max(maxLon, lon);
          minLat = Math.min(minLat, lat);
          maxLat = Math.max(maxLat, lat);
        }
  const kx = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const scale = (height - 2 * pad) / Math.max(1e-9, maxLat - minLat);
  return {
    project: (lon, lat) => [pad + (lon - minLon) * kx * scale, pad + (maxLat - lat) * scale],
    width: Math.ceil(2 * pad + (maxLon - minLon) * kx * scale),
    height,
  };
}

/**
 * SVG path of a zone's MultiPolygon (every ring a closed sub-path; holes cut out by the
 * even-odd rule), dropping points closer than `minStep` pixels to the previous one.
 */
export function zonePath(zone: Zone, p: Projection, minStep = 0.6): string {
  let d = "";
  for (const polygon of zone.polygons)
    for (const ring of polygon) {
      let last: [number, number] | null = null;
      ring.forEach(([lon, lat], i) => {
        const pt = p.project(lon, lat);
        const keep =
          last === null ||
          i === ring.length - 1 ||
          Math.hypot(pt[0] - last[0], pt[1] - last[1]) >= minStep;
        if (!keep) return;
        d += `${last === null ? "M" : "L"}${px(pt[0])} ${px(pt[1])}`;
        last = pt;
      });
      d += "Z";
    }
  return d;
}

/**
 * Lower end of the shared colour scale: the lowest zone service rate over all panels, rounded
 * down to 10%, at most 90% (so the ramp always spans some range).
 */
export function rateFloor(panels: ZoneMapPanel[]): number {
  let lo = 1;
  for (const panel of panels)
    for (const [z, served] of Object.entries(panel.served)) {
      const total = served + (panel.lost[z] ?? 0);
      if (total > 0) lo = Math.min(lo, served / total);
    }
  for (const panel of panels)
    for (const [z, lost] of Object.entries(panel.lost))
      if (lost > 0 && !(panel.served[z] > 0)) lo = 0;
  return Math.min(0.9, Math.floor(lo * 10) / 10);
}

/**
 * Small multiples: one map per panel (service rate = served / (served + lost) per pickup zone,
 * hover a zone for its numbers) and one legend. Maps are sized so the panels fit side by side
 * in `rowWidth` pixels (between 260 and 460 pixels tall).
 */
export function zoneMaps(zones: readonly Zone[], panels: ZoneMapPanel[], rowWidth = 1000): string {
  const aspect = fitProjection(zones, 1000, 0).width / 1000;
  const fit = (rowWidth / Math.max(1, panels.length) - 24) / aspect;
  const p = fitProjection(zones, Math.round(Math.min(460, Math.max(260, fit))));
  const paths = zones.map((z) => ({ zone: z, d: zonePath(z, p) }));
  const lo = rateFloor(panels);
  const maps = panels.map((panel) => {
    const shapes = paths.map(({ zone, d }) => {
      const served = panel.served[zone.id] ?? 0;
      const lost = panel.lost[zone.id] ?? 0;
      const total = served + lost;
      const rate = total > 0 ? served / total : Number.NaN;
      const fill = total > 0 ? rampColor((rate - lo) / (1 - lo)) : NO_DATA;
      const tip =
        total > 0
          ? `${zone.name} (zone ${zone.id}): ${fmt(100 * rate, 1)}% served, ${fmt(served)} served, ${fmt(lost)} lost`
          : `${zone.name} (zone ${zone.id}): no orders`;
      return `<path class="zone" data-zone="${zone.id}" d="${d}" fill="${fill}" fill-rule="evenodd"><title>${escapeHtml(tip)}</title></path>`;
    });
    const served = sum(panel.served);
    const lost = sum(panel.lost);
    const caption = `${fmt((100 * served) / Math.max(1, served + lost), 1)}% served<br>${fmt(served)} served, ${fmt(lost)} lost`;
    return `<figure class="map-panel"><svg class="chart map" role="img" viewBox="0 0 ${p.width} ${p.height}" width="${p.width}" height="${p.height}"><title>${escapeHtml(`${panel.name}: service rate per pickup zone`)}</title><g stroke="#fff" stroke-width="0.5">${shapes.join("")}</g></svg><figcaption><b>${escapeHtml(panel.name)}</b><br>${caption}</figcaption></figure>`;
  });
  return `<div class="maps">${maps.join("")}</div>${rampLegend(lo)}`;
}

/** The colour legend: ten steps from `lo` to 100% service rate and the "no orders" swatch. */
function rampLegend(lo: number): string {
  const steps = 10;
  const w = 28;
  const rects = Array.from({ length: steps }, (_, i) => {
    const t = (i + 0.5) / steps;
    return `<rect x="${i * w}" y="18" width="${w}" height="12" fill="${rampColor(t)}"/>`;
  }).join("");
  const labels = [0, 0.5, 1]
    .map((t) => {
      const anchor = t === 0 ? "start" : t === 1 ? "end" : "middle";
      return `<text x="${t * steps * w}" y="44" text-anchor="${anchor}" class="tick">${fmt(100 * (lo + t * (1 - lo)))}%</text>`;
    })
    .join("");
  const noData = `<rect x="${steps * w + 24}" y="18" width="12" height="12" fill="${NO_DATA}"/><text x="${steps * w + 42}" y="28" class="tick">no orders</text>`;
  return `<svg class="chart map-legend" role="img" viewBox="0 0 ${steps * w + 120} 50" width="${steps * w + 120}" height="50"><title>service rate colour scale</title><text x="0" y="12" class="legend">service rate of the zone's orders (served / requested)</text>${rects}${labels}${noData}</svg>`;
}

function sum(counts: ZoneCounts): number {
  let s = 0;
  for (const [z, n] of Object.entries(counts)) if (Number(z) >= 0) s += n;
  return s;
}
