/**
 * The orders of one episode, struct-of-arrays, sorted by request time. Times are seconds of the
 * day (since local midnight of the demand date).
 */
import type { OrderTable as InsertionOrders } from "./schedule-orders.ts";

export const OrderStatus = {
  /** Not yet requested at the current simulation time. */
  Future: 0,
  /** Requested, waiting to be assigned. */
  Pending: 1,
  /** Assigned to a vehicle, not yet picked up. */
  Assigned: 2,
  /** On board. */
  OnBoard: 3,
  /** Dropped off. */
  Delivered: 4,
  /** Never assigned before its pickup deadline (or before the episode ended). */
  Lost: 5,
} as const;

/**
 * The episode's orders: what the insertion search reads (schedule-orders.ts) plus the
 * simulator's bookkeeping.
 */
export interface OrderTable extends InsertionOrders {
  count: number;
  /** Distance of the direct (fastest) path pickup → drop-off, metres. */
  directDistance: Float64Array;
  status: Uint8Array;
  vehicle: Int32Array;
  assignTime: Float64Array;
  dropoffTime: Float64Array;
}

export function allocateOrders(count: number): OrderTable {
  const nan = () => new Float64Array(count).fill(Number.NaN);
  return {
    count,
    requestTime: new Float64Array(count),
    pickupNode: new Int32Array(count),
    dropoffNode: new Int32Array(count),
    directTime: new Float64Array(count),
    directDistance: new Float64Array(count),
    pickupDeadline: new Float64Array(count),
    maxRideTime: new Float64Array(count),
    status: new Uint8Array(count),
    vehicle: new Int32Array(count).fill(-1),
    assignTime: nan(),
    pickupTime: nan(),
    dropoffTime: nan(),
  };
}
