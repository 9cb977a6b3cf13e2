/**
 * Cheapest feasible insertion of a new order into one vehicle's stop list (pooling).
 *
 * Every pickup position i and drop-off position j >= i of the current list is tried; a candidate
 * is feasible when, walking the new list from (startNode, startTime) and summing travel times,
 * - every pickup happens at or before its order's pickupDeadline (arriving early is fine: the
 *   order is already waiting),
 * - the number on board never exceeds the capacity,
 * - every drop-off happens at most maxRideTime after its order's pickup (the actual pickup time
 *   for an order on board, the planned one otherwise),
 * - and the list still fits in the vehicle's `maxStops` slots.
 * The cost is the added route time (end of the new list minus end of the old one); ties go to the
 * earliest (i, then j). The whole new list is checked, so if the current list is itself already
 * infeasible (e.g. travel times rose at the hour), nothing can be inserted.
 *
 * The oracle is asked only for legs that touch the new pickup or drop-off (legs of the current
 * list are cached in the schedule), at most once per node pair, lazily, and never for a node to
 * itself (0): at most 4n + 2 calls for n stops. Early exits: a pickup position whose preceding
 * stop is already past the deadline ends the search (travel times are >= 0); a stop that fails
 * between the new pickup and drop-off ends the drop-off scan for that pickup position; a stop of
 * the unchanged prefix that fails ends everything. Work is O(n^3) arithmetic, n <= maxStops.
 */

import { type FleetSchedule, PICKUP, type TravelTime } from "./schedule.ts";
import type { OrderTable } from "./schedule-orders.ts";

/** What the best insertion does to the vehicle; all times absolute seconds. */
export interface InsertionResult {
  feasible: boolean;
  /** The new pickup goes before current stop `pickupIndex` (= stop count: appended). */
  pickupIndex: number;
  /** The new drop-off goes before current stop `dropoffIndex` (>= pickupIndex), after the pickup. */
  dropoffIndex: number;
  /** Arrival at the new order's pickup (= its pickup time). */
  pickupEta: number;
  /** Arrival at the new order's drop-off. */
  dropoffEta: number;
  /** Increase of the time the vehicle needs to finish its stop list. */
  addedRouteTime: number;
  /** Sum over the orders already in the schedule of (drop-off time after − before): Δt_added. */
  addedPassengerTime: number;
  /** New order's in-vehicle time minus its direct time. */
  detour: number;
  /** Orders in the new schedule (the new one included) with in-vehicle time > lateThreshold. */
  nLate: number;
  /** Oracle calls this evaluation made. */
  ttCalls: number;
}

/** A result to reuse across calls (bestInsertion overwrites every field). */
export function createInsertionResult(): InsertionResult {
  return {
    feasible: false,
    pickupIndex: -1,
    dropoffIndex: -1,
    pickupEta: Number.NaN,
    dropoffEta: Number.NaN,
    addedRouteTime: Number.NaN,
    addedPassengerTime: Number.NaN,
    detour: Number.NaN,
    nLate: 0,
    ttCalls: 0,
  };
}

/** In-vehicle time above which an order counts in n_late (OSPO: 40 min). */
export const DEFAULT_LATE_THRESHOLD = 40 * 60;

/**
 * The search's scratch space and the current evaluation's inputs, kept in one reused object so
 * an evaluation allocates nothing. Node indices ("u") point into `uNode`, the distinct nodes of
 * this evaluation (start, stops, new pickup, new drop-off), which key the oracle memo.
 */
class InsertionSearch {
  private size = -1;
  private uNode = new Int32Array(0);
  private uCount = 0;
  private memo = new Float64Array(0);
  private stopU = new Int32Array(0);
  /** For a drop-off stop: index of its order's pickup stop, or -1 if the order is on board. */
  private pairPos = new Int32Array(0);
  private baseTime = new Float64Array(0);
  private loadBefore = new Int32Array(0);
  private lateBefore = new Int32Array(0);
  /** Arrival at each current stop in the candidate being walked (positions >= i). */
  private walkTime = new Float64Array(0);
  // Per current stop: leg into it, 1 if pickup, its deadline (pickup) or longest ride
  // (drop-off), and for the drop-off of an order on board its actual pickup time.
  private leg = new Float64Array(0);
  private isPickup = new Uint8Array(0);
  private limit = new Float64Array(0);
  private boardedAt = new Float64Array(0);

  private fleet!: FleetSchedule;
  private orders!: OrderTable;
  private tt!: TravelTime;
  private base = 0;
  private n = 0;
  private startTime = 0;
  private onboard = 0;
  private capacity = 0;
  private startU = 0;
  private pU = 0;
  private dU = 0;
  private deadline = 0;
  private maxRide = 0;
  private lateThreshold = 0;
  private ttCalls = 0;

  // State of the walk in progress: people on board, late orders so far, summed drop-off delay
  // of the orders already scheduled, and (after a completed walk) its drop-off and end times.
  private load = 0;
  private late = 0;
  private shift = 0;
  private dropoffTime = 0;
  private end = 0;

  run(
    fleet: FleetSchedule,
    v: number,
    orders: OrderTable,
    order: number,
    tt: TravelTime,
    lateThreshold: number,
    out: InsertionResult,
  ): InsertionResult {
    this.prepare(fleet, v, orders, order, tt, lateThreshold);
    out.feasible = false;
    out.pickupIndex = out.dropoffIndex = -1;
    out.pickupEta = out.dropoffEta = out.addedRouteTime = Number.NaN;
    out.addedPassengerTime = out.detour = Number.NaN;
    out.nLate = 0;
    const n = this.n;
    if (n + 2 <= fleet.maxStops) {
      const firstBad = this.baseFirstViolation();
      const baseEnd = n === 0 ? this.startTime : this.baseTime[n - 1];
      let bestCost = Number.POSITIVE_INFINITY;
      // A stop of the unchanged prefix that fails fails for every later pickup position too.
      for (let i = 0; i <= n && i <= firstBad; i++) {
        const before = i === 0 ? this.startTime : this.baseTime[i - 1];
        if (before > this.deadline) break; // travel times are >= 0: later positions are later
        const tPickup = before + this.dist(i === 0 ? this.startU : this.stopU[i - 1], this.pU);
        if (tPickup > this.deadline || this.loadBefore[i] + 1 > this.capacity) continue;
        // Walk "stops < i, new pickup, stops i..j-1" one stop per drop-off position j.
        this.load = this.loadBefore[i] + 1;
        this.late = this.lateBefore[i];
        this.shift = 0;
        let t = tPickup;
        let prevU = this.pU;
        for (let j = i; ; j++) {
          const load = this.load;
          const late = this.late;
          const shift = this.shift;
          if (this.finishWithDropoff(i, j, tPickup, t, prevU) && this.end - baseEnd < bestCost) {
            bestCost = this.end - baseEnd;
            out.feasible = true;
            out.pickupIndex = i;
            out.dropoffIndex = j;
            out.pickupEta = tPickup;
            out.dropoffEta = this.dropoffTime;
            out.addedRouteTime = bestCost;
            out.addedPassengerTime = this.shift;
            out.detour = this.dropoffTime - tPickup - orders.directTime[order];
            out.nLate = this.late;
          }
          this.load = load;
          this.late = late;
          this.shift = shift;
          if (j === n) break;
          t += j === i ? this.dist(this.pU, this.stopU[j]) : this.leg[j];
          prevU = this.stopU[j];
          // A stop failing between the new pickup and drop-off fails for every later j too.
          if (!this.visit(j, t, i)) break;
        }
      }
    }
    out.ttCalls = this.ttCalls;
    return out;
  }

  private prepare(
    fleet: FleetSchedule,
    v: number,
    orders: OrderTable,
    order: number,
    tt: TravelTime,
    lateThreshold: number,
  ): void {
    if (this.size !== fleet.maxStops) this.allocate(fleet.maxStops);
    this.fleet = fleet;
    this.orders = orders;
    this.tt = tt;
    this.base = v * fleet.maxStops;
    this.n = fleet.stopCount[v];
    this.startTime = fleet.startTime[v];
    this.onboard = fleet.onboard[v];
    this.capacity = fleet.capacity;
    this.deadline = orders.pickupDeadline[order];
    this.maxRide = orders.maxRideTime[order];
    this.lateThreshold = lateThreshold;
    this.ttCalls = 0;
    this.uCount = 0;
    this.startU = this.nodeIndex(fleet.startNode[v]);
    for (let k = 0; k < this.n; k++) this.stopU[k] = this.nodeIndex(fleet.stopNode[this.base + k]);
    this.pU = this.nodeIndex(orders.pickupNode[order]);
    this.dU = this.nodeIndex(orders.dropoffNode[order]);
    this.memo.fill(Number.NaN, 0, this.uCount * this.uCount);
  }

  private allocate(maxStops: number): void {
    const nodes = maxStops + 3;
    this.size = maxStops;
    this.uNode = new Int32Array(nodes);
    this.memo = new Float64Array(nodes * nodes);
    this.stopU = new Int32Array(maxStops);
    this.pairPos = new Int32Array(maxStops);
    this.baseTime = new Float64Array(maxStops);
    this.loadBefore = new Int32Array(maxStops + 1);
    this.lateBefore = new Int32Array(maxStops + 1);
    this.walkTime = new Float64Array(maxStops);
    this.leg = new Float64Array(maxStops);
    this.isPickup = new Uint8Array(maxStops);
    this.limit = new Float64Array(maxStops);
    this.boardedAt = new Float64Array(maxStops);
  }

  private nodeIndex(node: number): number {
    for (let u = 0; u < this.uCount; u++) if (this.uNode[u] === node) return u;
    this.uNode[this.uCount] = node;
    return this.uCount++;
  }

  /** Memoised oracle on node indices; the same node is 0 without a call. */
  private dist(a: number, b: number): number {
    if (a === b) return 0;
    const k = a * this.uCount + b;
    let d = this.memo[k];
    if (Number.isNaN(d)) {
      d = this.tt(this.uNode[a], this.uNode[b]);
      this.memo[k] = d;
      this.ttCalls++;
    }
    return d;
  }

  /**
   * Copies what the rules need about each current stop into the scratch arrays, walks the list
   * as it is (baseTime, loadBefore, lateBefore) and returns the index of the first stop that
   * breaks a rule (n if none).
   */
  private baseFirstViolation(): number {
    const { stopOrder, stopKind, stopLeg } = this.fleet;
    const { pickupDeadline, maxRideTime, pickupTime } = this.orders;
    const base = this.base;
    let t = this.startTime;
    let firstBad = this.n;
    this.load = this.onboard;
    this.late = 0;
    this.loadBefore[0] = this.load;
    this.lateBefore[0] = 0;
    for (let k = 0; k < this.n; k++) {
      const o = stopOrder[base + k];
      this.leg[k] = stopLeg[base + k];
      if (stopKind[base + k] === PICKUP) {
        this.isPickup[k] = 1;
        this.limit[k] = pickupDeadline[o];
      } else {
        let p = k - 1;
        while (p >= 0 && stopOrder[base + p] !== o) p--;
        this.isPickup[k] = 0;
        this.limit[k] = maxRideTime[o];
        this.pairPos[k] = p;
        this.boardedAt[k] = p < 0 ? pickupTime[o] : Number.NaN;
      }
      t += this.leg[k];
      this.baseTime[k] = t;
      if (!this.visit(k, t, this.n) && firstBad === this.n) firstBad = k;
      this.loadBefore[k + 1] = this.load;
      this.lateBefore[k + 1] = this.late;
    }
    return firstBad;
  }

  /**
   * Completes the walk whose prefix ends at time `t` on node `prevU`: the new drop-off, then
   * stops j..n-1. Returns whether every rule holds; sets dropoffTime and end.
   */
  private finishWithDropoff(i: number, j: number, tPickup: number, t: number, prevU: number) {
    t += this.dist(prevU, this.dU);
    const ride = t - tPickup;
    if (ride > this.maxRide) return false;
    if (ride > this.lateThreshold) this.late++;
    this.load--;
    this.dropoffTime = t;
    for (let k = j; k < this.n; k++) {
      t += k === j ? this.dist(this.dU, this.stopU[k]) : this.leg[k];
      if (!this.visit(k, t, i)) return false;
    }
    this.end = t;
    return true;
  }

  /**
   * Serves current stop k at time `t` in a candidate whose new pickup sits before stop i
   * (i = n: the current list itself): checks its rule, records its time and updates load, late
   * count and drop-off delay.
   */
  private visit(k: number, t: number, i: number): boolean {
    this.walkTime[k] = t;
    if (this.isPickup[k] === 1) {
      this.load++;
      return t <= this.limit[k] && this.load <= this.capacity;
    }
    const p = this.pairPos[k];
    const ride = t - (p < 0 ? this.boardedAt[k] : p < i ? this.baseTime[p] : this.walkTime[p]);
    this.load--;
    if (ride > this.lateThreshold) this.late++;
    this.shift += t - this.baseTime[k];
    return ride <= this.limit[k];
  }
}

const search = new InsertionSearch();

/**
 * Cheapest feasible insertion of `order` (not yet picked up) into vehicle `v`'s stop list; see
 * the module comment for the rules. Writes into and returns `out`; allocates nothing.
 *
 * @example
 * const res = bestInsertion(fleet, v, orders, o, tt);
 * if (res.feasible) applyInsertion(fleet, v, orders, o, res.pickupIndex, res.dropoffIndex, tt);
 */
export function bestInsertion(
  fleet: FleetSchedule,
  v: number,
  orders: OrderTable,
  order: number,
  tt: TravelTime,
  out: InsertionResult = createInsertionResult(),
  lateThreshold = DEFAULT_LATE_THRESHOLD,
): InsertionResult {
  return search.run(fleet, v, orders, order, tt, lateThreshold, out);
}
