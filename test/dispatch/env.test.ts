/**
 * DispatchEnv: the MultiAgentEnv contract on the shipped Manhattan day, exact agreement with the
 * simulator's own episode loop, feature ranges on real data, and the conflict rule on a line.
 */
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { assertEnvConforms } from "../../src/core/conformance.ts";
import { EnvUsageError, episodeOver, InvalidActionError, PASS } from "../../src/core/env.ts";
import { assignPairs } from "../../src/envs/dispatch/assign.ts";
import { DispatchConfigSchema } from "../../src/envs/dispatch/config.ts";
import { minEtaDispatcher } from "../../src/envs/dispatch/dispatchers.ts";
import { actionsFromPairs, DispatchEnv, pairsFromActions } from "../../src/envs/dispatch/env.ts";
import { runEpisode } from "../../src/envs/dispatch/episode.ts";
import { PAIR_FEATURE_NAMES, VEHICLE_FEATURE_NAMES } from "../../src/envs/dispatch/features.ts";
import { DispatchSimulator, type EpisodeDemand } from "../../src/envs/dispatch/simulator.ts";
import { type LoadedWorld, loadWorld } from "../../src/envs/dispatch/world.ts";
import { scenarioByName } from "../../src/experiments/scenarios.ts";
import { lineWorld } from "./line-world.ts";

const config = DispatchConfigSchema.parse({
  vehicles: 80,
  epochs: 4,
  startHour: 0,
  sampleFraction: 0.95,
});
let world: LoadedWorld;
before(async () => {
  world = await loadWorld(config);
});

test("DispatchEnv on the shipped day passes the conformance checker", () => {
  const report = assertEnvConforms(() => new DispatchEnv(world, config), { seeds: [0, 1, 2] });
  assert.equal(report.episodes, 3);
  assert.equal(report.steps, 3 * config.epochs);
  assert.ok(report.conflictsExercised > 0, "the conflict rule was never exercised");
});

test("DispatchEnv under the ospo-paper scenario passes the conformance checker", () => {
  const paper = DispatchConfigSchema.parse({
    ...scenarioByName("ospo-paper").env,
    vehicles: 80,
    epochs: 4,
  });
  const report = assertEnvConforms(() => new DispatchEnv(world, paper), { seeds: [0, 1] });
  assert.equal(report.steps, 2 * paper.epochs);
  assert.ok(report.conflictsExercised > 0, "the conflict rule was never exercised");
});

test("actions from the min-eta matching reproduce runEpisode's metrics exactly", () => {
  const big = { ...config, vehicles: 300, epochs: 6 };
  for (const seed of [3, 11]) {
    const env = new DispatchEnv(world, big);
    let obs = env.reset(seed);
    let rewardSum = 0;
    let extra: Readonly<Record<string, number>> = {};
    for (;;) {
      const c = env.candidates;
      const pairs = assignPairs(
        c,
        minEtaDispatcher.scores(c, env.simulator.rng, env.simulator),
        "matching",
      );
      const actions = actionsFromPairs(c, pairs);
      assert.deepEqual(pairsFromActions(c, actions), pairs);
      const r = env.step(actions);
      assert.equal(r.infos.conflicts, 0);
      assert.deepEqual(r.infos.effective, actions);
      for (let v = 0; v < big.vehicles; v++) {
        const local = actions[v];
        const reward = local === PASS ? 0 : c.reward[c.rowPtr[v] + local];
        assert.equal(r.rewards[v], Math.fround(reward));
        rewardSum += reward;
      }
      if (episodeOver(r)) {
        extra = r.infos.extra!;
        assert.ok(r.truncations.every((t) => t === 1));
        assert.ok(r.terminations.every((t) => t === 0));
        assert.equal(r.obs.candPtr.at(-1), 0);
        assert.ok(r.obs.active.every((a) => a === 0));
        break;
      }
      obs = r.obs;
    }
    assert.ok(obs.active.length === big.vehicles);
    const reference = runEpisode(new DispatchSimulator(world, big), minEtaDispatcher, seed).metrics;
    assert.ok(reference.served > 0);
    for (const [key, value] of Object.entries(reference)) {
      assert.deepEqual(extra[key], value, `seed ${seed}: ${key}`);
    }
    assert.ok(Math.abs(rewardSum - reference.episodeReward) < 1e-9);
  }
});

test("features and global state on the shipped day: finite, in [−0.1, 1.5], names = dims", () => {
  const env = new DispatchEnv(world, { ...config, vehicles: 300, epochs: 6 });
  const { spec } = env;
  assert.equal(spec.pairFeatureNames!.length, spec.pairFeatureDim);
  assert.equal(spec.agentFeatureNames!.length, spec.agentFeatureDim);
  assert.equal(spec.globalStateDim, 3 * (world.city.zones.length + 1) + 5); // 1 node has no zone
  const inRange = (values: Float32Array, width: number, names: readonly string[], what: string) => {
    for (let i = 0; i < values.length; i++) {
      const x = values[i];
      assert.ok(
        Number.isFinite(x) && x >= -0.1 && x <= 1.5,
        `${what} ${names[i % width] ?? i}: ${x}`,
      );
    }
  };
  let obs = env.reset(4);
  let pairs = 0;
  for (;;) {
    pairs += obs.candPtr.at(-1)!;
    inRange(obs.candFeatures, spec.pairFeatureDim, PAIR_FEATURE_NAMES, "pair");
    inRange(obs.agentFeatures, spec.agentFeatureDim, VEHICLE_FEATURE_NAMES, "vehicle");
    inRange(env.globalState(), spec.globalStateDim, [], "global state");
    // Active exactly when the vehicle has candidates; candId = the pair's order id.
    const c = env.candidates;
    for (let v = 0; v < spec.numAgents; v++) {
      assert.equal(obs.active[v], c.rowPtr[v + 1] > c.rowPtr[v] ? 1 : 0);
    }
    for (let p = 0; p < c.pairCount; p++) assert.equal(obs.candId![p], c.orderIds[c.pairSlot[p]]);
    // Everybody takes their first candidate (conflicts resolved by the env).
    const actions = Int32Array.from(obs.active, (a) => (a ? 0 : PASS));
    const r = env.step(actions);
    if (episodeOver(r)) break;
    obs = r.obs;
  }
  assert.ok(pairs > 100, `only ${pairs} pairs seen`);
});

// -- Conflicts on a hand-made line: 11 nodes, 60 s and 500 m per edge. ---------------------------

function lineEnv(demand: EpisodeDemand, vehicles: number, epochs: number): DispatchEnv {
  return new DispatchEnv(lineWorld(demand), DispatchConfigSchema.parse({ vehicles, epochs }), {
    nodeLatLon: (i) => ({ lat: 40 + 0.001 * i, lon: -74 }),
  });
}

test("three vehicles want the same order: the lowest id wins, the others pass with reward 0", () => {
  // All three vehicles start at node 0. Order 0: node 2 → 6 at 0 s, order 1: node 4 → 5 at 10 s.
  // Each vehicle sees both orders: local index 0 = order 0 (eta 120 s), 1 = order 1 (eta 240 s).
  const env = lineEnv(
    {
      requestTime: Float64Array.of(0, 10),
      pickupNode: Int32Array.of(2, 4),
      dropoffNode: Int32Array.of(6, 5),
    },
    3,
    2,
  );
  const obs = env.reset(9);
  assert.deepEqual(Array.from(obs.candPtr), [0, 2, 4, 6]);
  assert.deepEqual(Array.from(obs.candId!), [0, 1, 0, 1, 0, 1]);
  // Vehicles 1 and 2 both pick order 1; vehicle 0 picks order 0.
  const r = env.step(Int32Array.of(0, 1, 1));
  assert.deepEqual(Array.from(r.infos.effective), [0, 1, PASS]);
  assert.equal(r.infos.conflicts, 1);
  // Order 0: 3 + 2 km − 3·(120/3600) = 4.9; order 1: 3 + 0.5 − 3·(240/3600) = 3.3.
  assert.deepEqual(Array.from(r.rewards), [Math.fround(4.9), Math.fround(3.3), 0]);
  assert.equal(r.infos.extra!.matched, 2);
  assert.equal(env.simulator.orders.vehicle[0], 0);
  assert.equal(env.simulator.orders.vehicle[1], 1);
  // The loser is idle and stays where it was; nothing is pending any more.
  assert.equal(env.simulator.fleet.stopCount[2], 0);
  assert.equal(r.obs.candPtr.at(-1), 0);
});

test("usage errors: before reset, bad actions leave the state untouched, after the end", () => {
  const env = lineEnv(
    {
      requestTime: Float64Array.of(0),
      pickupNode: Int32Array.of(2),
      dropoffNode: Int32Array.of(3),
    },
    2,
    1,
  );
  assert.throws(() => env.step(Int32Array.of(PASS, PASS)), EnvUsageError);
  assert.throws(() => env.globalState(), EnvUsageError);
  env.reset(1);
  assert.throws(() => env.step(Int32Array.of(1, PASS)), InvalidActionError); // 1 candidate each
  assert.throws(() => env.step(Int32Array.of(PASS)), InvalidActionError);
  const r = env.step(Int32Array.of(PASS, 0));
  assert.deepEqual(Array.from(r.infos.effective), [PASS, 0]);
  assert.equal(r.infos.extra!.served, 1);
  assert.equal(env.simulator.orders.vehicle[0], 1);
  assert.ok(episodeOver(r));
  assert.throws(() => env.step(Int32Array.of(PASS, PASS)), EnvUsageError);
});

test("pairsFromActions / actionsFromPairs: inverse maps, with clear errors", () => {
  const env = lineEnv(
    {
      requestTime: Float64Array.of(0, 10),
      pickupNode: Int32Array.of(2, 4),
      dropoffNode: Int32Array.of(6, 5),
    },
    3,
    2,
  );
  env.reset(9);
  const c = env.candidates; // two pairs per vehicle
  assert.deepEqual(Array.from(pairsFromActions(c, Int32Array.of(1, PASS, 0))), [1, 4]);
  assert.deepEqual(Array.from(actionsFromPairs(c, Int32Array.of(1, 4))), [1, PASS, 0]);
  assert.throws(() => actionsFromPairs(c, Int32Array.of(0, 1)), /vehicle 0 already/);
  assert.throws(() => actionsFromPairs(c, Int32Array.of(6)), /pairs\[0\]/);
  assert.throws(() => pairsFromActions(c, Int32Array.of(2, PASS, PASS)), /vehicle 0 has 2/);
});
