/**
 * A replay of one MAPF episode for the report and the dashboard: the map, and every agent's cell
 * and goal at every step — `replay.json` of a `simulate --env mapf` run, or beside a checkpoint
 * after `eval --env mapf`. Its type is in replay-file.ts (no imports, for the browser app).
 */
import { Rng } from "../../core/rng.ts";
import type { MapfDispatcher } from "./baselines.ts";
import type { GridMap } from "./grid-map.ts";
import type { MapfEnv } from "./mapf-env.ts";
import { MAPF_REPLAY_FORMAT, type MapfReplayFile } from "./replay-file.ts";

export { MAPF_REPLAY_FORMAT, type MapfReplayFile };

/** Most (steps + 1) × agents cells a replay records; longer episodes are recorded in part. */
export const MAX_REPLAY_CELLS = 2_000_000;

/** The map as `.map` rows. @example mapRows({ name: "m", width: 2, height: 1, free: Uint8Array.of(1, 0) }) // [".@"] */
export function mapRows(map: GridMap): string[] {
  const rows: string[] = [];
  for (let y = 0; y < map.height; y++) {
    let row = "";
    for (let x = 0; x < map.width; x++) row += map.free[y * map.width + x] ? "." : "@";
    rows.push(row);
  }
  return rows;
}

/** One episode from `reset(seed)` under `dispatcher`, recorded step by step. */
export function recordMapfEpisode(
  env: MapfEnv,
  dispatcher: MapfDispatcher,
  seed: number,
  onStep?: (step: number, total: number) => void,
): MapfReplayFile {
  const rng = new Rng(seed).split(`mapf-dispatcher-${dispatcher.name}`);
  let obs = env.reset(seed);
  const world = env.state;
  const n = world.numAgents;
  const maxSteps = Math.max(0, Math.floor(MAX_REPLAY_CELLS / n) - 1);
  const positions: number[] = [...world.position];
  const goals: number[] = [...world.goal];
  const goalsPerStep: number[] = [];
  const total = env.options.steps;
  for (let step = 1; ; step++) {
    const result = env.step(dispatcher.act(env, obs, rng));
    if (step <= maxSteps) {
      positions.push(...world.position);
      goals.push(...world.goal);
      goalsPerStep.push(Number(result.infos.extra?.goals ?? 0));
    }
    onStep?.(step, total);
    if (result.truncations[0] === 1 || result.terminations[0] === 1) break;
    obs = result.obs;
  }
  const { map } = world;
  return {
    format: MAPF_REPLAY_FORMAT,
    dispatcher: dispatcher.name,
    seed,
    map: { name: map.name, width: map.width, height: map.height, rows: mapRows(map) },
    agents: n,
    steps: world.time,
    recordedSteps: goalsPerStep.length,
    positions,
    goals,
    goalsPerStep,
    metrics: env.metrics(),
  };
}
