/**
 * `eval --env mapf`: a trained MAPF policy against the baselines on held-out maps — generated
 * kinds drawn from evaluation seeds (maps the training never saw) and benchmark `.map` files —
 * over several episodes, mean ± 95% CI per map. Every controller plays the same episodes (same
 * seed ⇒ same map, starts and goal sequence), so the comparison is paired.
 */
import { basename } from "node:path";
import { meanCi95 } from "../core/stats.ts";
import type { MapfDispatcher } from "../envs/mapf/baselines.ts";
import { runMapfEpisode } from "../envs/mapf/baselines.ts";
import { type MapfTrainConfig, mapfEnvOf } from "../envs/mapf/entry.ts";
import type { MapfEnv, MapfMetrics } from "../envs/mapf/mapf-env.ts";
import { type MapfReplayFile, recordMapfEpisode } from "../envs/mapf/replay.ts";
import { EVAL_SEED_BASE, type MetricSummary, policyLabel } from "./evaluate.ts";
import { findMapfDispatcher } from "./mapf-policy.ts";

export const MAPF_METRICS = [
  "throughput",
  "goals",
  "waitFraction",
  "fairness",
  "conflicts",
] as const;
export type MapfMetricName = (typeof MAPF_METRICS)[number];

export interface MapfEvalRow {
  map: string;
  /** "policy" for the checkpoint, else the controller's name. */
  dispatcher: string;
  episodes: number;
  metrics: Record<MapfMetricName, MetricSummary>;
  /** Throughput of each episode, in seed order. */
  throughputs: number[];
}

export interface MapfEvalResult {
  environment: "mapf";
  checkpoint: string;
  policy: string;
  seeds: number[];
  maps: string[];
  agents: number;
  steps: number;
  rows: MapfEvalRow[];
}

export interface MapfEvalOptions {
  checkpoint: string;
  /** Map kinds (random, maze, …) or `.map` files. */
  maps: string[];
  seeds: number;
  baselines: string[];
  /** Environment options (agents, steps, window, generator values): default the training run's. */
  env: MapfTrainConfig;
  onEpisode?: (done: number, total: number) => void;
}

/** A map's name in tables: a kind as it is, a file by its base name without `.map`. */
export function mapLabel(map: string): string {
  return map.endsWith(".map") ? basename(map, ".map") : map;
}

/** Seeds of evaluation episodes `first`, …, `first + count − 1` (far from training seeds). */
export function mapfEvalSeeds(count: number, first = 0): number[] {
  return Array.from({ length: count }, (_, i) => EVAL_SEED_BASE + first + i);
}

export async function evaluateMapf(o: MapfEvalOptions): Promise<MapfEvalResult> {
  const seeds = mapfEvalSeeds(o.seeds);
  const names = [`policy:${o.checkpoint}`, ...o.baselines];
  const total = o.maps.length * names.length * seeds.length;
  let done = 0;
  const rows: MapfEvalRow[] = [];
  for (const map of o.maps) {
    const env = mapfEnvOf(map, o.env);
    for (const name of names) {
      const dispatcher = await findMapfDispatcher(name, env);
      const metrics = playMapf(env, dispatcher, seeds, () => o.onEpisode?.(++done, total));
      rows.push(
        summariseMapf(mapLabel(map), name.startsWith("policy:") ? "policy" : name, metrics),
      );
    }
  }
  return {
    environment: "mapf",
    checkpoint: o.checkpoint,
    policy: policyLabel(o.checkpoint),
    seeds,
    maps: o.maps.map(mapLabel),
    agents: o.env.agents,
    steps: o.env.steps,
    rows,
  };
}

/**
 * The policy's episode on `map` from `seed`, recorded step by step (replay.json beside the
 * checkpoint: what the report and the dashboard replay for a training run).
 */
export async function policyReplay(
  checkpoint: string,
  map: string,
  env: MapfTrainConfig,
  seed: number,
): Promise<MapfReplayFile> {
  const played = mapfEnvOf(map, env);
  return recordMapfEpisode(played, await findMapfDispatcher(`policy:${checkpoint}`, played), seed);
}

/** One episode per seed of `env` under `dispatcher`, in seed order. */
export function playMapf(
  env: MapfEnv,
  dispatcher: MapfDispatcher,
  seeds: readonly number[],
  onEpisode?: () => void,
): MapfMetrics[] {
  return seeds.map((seed) => {
    const m = runMapfEpisode(env, dispatcher, seed);
    onEpisode?.();
    return m;
  });
}

export function summariseMapf(map: string, dispatcher: string, m: MapfMetrics[]): MapfEvalRow {
  const metrics = {} as Record<MapfMetricName, MetricSummary>;
  for (const key of MAPF_METRICS) {
    const ci = meanCi95(m.map((x) => x[key]));
    metrics[key] = { mean: ci.mean, ci95: ci.half };
  }
  return { map, dispatcher, episodes: m.length, metrics, throughputs: m.map((x) => x.throughput) };
}
