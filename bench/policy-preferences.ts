/**
 * What a trained dispatch policy prefers: over the candidate pairs of a greedy episode, the
 * within-vehicle Spearman correlation of the policy's logits with the pair's pickup ETA, the
 * order's trip distance and the pair's one-step reward (a vehicle's softmax only compares its own
 * candidates, so only within-vehicle order matters), averaged over vehicles with ≥ 5 candidates.
 * A policy that learned "short pickups first" has a strongly negative ETA correlation, and its
 * favourite candidate is mostly the vehicle's nearest order.
 *
 *   npx tsx bench/policy-preferences.ts --checkpoint runs/x/best.safetensors [--scenario ospo-paper] [--seed 1]
 */
import { parseArgs } from "node:util";
import { assignPairs } from "../src/envs/dispatch/assign.ts";
import { DispatchConfigSchema } from "../src/envs/dispatch/config.ts";
import { geometryFromCity, PAIR_DIM } from "../src/envs/dispatch/features.ts";
import { DispatchSimulator } from "../src/envs/dispatch/simulator.ts";
import { loadWorld } from "../src/envs/dispatch/world.ts";
import { policyDispatcher } from "../src/experiments/policy-dispatcher.ts";
import { scenarioByName } from "../src/experiments/scenarios.ts";
import { initBackend } from "../src/nn/index.ts";
import { loadPolicy } from "../src/training/checkpoint.ts";

const { values } = parseArgs({
  options: {
    checkpoint: { type: "string" },
    scenario: { type: "string", default: "ospo-paper" },
    seed: { type: "string", default: "1" },
  },
});
if (!values.checkpoint) throw new Error("--checkpoint <policy file> is required");
await initBackend();
const config = DispatchConfigSchema.parse(scenarioByName(values.scenario).env);
const world = await loadWorld(config);
const policy = loadPolicy(values.checkpoint, PAIR_DIM);
const geometry = geometryFromCity(world.city);
const dispatcher = policyDispatcher(policy, geometry, "probability");
const sim = new DispatchSimulator(world, config);
sim.reset(Number(values.seed));

const sums = { eta: 0, distance: 0, reward: 0, n: 0, topRank: 0, topNearest: 0 };
while (!sim.done) {
  sim.advance();
  const c = sim.candidates();
  const scores = dispatcher.scores(c, sim.rng, sim);
  for (let v = 0; v < c.vehicleCount; v++) {
    const from = c.rowPtr[v];
    const to = c.rowPtr[v + 1];
    if (to - from < 5) continue;
    const logit = Array.from(scores.subarray(from, to));
    const eta = Array.from(c.eta.subarray(from, to));
    const dist = Array.from({ length: to - from }, (_, i) => {
      const o = c.orderIds[c.pairSlot[from + i]];
      return sim.orders.directDistance[o];
    });
    const reward = Array.from(c.reward.subarray(from, to));
    sums.eta += spearman(logit, eta);
    sums.distance += spearman(logit, dist);
    sums.reward += spearman(logit, reward);
    // The ETA rank (1 = nearest) of the candidate the policy likes most.
    const top = logit.indexOf(Math.max(...logit));
    const rank = 1 + eta.filter((e) => e < eta[top]).length;
    sums.topRank += rank;
    if (rank === 1) sums.topNearest++;
    sums.n++;
  }
  sim.assign(c, assignPairs(c, scores, "matching"));
}
const f = (x: number) => (x / sums.n).toFixed(3);
console.log(
  `${values.checkpoint} on ${values.scenario}, seed ${values.seed}: ${sums.n} vehicle-decisions with ≥ 5 candidates`,
);
console.log(
  `within-vehicle Spearman ρ of the policy's logit with pickup ETA ${f(sums.eta)}, trip distance ${f(sums.distance)}, one-step reward ${f(sums.reward)}`,
);
console.log(
  `the policy's favourite candidate is the vehicle's nearest order in ${((100 * sums.topNearest) / sums.n).toFixed(1)}% of decisions; its mean ETA rank ${f(sums.topRank)} (1 = nearest)`,
);

function ranks(x: number[]): number[] {
  const idx = x.map((_, i) => i).sort((a, b) => x[a] - x[b]);
  const r = new Array<number>(x.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && x[idx[j + 1]] === x[idx[i]]) j++;
    for (let k = i; k <= j; k++) r[idx[k]] = (i + j) / 2;
    i = j + 1;
  }
  return r;
}

function spearman(a: number[], b: number[]): number {
  const ra = ranks(a);
  const rb = ranks(b);
  const n = a.length;
  const ma = ra.reduce((s, x) => s + x, 0) / n;
  const mb = rb.reduce((s, x) => s + x, 0) / n;
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    cov += (ra[i] - ma) * (rb[i] - mb);
    va += (ra[i] - ma) ** 2;
    vb += (rb[i] - mb) ** 2;
  }
  return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : 0;
}
