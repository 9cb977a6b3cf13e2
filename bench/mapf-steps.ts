/**
 * MAPF environment speed (issue 13 target: ≥ 1 M agent-steps/s for the simulation alone at 64
 * agents on a 64 × 64 map, one core). On a seeded 64 × 64 random map (20% obstacles), at 64 and
 * 256 agents, prints agent-steps per second of:
 *   - the simulation alone: MapfWorld's movement rule and goal re-assignment, every agent
 *     stepping along a shortest path when the next cell is free, else to a random free one (an
 *     inline rule, no candidate lists, no features);
 *   - the environment with observation building: MapfEnv.step under the shortest-path baseline
 *     (candidate lists, 11 × 11 windows per candidate and per agent, rewards), the contract's
 *     conflict resolution included;
 *   - the WHCA* planner alone (its planning time per agent-step), for scale.
 * Each after a warm-up; the median of `--repeats` timed runs, per second of CPU time.
 * Observations: every window of an agent is cut from one patch around it (features.ts,
 * WindowPatch).
 *
 *   npx tsx bench/mapf-steps.ts [--steps 2000] [--env-steps 300] [--repeats 5] [--seed 1]
 */
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { Rng } from "../src/core/rng.ts";
import { mapfBaseline, shortestPathMapf } from "../src/envs/mapf/baselines.ts";
import { randomMap } from "../src/envs/mapf/generators.ts";
import { MapfEnv } from "../src/envs/mapf/mapf-env.ts";
import { MapfWorld } from "../src/envs/mapf/world.ts";

const { values } = parseArgs({
  options: {
    steps: { type: "string", default: "2000" },
    "env-steps": { type: "string", default: "300" },
    repeats: { type: "string", default: "5" },
    seed: { type: "string", default: "1" },
  },
});
const steps = Number(values.steps);
const envSteps = Number(values["env-steps"]);
const repeats = Number(values.repeats);
const seed = Number(values.seed);
const map = randomMap(64, 64, 0.2, new Rng(seed));

/**
 * Median agent-steps per second of `run` (which plays `agentSteps` agent-steps), after one
 * warm-up — per second of this process's CPU time (user + system), so that other processes on
 * a shared machine slow the wall clock but hardly the figure.
 */
function measure(agentSteps: number, run: () => void): number {
  run();
  const rates: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = process.cpuUsage();
    run();
    const used = process.cpuUsage(t0);
    rates.push(agentSteps / ((used.user + used.system) / 1e6));
  }
  return rates.sort((a, b) => a - b)[Math.floor(rates.length / 2)];
}

/**
 * The simulation alone: each agent steps to a closer free cell, else (blocked) to a random free
 * one — so it does not deadlock as pure shortest-path following does — one entrant per cell.
 */
function simulate(world: MapfWorld, n: number): void {
  const targets = new Int32Array(n);
  const reached = new Uint8Array(n);
  const claimed = new Int32Array(map.free.length);
  const rng = new Rng(seed);
  world.reset(rng);
  for (let t = 1; t <= steps; t++) {
    for (let i = 0; i < n; i++) {
      const dist = world.goalDistances(i);
      const here = world.position[i];
      let best = here;
      for (let a = 1; a <= 4; a++) {
        const c = world.target(i, a);
        if (c >= 0 && claimed[c] !== t && dist[c] < dist[best]) best = c;
      }
      if (best === here) {
        const c = world.target(i, 1 + rng.int(4));
        if (c >= 0 && claimed[c] !== t) best = c;
      }
      claimed[best] = t;
      targets[i] = best;
    }
    world.apply(targets, reached);
  }
}

/** The environment with observations, under a dispatcher, for `envSteps` steps. */
function playEnv(env: MapfEnv, name: string): void {
  const dispatcher = name === "shortest-path" ? shortestPathMapf : mapfBaseline(name)!;
  const rng = new Rng(seed);
  let obs = env.reset(seed);
  for (let t = 0; t < envSteps; t++) obs = env.step(dispatcher.act(env, obs, rng)).obs;
}

console.log(
  `mapf-steps: ${map.width}×${map.height} random map (20% obstacles, seed ${seed}), ` +
    `${cpus()[0]?.model ?? "cpu"}, load ${loadavg()[0].toFixed(2)}, one thread, per CPU second`,
);
console.log(
  "agents | simulation alone (its throughput) | env + observations (window 11) | WHCA* planning",
);
for (const n of [64, 256]) {
  const world = new MapfWorld(map, n);
  const sim = measure(n * steps, () => simulate(world, n));
  const goals = world.goalsReached.reduce((a, b) => a + b, 0);
  const env = new MapfEnv({ map, agents: n, steps: envSteps, window: 11 });
  const withObs = measure(n * envSteps, () => playEnv(env, "shortest-path"));
  const whcaEnv = new MapfEnv({ map, agents: n, steps: envSteps, window: 1 });
  const whca = measure(n * envSteps, () => playEnv(whcaEnv, "whca"));
  const fmt = (x: number) => `${(x / 1e6).toFixed(2)} M/s`;
  console.log(
    `${n} | ${fmt(sim)} (${(goals / steps).toFixed(2)} goals/step) | ${fmt(withObs)} | ` +
      `${fmt(whca)} (incl. a 1×1-window env)`,
  );
}
