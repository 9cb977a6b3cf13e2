/**
 * `eval`: a trained policy against the non-learning dispatchers on held-out hours of the day,
 * over several seeds, mean ± 95% CI per hour. Every dispatcher sees the same episodes (same
 * seeds ⇒ same demand and the same initial fleet), so the comparison is paired.
 */
import { existsSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { MatchWeight } from "../algorithms/joint-action.ts";
import { UserError } from "../core/errors.ts";
import { RUN_FILES } from "../core/run-layout.ts";
import { meanCi95 } from "../core/stats.ts";
import type { DispatchConfig } from "../envs/dispatch/config.ts";
import type { Dispatcher } from "../envs/dispatch/dispatchers.ts";
import {
  addOrderDistributions,
  emptyDistributions,
  type OrderDistributions,
} from "../envs/dispatch/distributions.ts";
import { runEpisode } from "../envs/dispatch/episode.ts";
import type { EpisodeMetrics } from "../envs/dispatch/metrics.ts";
import { DispatchSimulator } from "../envs/dispatch/simulator.ts";
import { type LoadedWorld, loadWorld } from "../envs/dispatch/world.ts";
import { trainConfigOf } from "../training/checkpoint.ts";
import { findDispatcher } from "./policy-dispatcher.ts";
import { readRunConfig } from "./run-config.ts";

/** Evaluation seeds are far from training (0…) and in-training evaluation (100,000…) seeds. */
export const EVAL_SEED_BASE = 200_000;

export interface EvalOptions {
  checkpoint: string;
  hours: number[];
  seeds: number;
  /** Non-learning dispatchers to compare against. */
  baselines: string[];
  /** Environment options; default the checkpoint's run config (its config.json), else defaults. */
  env: DispatchConfig;
  demand?: string;
  /** How the policy's joint action is matched; default: as it was trained. */
  matchWeight?: MatchWeight;
  onEpisode?: (done: number, total: number) => void;
}

export interface MetricSummary {
  mean: number;
  ci95: number;
}

export interface EvalRow {
  hour: number;
  dispatcher: string;
  episodes: number;
  reward: MetricSummary;
  served: MetricSummary;
  serviceRate: MetricSummary;
  /** Request → assignment. */
  confirmationS: MetricSummary;
  pickupS: MetricSummary;
  detourS: MetricSummary;
  incomeGini: MetricSummary;
}

export interface EvalResult {
  checkpoint: string;
  /** The trained policy's name in tables: its algorithm and run, e.g. "GRPO (runs/grpo-0, best)". */
  policy: string;
  seeds: number[];
  rows: EvalRow[];
  /** Aligned with `rows`: per (hour, dispatcher) distributions over the seeds. */
  distributions: OrderDistributions[];
}

/**
 * The environment options a checkpoint was trained with, if its run directory says; a policy of
 * another environment than dispatch is refused (mapf policies play through mapf-evaluate.ts).
 */
export function envOfCheckpoint(checkpoint: string): DispatchConfig | null {
  const dir = dirname(checkpoint);
  if (!existsSync(join(dir, RUN_FILES.config))) return null;
  const run = readRunConfig(dir);
  if (run.environment !== "dispatch")
    throw new UserError(
      run.environment === "mapf"
        ? `${checkpoint}: a policy of the mapf environment, not of dispatch (play it with --env mapf)`
        : `${checkpoint}: a policy of the ${run.environment} environment; only dispatch policies can be played here (train --env ${run.environment} evaluates it during training)`,
    );
  return run.env as DispatchConfig;
}

export async function evaluate(o: EvalOptions): Promise<EvalResult> {
  if (!existsSync(o.checkpoint)) throw new UserError(`${o.checkpoint}: no such checkpoint`);
  const seeds = Array.from({ length: o.seeds }, (_, i) => EVAL_SEED_BASE + i);
  const base: DispatchConfig = { ...o.env, sampleFraction: o.env.evalSampleFraction };
  const world = await loadWorld(base, { demandFile: o.demand });
  const dispatchers: Dispatcher[] = [
    await findDispatcher(`policy:${o.checkpoint}`, world, o.matchWeight),
  ];
  for (const name of o.baselines) dispatchers.push(await findDispatcher(name, world));
  const runs = playEpisodes(world, base, dispatchers, o.hours, seeds, o.onEpisode);
  const rows = runs.map((r) => summarise(r.hour, r.dispatcher, r.metrics));
  return {
    checkpoint: o.checkpoint,
    policy: policyLabel(o.checkpoint),
    seeds,
    rows,
    distributions: runs.map((r) => r.distributions),
  };
}

/** "GRPO (run grpo-0, best)": the algorithm stored in the file and the run folder it sits in. */
export function policyLabel(checkpoint: string): string {
  const algo = trainConfigOf(checkpoint)?.algo.toUpperCase() ?? "policy";
  const file = basename(checkpoint).replace(/\.safetensors$/, "");
  return `${algo} (run ${basename(dirname(resolve(checkpoint)))}, ${file})`;
}

export interface EpisodeRuns {
  hour: number;
  /** "policy" for a `policy:<path>` dispatcher, else the dispatcher's name. */
  dispatcher: string;
  /** One episode per seed, in seed order. */
  metrics: EpisodeMetrics[];
  /** Pickup-time and detour histograms and served / lost orders per zone, over the seeds. */
  distributions: OrderDistributions;
}

/**
 * Every dispatcher on every (hour, seed) episode of `base` with the start hour replaced, hour by
 * hour (each hour's travel-time tables are released after it). Evaluation replays the share
 * `base.sampleFraction` of the window's trips (the callers pass `evalSampleFraction`, default 1:
 * every trip, so the seeds vary the initial fleet only).
 */
export function playEpisodes(
  world: LoadedWorld,
  base: DispatchConfig,
  dispatchers: readonly Dispatcher[],
  hours: readonly number[],
  seeds: readonly number[],
  onEpisode?: (done: number, total: number) => void,
): EpisodeRuns[] {
  const runs: EpisodeRuns[] = [];
  const total = hours.length * dispatchers.length * seeds.length;
  let done = 0;
  for (const hour of hours) {
    const config: DispatchConfig = { ...base, startHour: hour };
    for (const dispatcher of dispatchers) {
      const distributions = emptyDistributions();
      const metrics = seeds.map((seed) => {
        const sim = new DispatchSimulator(world, config);
        const m = runEpisode(sim, dispatcher, seed).metrics;
        addOrderDistributions(distributions, sim.orders, world.city.nodeZone);
        onEpisode?.(++done, total);
        return m;
      });
      const name = dispatcher.name.startsWith("policy:") ? "policy" : dispatcher.name;
      runs.push({ hour, dispatcher: name, metrics, distributions });
    }
    world.releaseHour(hour);
  }
  return runs;
}

export function summarise(hour: number, dispatcher: string, m: EpisodeMetrics[]): EvalRow {
  const s = (f: (x: EpisodeMetrics) => number): MetricSummary => {
    const ci = meanCi95(m.map(f));
    return { mean: ci.mean, ci95: ci.half };
  };
  return {
    hour,
    dispatcher,
    episodes: m.length,
    reward: s((x) => x.episodeReward),
    served: s((x) => x.served),
    serviceRate: s((x) => x.serviceRate),
    confirmationS: s((x) => x.meanConfirmationS),
    pickupS: s((x) => x.meanPickupS),
    detourS: s((x) => x.meanDetourS),
    incomeGini: s((x) => x.incomeGini),
  };
}
