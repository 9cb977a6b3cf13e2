/**
 * Matching solver benchmark (DESIGN §4 target: <= 10 ms on 1000 x 2000 sparse, ~30 candidates per
 * vehicle, one core). Compares the sparse solver with the dense Hungarian on the same seeded
 * instances in the same run, after a warm-up, and checks that both find the same optimum. Extra
 * scenarios: fewer orders than vehicles (contended), as many orders as vehicles (balanced: the
 * hardest sparse case, where serving everyone needs long augmenting paths), all pairs (dense).
 *
 *   npx tsx bench/matching.ts [--instances 20] [--dense-instances 20] [--seed 1]
 */
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { Rng } from "../src/core/rng.ts";
import { denseWeightsFromSparse, solveDenseMatching } from "../src/matching/dense.ts";
import {
  MatchingWorkspace,
  type SparseMatchingProblem,
  solveMatching,
} from "../src/matching/sparse.ts";

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

/** Wall-clock and CPU time of one call, in ms (CPU time is less disturbed by other processes). */
function timed<T>(f: () => T, wall: number[], cpu: number[]): T {
  const c = process.cpuUsage();
  const t = performance.now();
  const out = f();
  wall.push(performance.now() - t);
  const used = process.cpuUsage(c);
  cpu.push((used.user + used.system) / 1000);
  return out;
}

function row(label: string, wall: number[], cpu: number[]): string {
  const w = [...wall].sort((a, b) => a - b);
  const c = [...cpu].sort((a, b) => a - b);
  const cells = [quantile(w, 0.5), quantile(w, 0.95), quantile(c, 0.5), quantile(c, 0.95)];
  return `  ${label.padEnd(34)}${cells.map((x) => x.toFixed(2).padStart(10)).join("")}`;
}

function median(xs: number[]): number {
  return quantile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );
}

function run(name: string, vehicles: number, orders: number, perRow: number): void {
  const rng = new Rng(seed).split(name);
  const problems = Array.from({ length: instances }, () => instance(rng, vehicles, orders, perRow));
  const dense = problems.slice(0, denseInstances).map(denseWeightsFromSparse);
  const ws = new MatchingWorkspace();
  // Warm-up: let the JIT compile both solvers on this shape.
  for (let w = 0; w < 5; w++) solveMatching(problems[w % instances]);
  solveDenseMatching(vehicles, orders, dense[0]);

  const [freshWall, freshCpu, reuseWall, reuseCpu, denseWall, denseCpu]: number[][] = [
    [],
    [],
    [],
    [],
    [],
    [],
  ];
  let matched = 0;
  let maxGap = 0;
  for (let k = 0; k < instances; k++) {
    const p = problems[k];
    const m = timed(() => solveMatching(p), freshWall, freshCpu);
    timed(() => solveMatching(p, ws), reuseWall, reuseCpu);
    matched += m.rowMatch.filter((c) => c >= 0).length;
    if (k < denseInstances) {
      const d = timed(() => solveDenseMatching(vehicles, orders, dense[k]), denseWall, denseCpu);
      maxGap = Math.max(maxGap, Math.abs(d.total - m.total) / Math.max(1, Math.abs(d.total)));
    }
  }
  const edges = problems[0].rowPtr[vehicles];
  console.log(
    `\n${name}: ${vehicles} vehicles x ${orders} orders, ${perRow >= orders ? "all" : perRow} ` +
      `candidates per vehicle (${edges} edges), score = 60 - ETA min + N(0, ${NOISE}²)`,
  );
  console.log(`  ${instances} instances (dense Hungarian on ${denseInstances}), seed ${seed}`);
  console.log(`  mean vehicles matched: ${(matched / instances).toFixed(1)}`);
  const head = ["wall p50", "wall p95", "cpu p50", "cpu p95"].map((h) => h.padStart(10)).join("");
  console.log(`  ${"solver (ms)".padEnd(34)}${head}`);
  console.log(row("sparse (fresh scratch)", freshWall, freshCpu));
  console.log(row("sparse (reused MatchingWorkspace)", reuseWall, reuseCpu));
  console.log(row("dense Hungarian O(n²m)", denseWall, denseCpu));
  console.log(
    `  dense / sparse median: ${(median(denseWall) / median(freshWall)).toFixed(1)}x wall, ` +
      `${(median(denseCpu) / median(freshCpu)).toFixed(1)}x cpu; ` +
      `max relative gap between optima: ${maxGap.toExponential(1)}`,
  );
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");
console.log(`node ${process.version}, one thread, ${cpus().length} cores, load average ${load()}`);
run("sparse-1000x2000", 1000, 2000, 30);
run("sparse-1000x500-contended", 1000, 500, 30);
run("sparse-1000x1000-balanced", 1000, 1000, 30);
run("dense-1000x1000", 1000, 1000, 1000);
console.log(`\nload average at the end: ${load()}`);
