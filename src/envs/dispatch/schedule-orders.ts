/**
 * Order attributes the insertion search reads, in struct-of-arrays layout indexed by order id.
 *
 * All times are absolute seconds on the simulator clock. An order's limits are fixed when it is
 * created: `pickupDeadline = requestTime + maxWait` and
 * `maxRideTime = directTime · (1 + maxDetourFactor) + maxDetour` (so the default, 0 and 600 s,
 * reads "at most 10 minutes longer than the direct trip"; a factor of 0.5 with maxDetour 0 reads
 * "at most 50 % longer").
 */
export interface OrderTable {
  readonly requestTime: Float64Array;
  /** Latest pickup time: requestTime + maxWait. */
  readonly pickupDeadline: Float64Array;
  /** Longest allowed in-vehicle time (drop-off time − pickup time). */
  readonly maxRideTime: Float64Array;
  /** Actual pickup time; NaN until the vehicle has picked the order up. */
  readonly pickupTime: Float64Array;
  /** Shortest travel time from pickup node to drop-off node. */
  readonly directTime: Float64Array;
  readonly pickupNode: Int32Array;
  readonly dropoffNode: Int32Array;
}

/** How long an order may wait for pickup and how much longer than direct its ride may be. */
export interface OrderLimits {
  /** Seconds from request to the latest pickup (default 300). */
  maxWait: number;
  /** Seconds of extra ride time allowed on top of the direct time (default 600). */
  maxDetour: number;
  /** Extra ride time allowed as a fraction of the direct time (default 0). */
  maxDetourFactor: number;
}

export const DEFAULT_ORDER_LIMITS: Readonly<OrderLimits> = {
  maxWait: 300,
  maxDetour: 600,
  maxDetourFactor: 0,
};

/**
 * An order table with room for `size` orders; pickup times start as NaN (not picked up).
 *
 * @example
 * const orders = createOrderTable(1000);
 * setOrder(orders, 0, 12, 40, 3600, 420); // node 12 -> node 40, requested at 01:00, 7 min direct
 */
export function createOrderTable(size: number): OrderTable {
  if (!Number.isInteger(size) || size < 0)
    throw new RangeError(`order table size must be a non-negative integer, got ${size}`);
  return {
    requestTime: new Float64Array(size),
    pickupDeadline: new Float64Array(size),
    maxRideTime: new Float64Array(size),
    pickupTime: new Float64Array(size).fill(Number.NaN),
    directTime: new Float64Array(size),
    pickupNode: new Int32Array(size),
    dropoffNode: new Int32Array(size),
  };
}

/** Writes order `id` and derives its pickup deadline and longest ride from `limits`. */
export function setOrder(
  orders: OrderTable,
  id: number,
  pickupNode: number,
  dropoffNode: number,
  requestTime: number,
  directTime: number,
  limits: Readonly<OrderLimits> = DEFAULT_ORDER_LIMITS,
): void {
  orders.pickupNode[id] = pickupNode;
  orders.dropoffNode[id] = dropoffNode;
  orders.requestTime[id] = requestTime;
  orders.directTime[id] = directTime;
  orders.pickupDeadline[id] = requestTime + limits.maxWait;
  orders.maxRideTime[id] = directTime * (1 + limits.maxDetourFactor) + limits.maxDetour;
  orders.pickupTime[id] = Number.NaN;
}
