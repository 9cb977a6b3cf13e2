/**
 * The dispatch environment's post-decision state (PDPPO's s^x): each vehicle right after the
 * epoch's assignment was inserted into its schedule and before the fleet moves or new orders
 * arrive. It is the vehicle's feature row recomputed on the new schedule (stops, onboard-to-be,
 * time until free, planned ride times, income including this epoch's reward) plus where that
 * schedule leaves it: the node of its last stop, i.e. where it becomes free again — the part of
 * a long trip's cost that the state before the decision cannot show.
 */
import {
  type NodeGeometry,
  VEHICLE_DIM,
  VEHICLE_FEATURE_NAMES,
  vehicleFeatures,
} from "./features.ts";
import type { DispatchSimulator } from "./simulator.ts";

/** Columns of a vehicle's post-decision row: its vehicle features, then its free-at position. */
export const POST_DECISION_FEATURE_NAMES = [...VEHICLE_FEATURE_NAMES, "freeX", "freeY"] as const;
export const POST_DECISION_DIM = POST_DECISION_FEATURE_NAMES.length;

/**
 * Post-decision rows of every vehicle, shape (vehicles × POST_DECISION_DIM), row-major. Call
 * after `sim.assign` and before `sim.advance`. `candidateCount` is 0 (nothing is on offer between
 * the assignment and the next epoch); freeX/Y is the start node's position for a vehicle with no
 * stops.
 */
export function postDecisionFeatures(sim: DispatchSimulator, geometry: NodeGeometry): Float32Array {
  const { fleet } = sim;
  const n = fleet.vehicles;
  const vehicle = vehicleFeatures(sim, null, geometry);
  const out = new Float32Array(n * POST_DECISION_DIM);
  for (let v = 0; v < n; v++) {
    const row = v * POST_DECISION_DIM;
    out.set(vehicle.subarray(v * VEHICLE_DIM, (v + 1) * VEHICLE_DIM), row);
    const stops = fleet.stopCount[v];
    const node = stops > 0 ? fleet.stopNode[v * fleet.maxStops + stops - 1] : fleet.startNode[v];
    out[row + VEHICLE_DIM] = geometry.x[node];
    out[row + VEHICLE_DIM + 1] = geometry.y[node];
  }
  return out;
}
