/**
 * Episode metrics (DESIGN §2), computed from the final simulator state. Times in seconds,
 * distances in km. An order is "served" once assigned: assignments are never dropped, and the
 * simulator drives on after the last epoch until every assigned order is delivered.
 */
import { gini, mean, std } from "../../core/stats.ts";
import { OrderStatus } from "./orders.ts";
import type { DispatchSimulator } from "./simulator.ts";

export interface EpisodeMetrics {
  requested: number;
  served: number;
  lost: number;
  /** Of the lost: still pending (not yet expired) when the last epoch ended. */
  pendingAtEnd: number;
  serviceRate: number;
  /** Request → assignment. */
  meanConfirmationS: number;
  /** Assignment → pickup (the vehicle's drive to the rider). */
  meanPickupS: number;
  /** Request → pickup (the rider's whole wait). */
  meanWaitS: number;
  /** Pickup → drop-off. */
  meanInVehicleS: number;
  /** In-vehicle time minus the direct trip time. */
  meanDetourS: number;
  /** Mean passengers on board per vehicle over the demand window. */
  occupancy: number;
  distanceKm: number;
  emptyDistanceKm: number;
  /** Per-vehicle income = cumulative one-step reward. */
  meanIncome: number;
  incomeStd: number;
  incomeGini: number;
  episodeReward: number;
  discountedReward: number;
}

export function episodeMetrics(sim: DispatchSimulator): EpisodeMetrics {
  const { orders, totals, income } = sim;
  const confirm: number[] = [];
  const pickup: number[] = [];
  const wait: number[] = [];
  const ride: number[] = [];
  const detour: number[] = [];
  let requested = 0;
  let lost = 0;
  for (let o = 0; o < orders.count; o++) {
    const status = orders.status[o];
    if (status === OrderStatus.Future) continue;
    requested++;
    if (status === OrderStatus.Lost) {
      lost++;
      continue;
    }
    confirm.push(orders.assignTime[o] - orders.requestTime[o]);
    if (status === OrderStatus.Assigned) continue;
    pickup.push(orders.pickupTime[o] - orders.assignTime[o]);
    wait.push(orders.pickupTime[o] - orders.requestTime[o]);
    if (status !== OrderStatus.Delivered) continue;
    const inVehicle = orders.dropoffTime[o] - orders.pickupTime[o];
    ride.push(inVehicle);
    detour.push(inVehicle - orders.directTime[o]);
  }
  const served = requested - lost;
  const windowS = sim.endTime - sim.startTime;
  let passengerSeconds = 0;
  let distance = 0;
  let empty = 0;
  for (let v = 0; v < income.length; v++) {
    passengerSeconds += totals.passengerSeconds[v];
    distance += totals.distance[v];
    empty += totals.emptyDistance[v];
  }
  return {
    requested,
    served,
    lost,
    pendingAtEnd: sim.pendingAtEnd,
    serviceRate: requested > 0 ? served / requested : 0,
    meanConfirmationS: mean(confirm),
    meanPickupS: mean(pickup),
    meanWaitS: mean(wait),
    meanInVehicleS: mean(ride),
    meanDetourS: mean(detour),
    occupancy: passengerSeconds / (income.length * windowS),
    distanceKm: distance / 1000,
    emptyDistanceKm: empty / 1000,
    meanIncome: mean(income),
    incomeStd: std(income),
    incomeGini: gini(income),
    episodeReward: sim.reward,
    discountedReward: sim.discountedReward,
  };
}
