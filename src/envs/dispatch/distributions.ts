/**
 * Per-order distributions of an episode, for reports: histograms of pickup time (assignment →
 * pickup) and detour (in-vehicle − direct), and served / lost orders per pickup zone.
 */
import { OrderStatus, type OrderTable } from "./orders.ts";

export interface Histogram {
  /** Width of a bin in seconds; bin i covers [i·w, (i+1)·w), the last bin is open-ended. */
  binWidth: number;
  counts: number[];
}

export interface OrderDistributions {
  pickupS: Histogram;
  detourS: Histogram;
  /** Zone id → served orders whose pickup lies in the zone (−1: no zone). */
  servedByZone: Record<number, number>;
  lostByZone: Record<number, number>;
}

const BIN_S = 30;
const BINS = 31; // 0 … 15 min, plus one open-ended bin

export function emptyDistributions(): OrderDistributions {
  const h = (): Histogram => ({ binWidth: BIN_S, counts: new Array(BINS).fill(0) });
  return { pickupS: h(), detourS: h(), servedByZone: {}, lostByZone: {} };
}

/** Add one finished episode's orders to `into` (zone of an order = zone of its pickup node). */
export function addOrderDistributions(
  into: OrderDistributions,
  orders: OrderTable,
  nodeZone: ArrayLike<number>,
): OrderDistributions {
  const bin = (h: Histogram, s: number) => {
    h.counts[Math.min(BINS - 1, Math.max(0, Math.floor(s / h.binWidth)))]++;
  };
  for (let o = 0; o < orders.count; o++) {
    const status = orders.status[o];
    if (status === OrderStatus.Future) continue;
    const zone = nodeZone[orders.pickupNode[o]];
    if (status === OrderStatus.Lost) {
      into.lostByZone[zone] = (into.lostByZone[zone] ?? 0) + 1;
      continue;
    }
    into.servedByZone[zone] = (into.servedByZone[zone] ?? 0) + 1;
    if (status !== OrderStatus.Delivered) continue;
    bin(into.pickupS, orders.pickupTime[o] - orders.assignTime[o]);
    bin(into.detourS, orders.dropoffTime[o] - orders.pickupTime[o] - orders.directTime[o]);
  }
  return into;
}

/** Add `from` into `into` (histograms bin by bin, zone counts by zone). */
export function mergeDistributions(
  into: OrderDistributions,
  from: OrderDistributions,
): OrderDistributions {
  from.pickupS.counts.forEach((n, i) => {
    into.pickupS.counts[i] += n;
  });
  from.detourS.counts.forEach((n, i) => {
    into.detourS.counts[i] += n;
  });
  for (const [z, n] of Object.entries(from.servedByZone))
    into.servedByZone[+z] = (into.servedByZone[+z] ?? 0) + n;
  for (const [z, n] of Object.entries(from.lostByZone))
    into.lostByZone[+z] = (into.lostByZone[+z] ?? 0) + n;
  return into;
}
