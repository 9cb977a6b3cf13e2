/**
 * What a dispatch policy sees (DESIGN §3): per-vehicle features, per-(vehicle, candidate order)
 * pair features and a global state for centralised critics, all scaled to about [0, 1].
 *
 * Everything is built on typed arrays in one pass per epoch (no per-pair objects): a pair row is
 * the vehicle's row followed by the order/insertion part, so a shared pair-scoring MLP reads one
 * contiguous row per candidate. Positions are node lat/lon normalised over the bounding box of
 * the world's road nodes; the global state counts supply and demand per region (the city's TLC
 * zones, or a coarse grid over node lat/lon for worlds without zones).
 */
import type { City } from "../../city/city.ts";
import type { LatLon } from "../../city/router.ts";
import type { Candidates } from "./candidates.ts";
import type { DispatchConfig } from "./config.ts";
import { PICKUP } from "./schedule.ts";
import type { DispatchSimulator } from "./simulator.ts";

/** Columns of the vehicle part (also `Observation.agentFeatures`), in order. */
export const VEHICLE_FEATURE_NAMES = [
  "vehicleX",
  "vehicleY",
  "onboardFraction",
  "assignedFraction",
  "stopFraction",
  "busyTime",
  "onboardRemaining",
  "onboardDelay",
  "candidateCount",
  "income",
  "fleetMeanIncome",
  "timeOfDay",
  "episodeProgress",
] as const;

/** Columns of the order / insertion part of a pair row, in order. */
export const ORDER_FEATURE_NAMES = [
  "pickupX",
  "pickupY",
  "dropoffX",
  "dropoffY",
  "requestAge",
  "pickupEta",
  "directTime",
  "directDistance",
  "addedRouteTime",
  "addedPassengerTime",
  "lateOrders",
  "reward",
  "orderCompetition",
  "etaGap",
] as const;

/** Columns of a pair row (`Observation.candFeatures`): the vehicle part, then the order part. */
export const PAIR_FEATURE_NAMES = [...VEHICLE_FEATURE_NAMES, ...ORDER_FEATURE_NAMES] as const;

export const VEHICLE_DIM = VEHICLE_FEATURE_NAMES.length;
export const PAIR_DIM = PAIR_FEATURE_NAMES.length;

/** Trip-like durations (direct time, added times) are divided by this: half an hour. */
export const TRIP_TIME_SCALE_S = 1800;
/** Schedule-length durations (time until free, remaining ride times) are divided by one hour. */
export const SCHEDULE_TIME_SCALE_S = 3600;
/** Distances are divided by 20 km (about the length of Manhattan). */
export const DISTANCE_SCALE_M = 20_000;
/** Default grid cells per axis of the global state for worlds without zones. */
export const DEFAULT_GRID_SIZE = 8;
/** Scalars at the end of the global state, after the three per-region blocks. */
export const GLOBAL_SCALAR_NAMES = [
  "idleFraction",
  "availableFraction",
  "pendingPerVehicle",
  "timeOfDay",
  "episodeProgress",
] as const;

/**
 * Static per-node geometry the features read: normalised position and region of every road node.
 * Built once per environment.
 */
export interface NodeGeometry {
  /** Per node: longitude mapped to [0, 1] over the nodes' bounding box (0 if the box is flat). */
  readonly x: Float32Array;
  /** Per node: latitude mapped to [0, 1] the same way. */
  readonly y: Float32Array;
  /** Per node: region index 0..regionCount−1 (global-state bucket). */
  readonly region: Int32Array;
  readonly regionCount: number;
  /** "zones": the city's TLC zones (+1 bucket for nodes outside every zone); "grid": G×G cells. */
  readonly regionKind: "zones" | "grid";
}

/** Lat/lon of a road node, for worlds that have no `City` (e.g. hand-made test worlds). */
export type NodeLatLon = (node: number) => LatLon;

/**
 * Geometry of a city: positions from its node lat/lon, regions = its TLC zones in id order, plus
 * one "outside" bucket if some node lies in no zone.
 */
export function geometryFromCity(
  city: Pick<City, "nodeCount" | "nodeLat" | "nodeLon" | "nodeZone" | "zones">,
): NodeGeometry {
  const { x, y } = normalisePositions(city.nodeLat, city.nodeLon);
  const index = new Map<number, number>();
  for (const z of city.zones) index.set(z.id, index.size);
  const outside = index.size;
  const region = new Int32Array(city.nodeCount);
  let anyOutside = false;
  for (let i = 0; i < city.nodeCount; i++) {
    const r = index.get(city.nodeZone[i]);
    if (r === undefined) anyOutside = true;
    region[i] = r ?? outside;
  }
  return { x, y, region, regionCount: outside + (anyOutside ? 1 : 0), regionKind: "zones" };
}

/**
 * Geometry from a lat/lon provider: positions normalised over the nodes' bounding box, regions =
 * a `gridSize`×`gridSize` grid over that box (cell index = row·G + column, row from y).
 *
 * @example
 * // 11 nodes on a diagonal line: node i at x = y = i/10; with a 2×2 grid nodes 0–4 are cell 0
 * const geo = geometryFromLatLon(11, (i) => ({ lat: 40 + 0.01 * i, lon: -74 + 0.01 * i }), 2);
 * geo.region[5]; // 3 (x = y = 0.5 falls in the upper cell)
 */
export function geometryFromLatLon(
  nodeCount: number,
  nodeLatLon: NodeLatLon,
  gridSize = DEFAULT_GRID_SIZE,
): NodeGeometry {
  if (!Number.isInteger(gridSize) || gridSize < 1 || gridSize > 256)
    throw new RangeError(`gridSize: expected an integer in 1..256 (got ${gridSize})`);
  const lat = new Float64Array(nodeCount);
  const lon = new Float64Array(nodeCount);
  for (let i = 0; i < nodeCount; i++) {
    const p = nodeLatLon(i);
    if (!(Number.isFinite(p?.lat) && Number.isFinite(p?.lon)))
      throw new RangeError(
        `nodeLatLon(${i}): expected finite { lat, lon } (got ${JSON.stringify(p)})`,
      );
    lat[i] = p.lat;
    lon[i] = p.lon;
  }
  const { x, y } = normalisePositions(lat, lon);
  const region = new Int32Array(nodeCount);
  const cell = (u: number) => Math.min(gridSize - 1, Math.floor(u * gridSize));
  for (let i = 0; i < nodeCount; i++) region[i] = cell(y[i]) * gridSize + cell(x[i]);
  return { x, y, region, regionCount: gridSize * gridSize, regionKind: "grid" };
}

function normalisePositions(
  lat: ArrayLike<number>,
  lon: ArrayLike<number>,
): { x: Float32Array; y: Float32Array } {
  const scale = (v: ArrayLike<number>): Float32Array => {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < v.length; i++) {
      if (v[i] < lo) lo = v[i];
      if (v[i] > hi) hi = v[i];
    }
    const span = hi - lo;
    const out = new Float32Array(v.length);
    if (span > 0) for (let i = 0; i < v.length; i++) out[i] = (v[i] - lo) / span;
    return out;
  };
  return { x: scale(lon), y: scale(lat) };
}

/** Length of the global state for a geometry: 3 per-region blocks plus the scalars. */
export function globalStateDim(geometry: NodeGeometry): number {
  return 3 * geometry.regionCount + GLOBAL_SCALAR_NAMES.length;
}

/**
 * Reward scale: the reward of a matched order whose trip is DISTANCE_SCALE_M long (23 with OSPO's
 * defaults, so typical pair rewards of 3–10 map to 0.13–0.43).
 */
export function rewardScale(config: DispatchConfig): number {
  return Math.max(
    1e-9,
    Math.abs(config.reward.base) + Math.abs(config.reward.perKm) * (DISTANCE_SCALE_M / 1000),
  );
}

/**
 * Income scale: the reward scale times the larger of the capacity (a full vehicle's worth of
 * orders, which a pooling vehicle can collect within a few epochs) and one order per 10 minutes
 * of the episode. 69 for manhattan-peak (3 seats, 30 one-minute epochs).
 */
export function incomeScale(config: DispatchConfig): number {
  return rewardScale(config) * Math.max(config.capacity, (config.epochs * config.dt) / 600);
}

const div = (x: number, scale: number): number => (scale > 0 ? x / scale : 0);

/** What a vehicle's candidate count is divided by: the per-order cap, or the pending orders. */
function candidateScale(config: DispatchConfig, c: Candidates | null): number {
  if (config.candidates !== "all") return config.candidatesPerOrder;
  return c === null ? 0 : c.orderCount;
}

function countAvailable(sim: DispatchSimulator): number {
  let n = 0;
  for (let v = 0; v < sim.fleet.vehicles; v++) if (sim.isAvailable(v)) n++;
  return n;
}

/**
 * Vehicle features at the current decision time, shape (vehicles × VEHICLE_DIM), row-major.
 * `c` gives the candidate counts (null: none, e.g. after the last decision).
 *
 * - vehicleX/Y: its start node (the node it is at or next reaches);
 * - onboardFraction, assignedFraction: passengers on board, and assigned orders not yet picked
 *   up, over capacity; stopFraction: scheduled stops / stop slots;
 * - busyTime: time until its last scheduled stop (when it is free), hours;
 * - onboardRemaining: Σ over its scheduled drop-offs of (arrival − now), / (capacity · 1 h);
 * - onboardDelay: Σ over its scheduled orders of planned ride time − direct time, / (capacity ·
 *   maxDetour), in [0, 1];
 * - candidateCount: its candidates / candidatesPerOrder, capped at 1 (`candidates: "all"`: / the
 *   pending orders, the share of them it can take);
 * - income, fleetMeanIncome: cumulative one-step reward (own, fleet mean) / incomeScale;
 * - timeOfDay: seconds of the day / 86,400; episodeProgress: epochs decided / epochs.
 */
export function vehicleFeatures(
  sim: DispatchSimulator,
  c: Candidates | null,
  geometry: NodeGeometry,
): Float32Array {
  const { fleet, orders, config, now, income } = sim;
  const n = fleet.vehicles;
  const out = new Float32Array(n * VEHICLE_DIM);
  const cap = fleet.capacity;
  const iScale = incomeScale(config);
  let incomeSum = 0;
  for (let v = 0; v < n; v++) incomeSum += income[v];
  const meanIncome = n > 0 ? div(incomeSum / n, iScale) : 0;
  const timeOfDay = (now % 86400) / 86400;
  const progress = div(sim.epoch, config.epochs);
  for (let v = 0; v < n; v++) {
    const base = v * fleet.maxStops;
    const stops = fleet.stopCount[v];
    let t = fleet.startTime[v];
    let pickups = 0;
    let remaining = 0;
    let delay = 0;
    for (let k = 0; k < stops; k++) {
      t += fleet.stopLeg[base + k];
      if (fleet.stopKind[base + k] === PICKUP) {
        pickups++;
        continue;
      }
      const o = fleet.stopOrder[base + k];
      remaining += t - now;
      // Planned pickup: the order's pickup stop earlier in this schedule, else it is on board.
      let pickedUp = orders.pickupTime[o];
      let tp = fleet.startTime[v];
      for (let j = 0; j < k; j++) {
        tp += fleet.stopLeg[base + j];
        if (fleet.stopOrder[base + j] === o && fleet.stopKind[base + j] === PICKUP) pickedUp = tp;
      }
      delay += Math.max(0, t - pickedUp - orders.directTime[o]);
    }
    const count = c === null ? 0 : c.rowPtr[v + 1] - c.rowPtr[v];
    const row = v * VEHICLE_DIM;
    const node = fleet.startNode[v];
    out[row] = geometry.x[node];
    out[row + 1] = geometry.y[node];
    out[row + 2] = fleet.onboard[v] / cap;
    out[row + 3] = pickups / cap;
    out[row + 4] = stops / fleet.maxStops;
    out[row + 5] = (stops > 0 ? t - now : 0) / SCHEDULE_TIME_SCALE_S;
    out[row + 6] = remaining / (cap * SCHEDULE_TIME_SCALE_S);
    out[row + 7] = div(delay, cap * config.maxDetour);
    out[row + 8] = Math.min(1, div(count, candidateScale(config, c)));
    out[row + 9] = div(income[v], iScale);
    out[row + 10] = meanIncome;
    out[row + 11] = timeOfDay;
    out[row + 12] = progress;
  }
  return out;
}

/**
 * Pair features, shape (c.pairCount × PAIR_DIM), row-major in the CSR order of `c`: each row is
 * the pair's vehicle row from `vehicleRows` (see `vehicleFeatures`) followed by
 *
 * - pickupX/Y, dropoffX/Y: the order's nodes;
 * - requestAge: (now − request time) / maxWait, in [0, 1] for a pending order;
 * - pickupEta: time until the vehicle reaches the pickup (after any earlier stops) / maxPickupEta;
 * - directTime (/ 30 min), directDistance (/ 20 km): the order's shortest trip;
 * - addedRouteTime, addedPassengerTime: the insertion's increase of the vehicle's schedule
 *   duration and of the summed trip times of the orders already scheduled, / 30 min;
 * - lateOrders: scheduled orders the insertion makes late, / capacity;
 * - reward: the pair's one-step reward / rewardScale (what the vehicle earns if matched);
 * - orderCompetition: the order's candidate vehicles / candidatesPerOrder, in (0, 1]
 *   (`candidates: "all"`: / the available vehicles);
 * - etaGap: (pickup ETA − the order's best pickup ETA over its candidates) / maxPickupEta.
 */
export function pairFeatures(
  sim: DispatchSimulator,
  c: Candidates,
  geometry: NodeGeometry,
  vehicleRows: Float32Array,
): Float32Array {
  const { orders, config, now } = sim;
  const out = new Float32Array(c.pairCount * PAIR_DIM);
  const slotPairs = new Int32Array(c.orderCount);
  const slotBestEta = new Float64Array(c.orderCount).fill(Number.POSITIVE_INFINITY);
  for (let p = 0; p < c.pairCount; p++) {
    const s = c.pairSlot[p];
    slotPairs[s]++;
    if (c.eta[p] < slotBestEta[s]) slotBestEta[s] = c.eta[p];
  }
  const rScale = rewardScale(config);
  const cap = sim.fleet.capacity;
  const competitionScale =
    config.candidates === "all" ? countAvailable(sim) : config.candidatesPerOrder;
  for (let p = 0; p < c.pairCount; p++) {
    const v = c.pairVehicle[p];
    const s = c.pairSlot[p];
    const o = c.orderIds[s];
    const row = p * PAIR_DIM;
    out.set(vehicleRows.subarray(v * VEHICLE_DIM, (v + 1) * VEHICLE_DIM), row);
    const r = row + VEHICLE_DIM;
    const pu = orders.pickupNode[o];
    const dr = orders.dropoffNode[o];
    out[r] = geometry.x[pu];
    out[r + 1] = geometry.y[pu];
    out[r + 2] = geometry.x[dr];
    out[r + 3] = geometry.y[dr];
    out[r + 4] = div(now - orders.requestTime[o], config.maxWait);
    out[r + 5] = div(c.eta[p], config.maxPickupEta);
    out[r + 6] = orders.directTime[o] / TRIP_TIME_SCALE_S;
    out[r + 7] = orders.directDistance[o] / DISTANCE_SCALE_M;
    out[r + 8] = c.addedRouteTime[p] / TRIP_TIME_SCALE_S;
    out[r + 9] = c.addedTime[p] / TRIP_TIME_SCALE_S;
    out[r + 10] = c.lateOrders[p] / cap;
    out[r + 11] = c.reward[p] / rScale;
    out[r + 12] = div(slotPairs[s], competitionScale);
    out[r + 13] = div(c.eta[p] - slotBestEta[s], config.maxPickupEta);
  }
  return out;
}

/**
 * The global state for a centralised (MAPPO) critic, length `globalStateDim(geometry)`:
 * three per-region blocks — idle vehicles (no stops), available vehicles (busy but with room for
 * another order), pending orders — each counted at the vehicle's start node / the order's pickup
 * node and squashed as s/(1+s) with s = count · regionCount / vehicles (0.5 = a uniform share of
 * the fleet); then idleFraction, availableFraction (of the fleet), pendingPerVehicle (pending /
 * vehicles, squashed the same way), timeOfDay and episodeProgress.
 */
export function globalState(sim: DispatchSimulator, geometry: NodeGeometry): Float32Array {
  const { fleet, orders, config } = sim;
  const R = geometry.regionCount;
  const out = new Float32Array(globalStateDim(geometry));
  const n = fleet.vehicles;
  let idle = 0;
  let available = 0;
  for (let v = 0; v < n; v++) {
    const region = geometry.region[fleet.startNode[v]];
    if (fleet.stopCount[v] === 0) {
      out[region]++;
      idle++;
    } else if (sim.isAvailable(v)) {
      out[R + region]++;
      available++;
    }
  }
  const pending = sim.pendingOrders();
  for (const o of pending) out[2 * R + geometry.region[orders.pickupNode[o]]]++;
  const squash = (s: number) => s / (1 + s);
  for (let k = 0; k < 3 * R; k++) out[k] = squash(div(out[k] * R, n));
  const g = 3 * R;
  out[g] = div(idle, n);
  out[g + 1] = div(available, n);
  out[g + 2] = squash(div(pending.length, n));
  out[g + 3] = (sim.now % 86400) / 86400;
  out[g + 4] = div(sim.epoch, config.epochs);
  return out;
}
