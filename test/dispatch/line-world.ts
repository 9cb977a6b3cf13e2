/**
 * A hand-made world for simulator tests: a straight road of 11 nodes, 60 s and 500 m per edge in
 * both directions, so every time and distance is known by hand. Vehicles start at `vehicleNode`.
 */
import type { PathOracle } from "../../src/envs/dispatch/fleet-moves.ts";
import type { DispatchWorld, EpisodeDemand } from "../../src/envs/dispatch/simulator.ts";

export const LINE_NODES = 11;

export const lineOracle: PathOracle = {
  time: (a, b) => Math.abs(a - b) * 60,
  timesTo: (b) => Float32Array.from({ length: LINE_NODES }, (_, a) => Math.abs(a - b) * 60),
  distance: (a, b) => Math.abs(a - b) * 500,
  path: (a, b) =>
    Int32Array.from({ length: Math.abs(a - b) + 1 }, (_, i) => a + Math.sign(b - a) * i),
};

/**
 * Every start-position pool holds only `vehicleNode`, so the fleet starts there whatever
 * `initialPositions` is (except "uniform"); zones: nodes 0–4 and 5–10.
 */
export function lineWorld(demand: EpisodeDemand, vehicleNode = 0): DispatchWorld {
  return {
    nodeCount: LINE_NODES,
    oracleAt: () => lineOracle,
    demand: () => demand,
    pickupNodesOfDay: Int32Array.of(vehicleNode),
    zoneNodes: [Int32Array.of(0, 1, 2, 3, 4), Int32Array.of(5, 6, 7, 8, 9, 10)],
    dropoffNodesBefore: () => Int32Array.of(vehicleNode),
  };
}
