/**
 * An episode's event log (events.json, written by `fleetrl simulate`) turned into what a replay
 * draws at any time t: where each vehicle is, how many riders it carries, which orders wait on
 * the street, and the live counters. Pure functions over typed arrays, no DOM.
 *
 * Where a vehicle is: the log says it is at `snapshot.node[v]` at time `snapshot.at[v]` (its
 * next node on its route, reached at or after the snapshot), and at an order's pickup node when
 * it picks it up and at its drop-off node when it drops it off. Between two such waypoints the
 * replay moves it in a straight line; before the first and after the last it stands still.
 */

import type { EventsFile } from "../../src/envs/dispatch/event-log.ts";

export type { EventsFile };

export interface Counters {
  requested: number;
  /** Assigned to a vehicle (the simulator's "served"). */
  served: number;
  /** Requested, not yet assigned and not lost. */
  waiting: number;
  lost: number;
  /** Picked up, not yet dropped off. */
  riding: number;
  delivered: number;
  /** Mean of pickup − assignment over the orders picked up so far, s (NaN before the first). */
  meanPickupS: number;
}

/** An order's state at a time. */
export const OrderState = {
  Future: 0,
  Waiting: 1,
  Assigned: 2,
  Riding: 3,
  Delivered: 4,
  Lost: 5,
} as const;

export class Episode {
  readonly start: number;
  readonly end: number;
  readonly vehicleCount: number;
  readonly orderCount: number;
  readonly pickupNode: Int32Array;
  readonly dropoffNode: Int32Array;
  /** Per order, the time of each step (NaN: never happens). */
  readonly requestTime: Float64Array;
  readonly assignTime: Float64Array;
  readonly pickupTime: Float64Array;
  readonly dropoffTime: Float64Array;
  readonly lostTime: Float64Array;
  /** Vehicle that was assigned the order (−1 if none). */
  readonly orderVehicle: Int32Array;
  /** Waypoints of vehicle v: indices wpStart[v] .. wpStart[v+1] of wpTime / wpNode, by time. */
  readonly wpStart: Int32Array;
  readonly wpTime: Float64Array;
  readonly wpNode: Int32Array;

  constructor(file: EventsFile) {
    const { orders, events, snapshots } = file;
    const n = orders.requestTime.length;
    this.orderCount = n;
    this.pickupNode = Int32Array.from(orders.pickupNode);
    this.dropoffNode = Int32Array.from(orders.dropoffNode);
    this.requestTime = Float64Array.from(orders.requestTime);
    this.assignTime = new Float64Array(n).fill(Number.NaN);
    this.pickupTime = new Float64Array(n).fill(Number.NaN);
    this.dropoffTime = new Float64Array(n).fill(Number.NaN);
    this.lostTime = new Float64Array(n).fill(Number.NaN);
    this.orderVehicle = new Int32Array(n).fill(-1);
    const code = (name: string) => file.eventTypes.indexOf(name);
    const [ASSIGN, PICKUP, DROPOFF, LOST] = ["assign", "pickup", "dropoff", "lost"].map(code);
    const V = snapshots.length > 0 ? snapshots[0].node.length : 1 + Math.max(-1, ...events.vehicle);
    this.vehicleCount = V;

    // Waypoints: (vehicle, time, node) from snapshots and from pickups / drop-offs.
    const wpVehicle: number[] = [];
    const wpTime: number[] = [];
    const wpNode: number[] = [];
    for (const s of snapshots) {
      for (let v = 0; v < V; v++) {
        wpVehicle.push(v);
        wpTime.push(s.at[v]);
        wpNode.push(s.node[v]);
      }
    }
    let end = snapshots.length > 0 ? snapshots[snapshots.length - 1].time : file.startTime;
    for (let i = 0; i < events.time.length; i++) {
      const t = events.time[i];
      const o = events.order[i];
      const type = events.type[i];
      const v = events.vehicle[i];
      end = Math.max(end, t);
      if (type === ASSIGN) {
        this.assignTime[o] = t;
        this.orderVehicle[o] = v;
      } else if (type === PICKUP) {
        this.pickupTime[o] = t;
        wpVehicle.push(v);
        wpTime.push(t);
        wpNode.push(this.pickupNode[o]);
      } else if (type === DROPOFF) {
        this.dropoffTime[o] = t;
        wpVehicle.push(v);
        wpTime.push(t);
        wpNode.push(this.dropoffNode[o]);
      } else if (type === LOST) {
        this.lostTime[o] = t;
      }
    }
    this.start = file.startTime;
    this.end = end;
    const order = wpTime.map((_, i) => i);
    order.sort((a, b) => wpVehicle[a] - wpVehicle[b] || wpTime[a] - wpTime[b]);
    this.wpTime = Float64Array.from(order, (i) => wpTime[i]);
    this.wpNode = Int32Array.from(order, (i) => wpNode[i]);
    this.wpStart = new Int32Array(V + 1);
    for (const v of wpVehicle) this.wpStart[v + 1]++;
    for (let v = 0; v < V; v++) this.wpStart[v + 1] += this.wpStart[v];
  }

  /**
   * Where vehicle v is at time t: between waypoint nodes `a` and `b`, fraction `f` of the way
   * (a = b when it stands at a node). Writes into `out` to keep the animation allocation-free.
   */
  vehicleAt(v: number, t: number, out: { a: number; b: number; f: number }): void {
    const lo = this.wpStart[v];
    const hi = this.wpStart[v + 1];
    if (hi === lo) {
      out.a = out.b = -1;
      out.f = 0;
      return;
    }
    // first waypoint with time > t
    let l = lo;
    let h = hi;
    while (l < h) {
      const m = (l + h) >> 1;
      if (this.wpTime[m] <= t) l = m + 1;
      else h = m;
    }
    if (l === lo || l === hi) {
      out.a = out.b = this.wpNode[l === lo ? lo : hi - 1];
      out.f = 0;
      return;
    }
    const t0 = this.wpTime[l - 1];
    const t1 = this.wpTime[l];
    out.a = this.wpNode[l - 1];
    out.b = this.wpNode[l];
    out.f = t1 > t0 ? (t - t0) / (t1 - t0) : 1;
  }

  /** The state of order o at time t. */
  orderState(o: number, t: number): number {
    if (!(this.requestTime[o] <= t)) return OrderState.Future;
    if (this.lostTime[o] <= t) return OrderState.Lost;
    if (this.dropoffTime[o] <= t) return OrderState.Delivered;
    if (this.pickupTime[o] <= t) return OrderState.Riding;
    if (this.assignTime[o] <= t) return OrderState.Assigned;
    return OrderState.Waiting;
  }

  /**
   * Counters at time t; `onboard` (length vehicleCount), when given, receives each vehicle's
   * riders at t.
   *
   * @example
   * const ep = new Episode(eventsJson);
   * ep.countersAt(ep.end).served; // = metrics.json's served
   */
  countersAt(t: number, onboard?: Int32Array): Counters {
    const c: Counters = {
      requested: 0,
      served: 0,
      waiting: 0,
      lost: 0,
      riding: 0,
      delivered: 0,
      meanPickupS: Number.NaN,
    };
    onboard?.fill(0);
    let pickupSum = 0;
    let pickups = 0;
    for (let o = 0; o < this.orderCount; o++) {
      const state = this.orderState(o, t);
      if (state === OrderState.Future) continue;
      c.requested++;
      if (this.assignTime[o] <= t) c.served++;
      if (this.pickupTime[o] <= t) {
        pickupSum += this.pickupTime[o] - this.assignTime[o];
        pickups++;
      }
      if (state === OrderState.Waiting) c.waiting++;
      else if (state === OrderState.Lost) c.lost++;
      else if (state === OrderState.Delivered) c.delivered++;
      else if (state === OrderState.Riding) {
        c.riding++;
        if (onboard) onboard[this.orderVehicle[o]]++;
      }
    }
    if (pickups > 0) c.meanPickupS = pickupSum / pickups;
    return c;
  }
}
