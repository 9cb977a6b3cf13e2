/**
 * The candidate (vehicle, pending order) pairs of one decision epoch, in CSR layout by vehicle:
 * the pairs of vehicle v are `rowPtr[v] .. rowPtr[v+1]-1`. Every pair is feasible for insertion
 * and carries what dispatchers and the policy score it by.
 */
export interface Candidates {
  /** Decision time, seconds of the day. */
  time: number;
  vehicleCount: number;
  /** Pending orders this epoch ("slots"), in request order. */
  orderCount: number;
  /** Slot → order id. */
  orderIds: Int32Array;
  pairCount: number;
  /** Length vehicleCount + 1. */
  rowPtr: Int32Array;
  /** Per pair: the vehicle (row) — redundant with rowPtr but handy for pair-major loops. */
  pairVehicle: Int32Array;
  /** Per pair: the pending-order slot. */
  pairSlot: Int32Array;
  /** Per pair: time from now until the vehicle reaches the pickup, seconds. */
  eta: Float64Array;
  /** Per pair: increase of the vehicle's schedule duration, seconds. */
  addedRouteTime: Float64Array;
  /** Per pair: increase of the summed trip times of orders already on the schedule, seconds. */
  addedTime: Float64Array;
  /** Per pair: scheduled orders whose trip time would exceed the late threshold. */
  lateOrders: Int32Array;
  /** Per pair: the one-step reward the vehicle receives if matched (OSPO formula). */
  reward: Float64Array;
  /** Per pair: the added time the reward prices (`pricedAddedTime`), seconds. */
  pricedAddedTime: Float64Array;
  /** Per pair: insertion positions of pickup and drop-off in the vehicle's stop list. */
  pickupPos: Int32Array;
  dropoffPos: Int32Array;
}

/** Build the CSR-by-vehicle layout from pairs collected in any order (counting sort, stable). */
export function sortPairsByVehicle(
  vehicleCount: number,
  vehicle: Int32Array,
  count: number,
): { rowPtr: Int32Array; order: Int32Array } {
  const rowPtr = new Int32Array(vehicleCount + 1);
  for (let p = 0; p < count; p++) rowPtr[vehicle[p] + 1]++;
  for (let v = 0; v < vehicleCount; v++) rowPtr[v + 1] += rowPtr[v];
  const next = rowPtr.slice(0, vehicleCount);
  const order = new Int32Array(count);
  for (let p = 0; p < count; p++) order[next[vehicle[p]]++] = p;
  return { rowPtr, order };
}
