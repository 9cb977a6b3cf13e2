/**
 * Matching solver benchmark (DESIGN §4 target: <= 10 ms on 1000 x 2000 sparse, ~30 candidates per
 * vehicle, one core). Compares the sparse solver with the dense Hungarian on the same seeded
 * instances in the same run, after a warm-up, and checks that both find the same optimum.
 *
 *   npx tsx bench/matching.ts [--instances 20] [--dense-instances 20] [--seed 1]
 */
import { parseArgs } from "node:util";
import { Rng } from "../src/core/rng.ts";
import {
  MatchingWorkspace,
  type SparseMatchingProblem,
  solveMatching,
} from "../src/envs/dispatch/matching.ts";
import { denseWeightsFromSparse, solveDenseMatching } from "../src/envs/dispatch/matching-dense.ts";

const { values } = parseArgs({
  options: {
    instances: { type: "string", default: "20" },
    "dense-instances": { type: "string", default: "20" },
    seed: { type: "string", default: "1" },
  },
});
const instances = Number(values.instances);
const denseInstances = Math.min(instances, Number(values["dense-instances"]));
const seed = Number(values.seed);

// A Manhattan-like strip, 3 km x 20 km; half the points around 6 hotspots, half uniform.
const WIDTH_KM = 3;
const LENGTH_KM = 20;
const MIN_PER_KM = 3; // ~20 km/h door to door
const NOISE = 2;

function randomPoints(rng: Rng, n: number, hotspots: Float64Array): Float64Array {
  const xy = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    if (rng.uniform() < 0.5) {
      const h = rng.int(hotspots.length / 2);
      xy[2 * i] = clamp(hotspots[2 * h] + 0.4 * rng.normal(), 0, WIDTH_KM);
      xy[2 * i + 1] = clamp(hotspots[2 * h + 1] + 1.0 * rng.normal(), 0, LENGTH_KM);
    } else {
      xy[2 * i] = rng.uniform() * WIDTH_KM;
      xy[2 * i + 1] = rng.uniform() * LENGTH_KM;
    }
  }
  return xy;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, x));
}

/**
 * Vehicles x orders with each vehicle's `perRow` nearest orders as candidates (all orders when
 * perRow >= orders); score = 60 - pickup ETA in minutes (Manhattan distance) + N(0, 2²) noise.
 */
function instance(
  rng: Rng,
  vehicles: number,
  orders: number,
  perRow: number,
): SparseMatchingProblem {
  const hotspots = new Float64Array(12);
  for (let h = 0; h < 6; h++) {
    hotspots[2 * h] = rng.uniform() * WIDTH_KM;
    hotspots[2 * h + 1] = rng.uniform() * LENGTH_KM;
  }
  const v = randomPoints(rng, vehicles, hotspots);
  const o = randomPoints(rng, orders, hotspots);
  const k = Math.min(perRow, orders);
  const rowPtr = new Int32Array(vehicles + 1);
  const colIdx = new Int32Array(vehicles * k);
  const weight = new Float64Array(vehicles * k);
  const eta = new Float64Array(orders);
  const order = Array.from({ length: orders }, (_, j) => j);
  for (let i = 0; i < vehicles; i++) {
    for (let j = 0; j < orders; j++) {
      const km = Math.abs(v[2 * i] - o[2 * j]) + Math.abs(v[2 * i + 1] - o[2 * j + 1]);
      eta[j] = km * MIN_PER_KM;
    }
    if (k < orders) order.sort((a, b) => eta[a] - eta[b]);
    for (let t = 0; t < k; t++) {
      const j = order[t];
      colIdx[i * k + t] = j;
      weight[i * k + t] = 60 - eta[j] + NOISE * rng.normal();
    }
    rowPtr[i + 1] = (i + 1) * k;
  }
  return { rows: vehicles, cols: orders, rowPtr, colIdx, weight };
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

function summary(ms: number[]): { median: number; p95: number } {
  const s = [...ms].sort((a, b) => a - b);
  return { median: quantile(s, 0.5), p95: quantile(s, 0.95) };
}

function run(name: string, vehicles: number, orders: number, perRow: number): void {
  const rng = new Rng(seed).split(name);
  const problems = Array.from({ length: instances }, () => instance(rng, vehicles, orders, perRow));
  const dense = problems.slice(0, denseInstances).map(denseWeightsFromSparse);
  const ws = new MatchingWorkspace();
  // Warm-up: let the JIT compile both solvers on this shape.
  for (let w = 0; w < 5; w++) solveMatching(problems[w % instances]);
  solveDenseMatching(vehicles, orders, dense[0]);

  const sparseMs: number[] = [];
  const reuseMs: number[] = [];
  const denseMs: number[] = [];
  let matched = 0;
  let maxGap = 0;
  for (let k = 0; k < instances; k++) {
    const p = problems[k];
    let t = performance.now();
    const m = solveMatching(p);
    sparseMs.push(performance.now() - t);
    t = performance.now();
    solveMatching(p, ws);
    reuseMs.push(performance.now() - t);
    matched += m.rowMatch.filter((c) => c >= 0).length;
    if (k < denseInstances) {
      t = performance.now();
      const d = solveDenseMatching(vehicles, orders, dense[k]);
      denseMs.push(performance.now() - t);
      maxGap = Math.max(maxGap, Math.abs(d.total - m.total) / Math.abs(d.total));
    }
  }
  const s = summary(sparseMs);
  const r = summary(reuseMs);
  const d = summary(denseMs);
  const edges = problems[0].rowPtr[vehicles];
  console.log(
    `\n${name}: ${vehicles} vehicles x ${orders} orders, ${perRow >= orders ? "all" : perRow} ` +
      `candidates per vehicle (${edges} edges), score = 60 - ETA min + N(0, ${NOISE}²)`,
  );
  console.log(`  ${instances} instances (dense Hungarian on ${denseInstances}), seed ${seed}`);
  console.log(`  mean vehicles matched: ${(matched / instances).toFixed(1)}`);
  const fmt = (x: number) => x.toFixed(2).padStart(9);
  console.log(`  ${"solver".padEnd(34)}${"median ms".padStart(10)}${"p95 ms".padStart(10)}`);
  console.log(`  ${"sparse (fresh scratch)".padEnd(34)} ${fmt(s.median)} ${fmt(s.p95)}`);
  console.log(`  ${"sparse (reused MatchingWorkspace)".padEnd(34)} ${fmt(r.median)} ${fmt(r.p95)}`);
  console.log(`  ${"dense Hungarian O(n²m)".padEnd(34)} ${fmt(d.median)} ${fmt(d.p95)}`);
  console.log(
    `  dense / sparse median: ${(d.median / s.median).toFixed(1)}x; ` +
      `max relative gap between optima: ${maxGap.toExponential(1)}`,
  );
}

console.log(`node ${process.version}, one thread`);
run("sparse-1000x2000", 1000, 2000, 30);
run("dense-1000x1000", 1000, 1000, 1000);
