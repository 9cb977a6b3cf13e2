/**
 * Turn per-pair scores into a conflict-free assignment: each vehicle gets at most one new order
 * and each order at most one vehicle per epoch.
 * - "matching": maximum-weight bipartite matching with a pass option (pairs scoring ≤ 0 are never
 *   worth taking), exact on the sparse candidate graph.
 * - "sequential": orders in request order each take their best-scoring still-free vehicle
 *   (greedy dispatch); pairs scoring −Infinity are never taken.
 */

import { solveMatching } from "../../matching/sparse.ts";
import type { Candidates } from "./candidates.ts";

export type AssignmentMode = "matching" | "sequential";

/** Chosen pair indices (into the Candidates arrays), in increasing order. */
export function assignPairs(c: Candidates, scores: Float64Array, mode: AssignmentMode): Int32Array {
  if (scores.length !== c.pairCount) {
    throw new Error(`assignPairs: ${scores.length} scores for ${c.pairCount} pairs`);
  }
  const chosen = mode === "matching" ? byMatching(c, scores) : sequentially(c, scores);
  return chosen.sort();
}

function byMatching(c: Candidates, scores: Float64Array): Int32Array {
  const { rowMatch } = solveMatching({
    rows: c.vehicleCount,
    cols: c.orderCount,
    rowPtr: c.rowPtr,
    colIdx: c.pairSlot,
    weight: scores,
  });
  const chosen: number[] = [];
  for (let v = 0; v < c.vehicleCount; v++) {
    const slot = rowMatch[v];
    if (slot < 0) continue;
    for (let p = c.rowPtr[v]; p < c.rowPtr[v + 1]; p++) {
      if (c.pairSlot[p] === slot) {
        chosen.push(p);
        break;
      }
    }
  }
  return Int32Array.from(chosen);
}

function sequentially(c: Candidates, scores: Float64Array): Int32Array {
  // Pairs grouped by slot; slots are already in request order.
  const bySlot = Array.from({ length: c.orderCount }, () => [] as number[]);
  for (let p = 0; p < c.pairCount; p++) bySlot[c.pairSlot[p]].push(p);
  const vehicleTaken = new Uint8Array(c.vehicleCount);
  const chosen: number[] = [];
  for (const pairs of bySlot) {
    let best = -1;
    for (const p of pairs) {
      if (vehicleTaken[c.pairVehicle[p]] || scores[p] === Number.NEGATIVE_INFINITY) continue;
      if (best < 0 || scores[p] > scores[best]) best = p;
    }
    if (best >= 0) {
      vehicleTaken[c.pairVehicle[best]] = 1;
      chosen.push(best);
    }
  }
  return Int32Array.from(chosen);
}
