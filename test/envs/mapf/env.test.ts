/**
 * The mapf environment: the conformance checker, the conflict rule on hand-made situations
 * (vertex conflict resolved by id, swap and follow-the-leader never offered), goal re-assignment
 * on arrival, determinism, and the observation's meaning.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { checkEnv } from "../../../src/core/conformance.ts";
import { type Observation, PASS } from "../../../src/core/env.ts";
import { Rng } from "../../../src/core/rng.ts";
import { emptyMap, mazeMap, randomMap } from "../../../src/envs/mapf/generators.ts";
import { parseMap, readMapFile } from "../../../src/envs/mapf/grid-map.ts";
import { MapfEnv } from "../../../src/envs/mapf/mapf-env.ts";
import { ACTIONS, MapfWorld } from "../../../src/envs/mapf/world.ts";

/** A 5 × 1 corridor: cells 0..4 from left to right. */
const corridor = parseMap("type octile\nheight 1\nwidth 5\nmap\n.....\n", "corridor");

/** The actions (names) agent i is offered in `obs`. */
function offered(env: MapfEnv, obs: Observation, i: number): string[] {
  const acts = env.candidateActions;
  const out: string[] = [];
  for (let k = obs.candPtr[i]; k < obs.candPtr[i + 1]; k++) out.push(ACTIONS[acts[k]]);
  return out;
}

/** Joint action: agent i takes the candidate named names[i] (or PASS for "pass"). */
function pick(env: MapfEnv, obs: Observation, names: string[]): Int32Array {
  return Int32Array.from(names, (name, i) => {
    if (name === "pass") return PASS;
    const local = offered(env, obs, i).indexOf(name);
    assert.ok(local >= 0, `agent ${i} is not offered ${name}`);
    return local;
  });
}

describe("mapf environment", () => {
  const variants: [string, () => MapfEnv][] = [
    [
      "random-32-32-20, 40 agents",
      () =>
        new MapfEnv({
          map: readMapFile("data/mapf/random-32-32-20.map"),
          agents: 40,
          steps: 30,
          window: 5,
        }),
    ],
    [
      "a dense empty 6×6 (20 agents: many conflicts)",
      () => new MapfEnv({ map: emptyMap(6, 6), agents: 20, steps: 40, window: 3 }),
    ],
    [
      "a maze drawn afresh per episode",
      () =>
        new MapfEnv({
          map: {
            name: "maze",
            width: 15,
            height: 15,
            generate: (rng: Rng) => mazeMap(15, 15, 0.3, rng),
          },
          agents: 12,
          steps: 25,
          window: 5,
          stepCost: 0.01,
        }),
    ],
  ];
  for (const [name, make] of variants) {
    test(`passes checkEnv: ${name}`, () => {
      const report = checkEnv(make, { seeds: [0, 1, 2] });
      assert.deepEqual(report.problems, []);
      assert.ok(report.conflictsExercised > 0);
    });
  }

  test("vertex conflict: two agents moving into one cell — the lower id moves, the other waits", () => {
    // 3 × 3 empty; agent 0 at (0,1) = cell 3, agent 1 at (2,1) = cell 5; both step into cell 4
    const env = new MapfEnv({
      map: emptyMap(3, 3),
      agents: 2,
      steps: 5,
      window: 3,
      fixed: { starts: [3, 5], goals: [8, 0] },
    });
    const obs = env.reset(0);
    assert.deepEqual([...obs.candId!.subarray(obs.candPtr[0], obs.candPtr[1])], [3, 0, 6, 4]); // wait up down right
    const r = env.step(pick(env, obs, ["right", "left"]));
    assert.deepEqual([...r.infos.effective], [3, PASS]);
    assert.equal(r.infos.conflicts, 1);
    assert.deepEqual([...env.state.position], [4, 5]);
    assert.equal(r.infos.extra!.waits, 1);
  });

  test("swap refused and follow-the-leader not offered: a move never enters an occupied cell", () => {
    // corridor: agent 0 at cell 1 (goal 4, behind agent 1), agent 1 at cell 2 (goal 0)
    const env = new MapfEnv({
      map: corridor,
      agents: 2,
      steps: 10,
      window: 3,
      fixed: { starts: [1, 2], goals: [4, 0] },
    });
    let obs = env.reset(0);
    assert.deepEqual(offered(env, obs, 0), ["wait", "left"]); // right (the swap) not offered
    assert.deepEqual(offered(env, obs, 1), ["wait", "right"]); // left (the swap) not offered
    // agent 1 moves right; agent 0 may not follow into cell 2 in the same step
    let r = env.step(pick(env, obs, ["wait", "right"]));
    assert.deepEqual([...env.state.position], [1, 3]);
    obs = r.obs;
    assert.deepEqual(offered(env, obs, 0), ["wait", "left", "right"]); // cell 2 is empty now
    assert.deepEqual(offered(env, obs, 1), ["wait", "left", "right"]);
    // both move right: agent 0 into cell 2 (empty), agent 1 into cell 4
    r = env.step(pick(env, obs, ["right", "right"]));
    assert.deepEqual([...env.state.position], [2, 4]);
    // a column of agents: only the front one can move
    const column = new MapfEnv({
      map: corridor,
      agents: 3,
      steps: 5,
      window: 3,
      fixed: { starts: [0, 1, 2], goals: [4, 4, 4] },
    });
    const c = column.reset(0);
    assert.deepEqual(
      [0, 1, 2].map((i) => offered(column, c, i)),
      [["wait"], ["wait"], ["wait", "right"]],
    );
  });

  test("the world itself refuses a swap, a follower and two agents on one cell", () => {
    const world = new MapfWorld(corridor, 2);
    world.reset(new Rng(0), { starts: [1, 2], goals: [4, 0] });
    const reached = new Uint8Array(2);
    assert.throws(() => world.apply(Int32Array.of(2, 1), reached), /agent 0 cannot enter cell 2/);
    assert.throws(() => world.apply(Int32Array.of(2, 3), reached), /agent 0 cannot enter cell 2/);
    world.reset(new Rng(0), { starts: [1, 3], goals: [4, 0] });
    assert.throws(() => world.apply(Int32Array.of(2, 2), reached), /agent 1 cannot enter cell 2/);
    assert.deepEqual([...world.position], [1, 3]); // nothing moved
  });

  test("arrival: +1, a new goal at once (not the cell it stands on), seeded", () => {
    const make = () =>
      new MapfEnv({
        map: emptyMap(4, 4),
        agents: 1,
        steps: 3,
        window: 3,
        stepCost: 0.1,
        fixed: { starts: [0], goals: [1] },
      });
    const env = make();
    const obs = env.reset(5);
    const r = env.step(pick(env, obs, ["right"]));
    assert.ok(Math.abs(r.rewards[0] - 0.9) < 1e-6); // +1 − stepCost
    assert.equal(r.infos.extra!.goals, 1);
    const goal = env.state.goal[0];
    assert.notEqual(goal, 1);
    assert.equal(env.state.goalsReached[0], 1);
    const again = make();
    again.step(pick(again, again.reset(5), ["right"]));
    assert.equal(again.state.goal[0], goal); // same seed, same new goal
    const waited = env.step(Int32Array.of(PASS));
    assert.ok(Math.abs(waited.rewards[0] + 0.1) < 1e-6);
    const last = env.step(Int32Array.of(PASS));
    assert.equal(last.truncations[0], 1);
    assert.equal(last.obs.active[0], 0);
    assert.deepEqual(env.metrics(), {
      steps: 3,
      agents: 1,
      goals: 1,
      throughput: 1 / 3,
      waitFraction: 2 / 3,
      conflicts: 0,
      fairness: 1,
      goalsGini: 0,
    });
    assert.throws(() => env.step(Int32Array.of(PASS)), /after the episode ended/);
  });

  test("observation: progress is −1/0/+1 per move, the window shows obstacles and agents", () => {
    // 3 × 3 with an obstacle at the centre-top; agent 0 at (0,0), its goal (2,0) around it
    const map = parseMap("type octile\nheight 3\nwidth 3\nmap\n.@.\n...\n...\n", "m");
    const env = new MapfEnv({
      map,
      agents: 2,
      steps: 4,
      window: 3,
      fixed: { starts: [0, 4], goals: [2, 8] },
    });
    const obs = env.reset(0);
    const P = env.spec.pairFeatureDim;
    const names = env.spec.pairFeatureNames!;
    const col = (name: string) => names.indexOf(name);
    // agent 0 at cell 0: wait, down (cell 3); right is the obstacle
    assert.deepEqual(offered(env, obs, 0), ["wait", "down"]);
    // d(0) = 4 (0 → 3 → 4 → 5 → 2), d(3) = 3: moving down is progress +1
    const down = obs.candPtr[0] + 1;
    assert.equal(obs.candFeatures[down * P + col("progress")], 1);
    assert.equal(obs.candFeatures[obs.candPtr[0] * P + col("progress")], 0);
    // the window centred on cell 3 sees agent 1 at its right (dx 1, dy 0), the obstacle at (1,−1)
    assert.equal(obs.candFeatures[down * P + col("agent[1,0]")], 1);
    assert.equal(obs.candFeatures[down * P + col("obstacle[1,-1]")], 1);
    assert.equal(obs.candFeatures[down * P + col("obstacle[-1,0]")], 1); // off the map
    assert.equal(obs.candFeatures[down * P + col("agent[0,0]")], 0); // an agent does not see itself
    // global state: three blocks' channels + time, finite
    assert.equal(env.globalState().length, env.spec.globalStateDim);
  });

  test("determinism and seeds: same seed, same episode; generated maps differ by seed", () => {
    const run = (seed: number) => {
      const env = new MapfEnv({
        map: {
          name: "r",
          width: 12,
          height: 12,
          generate: (rng: Rng) => randomMap(12, 12, 0.2, rng),
        },
        agents: 8,
        steps: 20,
        window: 3,
      });
      let obs = env.reset(seed);
      for (let t = 0; t < 20; t++)
        obs = env.step(
          Int32Array.from({ length: 8 }, (_, i) => obs.candPtr[i + 1] - obs.candPtr[i] - 1),
        ).obs;
      return { ...env.metrics(), free: [...env.state.map.free].join("") };
    };
    assert.deepEqual(run(3), run(3));
    assert.notEqual(run(3).free, run(4).free);
  });

  test("buffers: an observation stays intact until the next-but-one step; one action one-hot per row", () => {
    const map = randomMap(16, 16, 0.2, new Rng(5));
    const a = new MapfEnv({ map, agents: 40, steps: 12, window: 5 });
    const b = new MapfEnv({ map, agents: 40, steps: 12, window: 5 });
    const copy = (o: Observation) => ({
      active: [...o.active],
      candPtr: [...o.candPtr],
      candId: [...o.candId!],
      candFeatures: [...o.candFeatures],
      agentFeatures: [...o.agentFeatures],
    });
    const rng = new Rng(9);
    let prev = a.reset(1);
    let prevCopy = copy(prev);
    assert.deepEqual(copy(b.reset(1)), prevCopy);
    const P = a.spec.pairFeatureDim;
    for (let t = 0; t < 12; t++) {
      const actions = Int32Array.from({ length: 40 }, (_, i) =>
        rng.int(prev.candPtr[i + 1] - prev.candPtr[i]),
      );
      const ra = a.step(actions.slice());
      const rb = b.step(actions.slice());
      // the previous observation is still what it was; both instances agree
      assert.deepEqual(copy(prev), prevCopy, `step ${t}: previous observation overwritten`);
      const now = copy(ra.obs);
      assert.deepEqual(copy(rb.obs), now);
      assert.equal(ra.obs.candFeatures.length, (ra.obs.candPtr[40] ?? 0) * P);
      for (let r = 0; r < ra.obs.candId!.length; r++) {
        const hot = [0, 1, 2, 3, 4].map((c) => ra.obs.candFeatures[r * P + c]);
        assert.deepEqual(
          hot,
          [0, 1, 2, 3, 4].map((c) => (c === a.candidateActions[r] ? 1 : 0)),
          `step ${t}, row ${r}: action one-hot`,
        );
      }
      prev = ra.obs;
      prevCopy = now;
    }
  });

  test("global state (MAPPO's critic): agents, goals and free cells per block, then time", () => {
    const map = randomMap(40, 24, 0.2, new Rng(2)); // 40 × 24: blocks of 3 × 3, 14 × 8 of them
    const env = new MapfEnv({ map, agents: 30, steps: 10, window: 3 });
    let obs = env.reset(4);
    for (let t = 0; t < 3; t++)
      obs = env.step(
        Int32Array.from({ length: 30 }, (_, i) => obs.candPtr[i + 1] - obs.candPtr[i] - 1),
      ).obs;
    const s = env.globalState();
    const blocks = 14 * 8;
    assert.equal(s.length, 3 * blocks + 1);
    const sum = (from: number) => s.slice(from, from + blocks).reduce((x, y) => x + y, 0);
    assert.ok(Math.abs(sum(0) - 30 / 9) < 1e-4); // every agent counted once, 1 / block area
    assert.ok(Math.abs(sum(blocks) - 30 / 9) < 1e-4); // every goal
    const free = map.free.reduce((x, y) => x + y, 0);
    assert.ok(Math.abs(sum(2 * blocks) - free / 9) < 1e-3);
    const w = env.state;
    const p = w.position[0];
    const block = Math.floor(Math.floor(p / 40) / 3) * 14 + Math.floor((p % 40) / 3);
    assert.ok(s[block] >= 1 / 9 - 1e-6, "agent 0's block holds it");
    assert.ok(Math.abs(s[3 * blocks] - 3 / 10) < 1e-6); // time fraction
  });

  test("bad options: too many agents, even window", () => {
    assert.throws(
      () => new MapfEnv({ map: emptyMap(3, 3), agents: 9 }),
      /agents: expected an integer in 1\.\.8/,
    );
    assert.throws(
      () => new MapfEnv({ map: emptyMap(3, 3), agents: 2, window: 4 }),
      /window: expected an odd integer/,
    );
  });
});
