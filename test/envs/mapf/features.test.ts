/**
 * Observation windows: a hand-made 3 × 3 window with known values, and the patch-cut windows
 * the environment builds (WindowPatch) equal to the direct definition (writeWindow) for every
 * candidate of every agent over a crowded random episode.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Rng } from "../../../src/core/rng.ts";
import { shortestPathMapf } from "../../../src/envs/mapf/baselines.ts";
import { PAIR_SCALARS, WindowPatch, writeWindow } from "../../../src/envs/mapf/features.ts";
import { randomMap } from "../../../src/envs/mapf/generators.ts";
import { parseMap } from "../../../src/envs/mapf/grid-map.ts";
import { MapfEnv } from "../../../src/envs/mapf/mapf-env.ts";

test("a 3 × 3 window: obstacles (and off the map), the other agent, progress", () => {
  // row 0: ". . @", row 1: ". . .": agent 0 at (0,0) with its goal at (2,1), agent 1 at (1,1)
  const map = parseMap("type octile\nheight 2\nwidth 3\nmap\n..@\n...\n");
  const env = new MapfEnv({ map, agents: 2, window: 3, fixed: { starts: [0, 4], goals: [5, 3] } });
  env.reset(1);
  const out = new Float32Array(27);
  writeWindow(env.state, 0, 0, 3, out, 0);
  // obstacle: the row above and the column left are off the map
  assert.deepEqual([...out.subarray(0, 9)], [1, 1, 1, 1, 0, 0, 1, 0, 0]);
  assert.deepEqual([...out.subarray(9, 18)], [0, 0, 0, 0, 0, 0, 0, 0, 1]);
  // distances to (2,1): (0,0) 3, (1,0) 2, (0,1) 2, (1,1) 1; progress (3 − d) / 2
  assert.deepEqual([...out.subarray(18, 27)], [0, 0, 0, 0, 0, 0.5, 0, 0.5, 1]);
});

test("the environment's patch-cut windows equal writeWindow for every candidate", () => {
  const map = randomMap(20, 20, 0.25, new Rng(3));
  const window = 7;
  const env = new MapfEnv({ map, agents: 60, steps: 30, window });
  const rng = new Rng(9);
  let obs = env.reset(4);
  const P = env.spec.pairFeatureDim;
  const W = 3 * window * window;
  const expected = new Float32Array(W);
  let checked = 0;
  for (let t = 0; t < 30; t++) {
    const world = env.state;
    for (let i = 0; i < 60; i++) {
      for (let r = obs.candPtr[i]; r < obs.candPtr[i + 1]; r++) {
        writeWindow(world, i, obs.candId![r], window, expected, 0);
        const row = obs.candFeatures.subarray(r * P + PAIR_SCALARS.length, (r + 1) * P);
        assert.deepEqual([...row], [...expected], `step ${t}, agent ${i}, row ${r}`);
        checked++;
      }
      const A = env.spec.agentFeatureDim;
      writeWindow(world, i, world.position[i], window, expected, 0);
      assert.deepEqual(
        [...obs.agentFeatures.subarray((i + 1) * A - W, (i + 1) * A)],
        [...expected],
      );
    }
    const result = env.step(shortestPathMapf.act(env, obs, rng));
    obs = result.obs;
  }
  assert.ok(checked > 3000, `${checked} windows checked`);
  const patch = new WindowPatch(3);
  assert.equal(patch.side, 5);
});
