import assert from "node:assert/strict";
import { test } from "node:test";
import { checkEnv } from "../../src/core/conformance.ts";
import { candidateCount, type Observation, PASS } from "../../src/core/env.ts";
import { Rng } from "../../src/core/rng.ts";
import { bestAssignment } from "../../src/envs/tiny/best-assignment.ts";
import { TinyDispatchEnv, type TinyEnvOptions } from "../../src/envs/tiny/tiny-env.ts";

test("bestAssignment on a hand-made conflict: the greedy pick is not the best", () => {
  // Agent 0: order 5 worth 3, order 6 worth 2.5. Agent 1: order 5 worth 2.9, order 6 worth 1.
  // Greedy (each takes its best) collides on order 5: 3 + 0 (or 3 + 1 after fallback) = 4.
  // Best: agent 0 → order 6, agent 1 → order 5 = 2.5 + 2.9 = 5.4, unique.
  const obs: Observation = {
    active: Uint8Array.of(1, 1),
    agentFeatures: new Float32Array(0),
    candPtr: Int32Array.of(0, 2, 4),
    candFeatures: new Float32Array(0),
    candId: Int32Array.of(5, 6, 5, 6),
  };
  const best = bestAssignment(obs, Float64Array.of(3, 2.5, 2.9, 1));
  assert.deepEqual([...best.actions], [1, 0]);
  assert.ok(Math.abs(best.reward - 5.4) < 1e-12);
  assert.equal(best.ties, 1);
  // Equal values tie: both permutations reach 4.
  assert.equal(bestAssignment(obs, Float64Array.of(2, 2, 2, 2)).ties, 2);
  // An inactive agent only passes.
  const oneActive = {
    ...obs,
    active: Uint8Array.of(0, 1),
    candPtr: Int32Array.of(0, 0, 2),
    candId: Int32Array.of(5, 6),
  };
  assert.deepEqual([...bestAssignment(oneActive, Float64Array.of(1, 2)).actions], [PASS, 1]);
});

const variants: [string, TinyEnvOptions][] = [
  ["defaults (3 vehicles, 3–5 orders)", {}],
  ["4 vehicles, 3–6 orders, 6 steps", { numVehicles: 4, maxOrders: 6, episodeSteps: 6 }],
  ["never busy, 7×7 grid", { busyProbability: 0, gridSize: 7, maxPickupMinutes: 5 }],
];
for (const [name, options] of variants) {
  test(`the tiny environment passes checkEnv: ${name}`, () => {
    const report = checkEnv(() => new TinyDispatchEnv(options), { seeds: [0, 1, 2, 3] });
    assert.deepEqual(report.problems, []);
    assert.ok(report.conflictsExercised > 0);
  });
}

test("pair features are informative: the pickup fraction alone gives the reward", () => {
  const env = new TinyDispatchEnv();
  const { gridSize, maxPickupMinutes } = env.options;
  for (let seed = 0; seed < 30; seed++) {
    let obs = env.reset(seed);
    for (let t = 0; t < env.options.episodeSteps; t++) {
      const rewards = env.candidateRewards();
      const p = env.spec.pairFeatureDim;
      for (let i = 0; i < env.spec.numAgents; i++) {
        for (let k = obs.candPtr[i]; k < obs.candPtr[i + 1]; k++) {
          const f = obs.candFeatures.subarray(k * p, (k + 1) * p);
          // r = 3 − 0.5 · pickup, pickup = fraction · maxPickup = (|dx| + |dy|) · (G − 1)
          assert.ok(Math.abs(rewards[k] - (3 - 0.5 * maxPickupMinutes * f[0])) < 1e-6);
          const pickup = (Math.abs(f[1]) + Math.abs(f[2])) * (gridSize - 1);
          assert.ok(Math.abs(pickup - f[0] * maxPickupMinutes) < 1e-5);
          assert.ok(pickup <= maxPickupMinutes && rewards[k] >= 1 && rewards[k] <= 3);
        }
      }
      obs = env.step(new Int32Array(env.spec.numAgents).fill(PASS)).obs;
    }
  }
});

/** Greedy-nearest without coordination: each active vehicle takes its closest candidate. */
function nearest(obs: Observation, pairDim: number): Int32Array {
  const actions = new Int32Array(obs.active.length).fill(PASS);
  for (let i = 0; i < actions.length; i++) {
    let best = Number.POSITIVE_INFINITY;
    for (let j = 0; j < candidateCount(obs, i); j++) {
      const pickup = obs.candFeatures[(obs.candPtr[i] + j) * pairDim];
      if (pickup < best) [best, actions[i]] = [pickup, j];
    }
  }
  return actions;
}

test("the optimum is unique, reached by optimalAssignment, and beaten by no other joint action", () => {
  const env = new TinyDispatchEnv();
  const rng = new Rng(5);
  let greedyRegret = 0;
  let greedySuboptimalSteps = 0;
  let steps = 0;
  for (let seed = 0; seed < 100; seed++) {
    let obs = env.reset(seed);
    for (let t = 0; t < env.options.episodeSteps; t++) {
      const best = env.optimalAssignment();
      assert.equal(best.ties, 1);
      assert.ok(best.reward > 0);
      // Any other joint action earns at least one reward quantum (0.5) less.
      const rewards = env.candidateRewards();
      for (let trial = 0; trial < 20; trial++) {
        const actions = new Int32Array(env.spec.numAgents).fill(PASS);
        const taken = new Set<number>();
        let sum = 0;
        for (let i = 0; i < actions.length; i++) {
          const c = candidateCount(obs, i);
          if (c === 0 || rng.bernoulli(0.2)) continue;
          const j = rng.int(c);
          if (taken.has(obs.candId![obs.candPtr[i] + j])) continue;
          taken.add(obs.candId![obs.candPtr[i] + j]);
          actions[i] = j;
          sum += rewards[obs.candPtr[i] + j];
        }
        if (actions.some((a, i) => a !== best.actions[i]))
          assert.ok(sum <= best.reward - 0.5 + 1e-9);
      }
      const greedy = nearest(obs, env.spec.pairFeatureDim);
      const result = env.step(greedy);
      const got = result.rewards.reduce((s, r) => s + r, 0);
      assert.equal(result.infos.extra?.optimalReward, best.reward);
      greedyRegret += best.reward - got;
      if (best.reward - got > 1e-9) greedySuboptimalSteps++;
      steps++;
      obs = result.obs;
    }
  }
  // Uncoordinated nearest-order choice misses the optimum in a good share of steps, so learning
  // "the best matching" is more than learning "closest is best".
  assert.ok(
    greedySuboptimalSteps / steps > 0.1,
    `greedy suboptimal in ${greedySuboptimalSteps}/${steps}`,
  );
  assert.ok(greedyRegret > 0);
});

test("stepping the optimal assignment gives zero regret", () => {
  const env = new TinyDispatchEnv({ numVehicles: 4, maxOrders: 6 });
  for (let seed = 0; seed < 20; seed++) {
    env.reset(seed);
    for (let t = 0; t < env.options.episodeSteps; t++) {
      const best = env.optimalAssignment();
      const r = env.step(best.actions);
      assert.equal(r.infos.conflicts, 0);
      assert.deepEqual([...r.infos.effective], [...best.actions]);
      assert.ok(Math.abs(r.rewards.reduce((s, x) => s + x, 0) - best.reward) < 1e-5);
    }
  }
});

test("bad options are rejected with the option name", () => {
  assert.throws(
    () => new TinyDispatchEnv({ numVehicles: 0 }),
    /numVehicles: expected an integer in 1..6 \(got 0\)/,
  );
  assert.throws(
    () => new TinyDispatchEnv({ minOrders: 4, maxOrders: 3 }),
    /maxOrders: expected an integer in 4..8/,
  );
  assert.throws(() => new TinyDispatchEnv({ busyProbability: 1 }), /busyProbability/);
  assert.throws(() => new TinyDispatchEnv({ costPerMinute: 1 }), /every match reward > 0/);
  assert.throws(() => new TinyDispatchEnv().step(new Int32Array(3)), /before reset/);
});
