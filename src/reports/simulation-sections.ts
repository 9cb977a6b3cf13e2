/**
 * Sections of a `fleetrl simulate` run, drawn from its event log (events.json): what happened
 * minute by minute, per-order times, and served / lost orders per pickup zone.
 */
import type { Zone } from "../city/zones-file.ts";
import { binSeconds, histogramChart } from "./histogram.ts";
import { lineChart } from "./line-chart.ts";
import { grid, type Section } from "./page.ts";
import type { EventsFile } from "./run-files.ts";
import { zoneMaps } from "./zone-map.ts";

/**
 * Per order: times of its events (NaN where it did not happen). An order requested but never
 * assigned was lost (expired, or still waiting when the episode ended).
 */
export interface OrderTimes {
  request: Float64Array;
  assign: Float64Array;
  pickup: Float64Array;
}

/** Each order's request, assignment and pickup times from the event log. */
export function orderTimes(e: EventsFile): OrderTimes {
  const n = e.orders.requestTime.length;
  const t: OrderTimes = {
    request: new Float64Array(n).fill(Number.NaN),
    assign: new Float64Array(n).fill(Number.NaN),
    pickup: new Float64Array(n).fill(Number.NaN),
  };
  const code = (name: string) => e.eventTypes.indexOf(name);
  const [request, assign, pickup] = [code("request"), code("assign"), code("pickup")];
  e.events.type.forEach((type, i) => {
    const o = e.events.order[i];
    if (o < 0 || o >= n) return;
    if (type === request) t.request[o] = e.events.time[i];
    else if (type === assign) t.assign[o] = e.events.time[i];
    else if (type === pickup) t.pickup[o] = e.events.time[i];
  });
  return t;
}

/**
 * Requests, assignments, pickups and losses in each minute of the decision window (the drain
 * after it is left out). Orders still waiting when the window closed are counted apart
 * (`pendingAtEnd`), not as lost in its last minute: they had not expired.
 */
export function eventsPerMinute(e: EventsFile): {
  series: { name: string; points: [number, number][] }[];
  pendingAtEnd: number;
} {
  const snaps = e.snapshots;
  const dt = snaps.length > 1 ? snaps[1].time - snaps[0].time : 60;
  const end = snaps.length > 0 ? snaps[snaps.length - 1].time + dt : e.startTime + dt;
  const minutes = Math.max(1, Math.ceil((end - e.startTime) / 60));
  const lostCode = e.eventTypes.indexOf("lost");
  let pendingAtEnd = 0;
  e.events.type.forEach((type, i) => {
    if (type === lostCode && e.events.time[i] >= end) pendingAtEnd++;
  });
  const kinds: [string, string][] = [
    ["request", "requested"],
    ["assign", "assigned"],
    ["pickup", "picked up"],
    ["lost", "lost"],
  ];
  const series = kinds.map(([event, name]) => {
    const code = e.eventTypes.indexOf(event);
    const perMinute = new Array(minutes).fill(0);
    e.events.type.forEach((type, i) => {
      const time = e.events.time[i];
      if (type === code && time < end)
        perMinute[Math.max(0, Math.floor((time - e.startTime) / 60))]++;
    });
    return { name, points: perMinute.map((n, m) => [m, n] as [number, number]) };
  });
  return { series, pendingAtEnd };
}

/** Events per minute (requests, assignments, pickups, losses) and riders on board per vehicle. */
export function timelineSection(e: EventsFile): Section {
  const { series, pendingAtEnd } = eventsPerMinute(e);
  const occupancy: [number, number][] = e.snapshots.map((s) => [
    (s.time - e.startTime) / 60,
    s.onboard.reduce((a, b) => a + b, 0) / Math.max(1, s.onboard.length),
  ]);
  return {
    id: "timeline",
    title: "Episode timeline",
    intro: `Orders requested, assigned, picked up and lost (expired) in each minute of the episode's decision window, and riders on board per vehicle at each epoch. ${pendingAtEnd} orders were still waiting when the window closed: not expired, so not drawn as lost (metrics.json counts them among the lost, as pendingAtEnd).`,
    html: grid([
      lineChart({
        title: "Events per minute",
        xLabel: "minutes since the episode's start",
        yLabel: "events per minute",
        series,
        integerX: true,
        width: 500,
        height: 280,
      }),
      lineChart({
        title: "Riders on board per vehicle",
        xLabel: "minutes since the episode's start",
        yLabel: "mean riders per vehicle",
        series: [
          { name: "riders on board / vehicle", points: occupancy, dots: occupancy.length <= 60 },
        ],
        integerX: true,
        width: 500,
        height: 280,
      }),
    ]),
  };
}

/** Pickup time (assignment → pickup) and wait (request → pickup) of every picked-up order. */
export function simulationDistributionsSection(t: OrderTimes, dispatcher: string): Section {
  const pickups: number[] = [];
  const waits: number[] = [];
  for (let o = 0; o < t.request.length; o++) {
    if (!Number.isFinite(t.pickup[o])) continue;
    pickups.push(t.pickup[o] - t.assign[o]);
    waits.push(t.pickup[o] - t.request[o]);
  }
  return {
    id: "distributions",
    title: "Pickup time and wait",
    intro:
      "Share of picked-up orders per 30-second bin. Pickup time: from assignment to pickup; wait: from request to pickup (it includes the time until the next decision epoch).",
    html: grid([
      histogramChart({
        title: "Pickup time",
        what: "pickup time",
        series: [{ name: dispatcher, histogram: binSeconds(pickups, 30, 31) }],
        width: 500,
        height: 280,
      }),
      histogramChart({
        title: "Wait",
        what: "wait",
        series: [{ name: dispatcher, histogram: binSeconds(waits, 30, 31) }],
        width: 500,
        height: 280,
      }),
    ]),
  };
}

/** Service rate per pickup zone: served = assigned orders, lost = orders that expired. */
export function simulationMapSection(
  e: EventsFile,
  t: OrderTimes,
  dispatcher: string,
  zones: readonly Zone[],
  nodeZone: ArrayLike<number>,
): Section {
  const served: Record<number, number> = {};
  const lost: Record<number, number> = {};
  e.orders.pickupNode.forEach((node, o) => {
    const zone = nodeZone[node] ?? -1;
    if (Number.isFinite(t.assign[o])) served[zone] = (served[zone] ?? 0) + 1;
    else if (Number.isFinite(t.request[o])) lost[zone] = (lost[zone] ?? 0) + 1;
  });
  return {
    id: "map",
    title: "Served and lost demand by zone",
    intro:
      "Manhattan's taxi zones shaded by the share of their orders that were served (assigned to a vehicle), orders counted at their pickup zone. Hover a zone for its counts.",
    html: zoneMaps(zones, [{ name: dispatcher, served, lost }]),
  };
}
