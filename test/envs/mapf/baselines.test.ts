/**
 * The MAPF baselines on worked examples: a lone agent follows shortest paths exactly; head-on in
 * a two-lane hall, shortest-path following deadlocks while WHCA* side-steps (one agent's detour
 * costs exactly 2 steps); WHCA*'s joint moves never conflict; WHCA* beats shortest-path (by
 * 1.5× or more) on the shipped maps.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Rng } from "../../../src/core/rng.ts";
import { MAPF_BASELINES, mapfBaseline, runMapfEpisode } from "../../../src/envs/mapf/baselines.ts";
import { emptyMap } from "../../../src/envs/mapf/generators.ts";
import { parseMap, readMapFile } from "../../../src/envs/mapf/grid-map.ts";
import { MapfEnv } from "../../../src/envs/mapf/mapf-env.ts";

/** First step (1-based) at which each agent had reached its first goal, or 0. */
function firstArrivals(name: string, env: MapfEnv, seed: number, steps: number): number[] {
  const dispatcher = mapfBaseline(name)!;
  const rng = new Rng(seed);
  let obs = env.reset(seed);
  const arrived = new Array(env.spec.numAgents).fill(0);
  for (let t = 1; t <= steps; t++) {
    obs = env.step(dispatcher.act(env, obs, rng)).obs;
    env.state.goalsReached.forEach((g, i) => {
      if (g > 0 && arrived[i] === 0) arrived[i] = t;
    });
  }
  return arrived;
}

describe("mapf baselines", () => {
  test("a lone agent: shortest-path and WHCA* get one cell closer every step", () => {
    for (const name of ["shortest-path", "whca"]) {
      const env = new MapfEnv({
        map: readMapFile("data/mapf/room-32-32-4.map"),
        agents: 1,
        steps: 300,
        window: 3,
      });
      const dispatcher = mapfBaseline(name)!;
      const rng = new Rng(1);
      let obs = env.reset(1);
      for (let t = 0; t < 300; t++) {
        const before = env.state.goalDistances(0)[env.state.position[0]];
        const goal = env.state.goal[0];
        const r = env.step(dispatcher.act(env, obs, rng));
        // either it arrived (and got a new goal), or it is one step closer to the same goal
        if (r.rewards[0] === 1) assert.equal(before, 1);
        else {
          assert.equal(env.state.goal[0], goal);
          assert.equal(env.state.goalDistances(0)[env.state.position[0]], before - 1, name);
        }
        obs = r.obs;
      }
    }
  });

  test("head-on in a two-lane hall: shortest-path deadlocks, WHCA* detours one agent by 2 steps", () => {
    // 6 × 2, agent 0 at (0,1) → (5,1), agent 1 at (5,1) → (0,1): 5 steps each on a free lane
    const hall = parseMap("type octile\nheight 2\nwidth 6\nmap\n......\n......\n", "hall");
    const make = () =>
      new MapfEnv({
        map: hall,
        agents: 2,
        steps: 10,
        window: 3,
        fixed: { starts: [6, 11], goals: [11, 6] },
      });
    assert.deepEqual(firstArrivals("shortest-path", make(), 0, 10), [0, 0]);
    assert.deepEqual(firstArrivals("whca", make(), 0, 10), [5, 7]);
  });

  test("WHCA*'s moves never conflict; on the shipped maps it beats shortest-path and random", () => {
    const cases = [
      { map: "random-32-32-20", agents: 64 },
      { map: "room-32-32-4", agents: 48 },
      { map: "warehouse-10-20-10-2-1", agents: 96 },
    ];
    for (const { map, agents } of cases) {
      const env = new MapfEnv({
        map: readMapFile(`data/mapf/${map}.map`),
        agents,
        steps: 100,
        window: 1,
      });
      const [random, shortest, whca] = MAPF_BASELINES.map((d) => runMapfEpisode(env, d, 3));
      assert.equal(whca.conflicts, 0, map);
      assert.ok(
        whca.throughput > 1.5 * shortest.throughput,
        `${map}: ${whca.throughput} vs ${shortest.throughput}`,
      );
      assert.ok(shortest.throughput > random.throughput, map);
      assert.ok(whca.fairness > shortest.fairness, map);
    }
  });

  test("same seed, same episode; names", () => {
    const env = new MapfEnv({ map: emptyMap(12, 12), agents: 20, steps: 40, window: 1 });
    for (const d of MAPF_BASELINES)
      assert.deepEqual(runMapfEpisode(env, d, 9), runMapfEpisode(env, d, 9));
    assert.deepEqual(
      MAPF_BASELINES.map((d) => d.name),
      ["random", "shortest-path", "whca"],
    );
    assert.equal(mapfBaseline("whca-4")?.name, "whca-4");
    assert.equal(mapfBaseline("min-eta"), undefined);
  });
});
