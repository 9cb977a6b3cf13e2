/**
 * The non-learning MAPF controllers — the floor a learned policy is shown against, by name like
 * the dispatch environment's dispatchers: each turns the current observation into a joint
 * action (one candidate index or PASS per agent).
 *
 * - `random`: a uniformly random candidate per agent (wait included).
 * - `shortest-path`: every agent steps along a shortest path to its goal (a move that brings it
 *   one cell closer, ties at random) and waits when no such move is free; two agents stepping
 *   into one cell are resolved by the environment (the lower id moves, the other waits). Nobody
 *   coordinates, so agents meeting head-on in a corridor wait for each other for ever.
 * - `whca`: prioritized planning with a reservation table (WHCA*, Silver 2005; whca.ts).
 */
import type { Observation } from "../../core/env.ts";
import { PASS } from "../../core/env.ts";
import { Rng } from "../../core/rng.ts";
import type { MapfEnv, MapfMetrics } from "./mapf-env.ts";
import { WhcaPlanner } from "./whca.ts";

export interface MapfDispatcher {
  readonly name: string;
  readonly summary: string;
  /** The joint action for `obs` (the current observation of `env`); `rng`: the episode's stream. */
  act(env: MapfEnv, obs: Observation, rng: Rng): Int32Array;
}

export const randomMapf: MapfDispatcher = {
  name: "random",
  summary: "a uniformly random candidate per agent",
  act: (env, obs, rng) =>
    Int32Array.from({ length: env.spec.numAgents }, (_, i) => {
      const count = obs.candPtr[i + 1] - obs.candPtr[i];
      return count > 0 ? rng.int(count) : PASS;
    }),
};

export const shortestPathMapf: MapfDispatcher = {
  name: "shortest-path",
  summary: "follow a shortest path, wait when the next cell is taken (no coordination)",
  act: (env, obs, rng) => {
    const world = env.state;
    const n = env.spec.numAgents;
    const actions = new Int32Array(n).fill(PASS);
    for (let i = 0; i < n; i++) {
      const dist = world.goalDistances(i);
      const here = dist[world.position[i]];
      let best = PASS;
      let ties = 0;
      for (let k = obs.candPtr[i]; k < obs.candPtr[i + 1]; k++) {
        if (dist[obs.candId![k]] !== here - 1) continue;
        // reservoir sampling: each closer move kept with probability 1 / (ties so far)
        if (rng.int(++ties) === 0) best = k - obs.candPtr[i];
      }
      actions[i] = best;
    }
    return actions;
  },
};

/** WHCA* with a window of `window` steps (default 8). */
export function whcaMapf(window = 8): MapfDispatcher {
  let planner: WhcaPlanner | null = null;
  return {
    name: window === 8 ? "whca" : `whca-${window}`,
    summary: `prioritized planning with a space-time reservation table (WHCA*, window ${window})`,
    act: (env, obs) => {
      const world = env.state;
      const cells = world.map.free.length;
      if (planner === null || planner.cells !== cells) planner = new WhcaPlanner(cells, window);
      const n = env.spec.numAgents;
      const next = new Int32Array(n);
      planner.plan(world, next);
      const actions = new Int32Array(n).fill(PASS);
      for (let i = 0; i < n; i++) {
        for (let k = obs.candPtr[i]; k < obs.candPtr[i + 1]; k++)
          if (obs.candId![k] === next[i]) actions[i] = k - obs.candPtr[i];
      }
      return actions;
    },
  };
}

export const MAPF_BASELINES: readonly MapfDispatcher[] = [randomMapf, shortestPathMapf, whcaMapf()];

/** A baseline by name (`whca-W` for another window), or undefined. */
export function mapfBaseline(name: string): MapfDispatcher | undefined {
  const m = /^whca-(\d+)$/.exec(name);
  if (m && Number(m[1]) >= 1 && Number(m[1]) <= 64) return whcaMapf(Number(m[1]));
  return MAPF_BASELINES.find((d) => d.name === name);
}

/** One episode of `env` from `reset(seed)` under `dispatcher`; the episode's metrics. */
export function runMapfEpisode(
  env: MapfEnv,
  dispatcher: MapfDispatcher,
  seed: number,
): MapfMetrics {
  const rng = new Rng(seed).split(`mapf-dispatcher-${dispatcher.name}`);
  let obs = env.reset(seed);
  for (;;) {
    const result = env.step(dispatcher.act(env, obs, rng));
    if (result.truncations[0] === 1 || result.terminations[0] === 1) break;
    obs = result.obs;
  }
  return env.metrics();
}
