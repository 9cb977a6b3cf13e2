/**
 * Run one episode of the simulator under a dispatcher: the loop every command, benchmark and
 * evaluation uses. Per-phase timings are collected for the benchmark's breakdown.
 */
import { assignPairs } from "./assign.ts";
import type { Dispatcher } from "./dispatchers.ts";
import { type EpisodeMetrics, episodeMetrics } from "./metrics.ts";
import type { DispatchSimulator } from "./simulator.ts";

export interface PhaseTimes {
  movementMs: number;
  candidatesMs: number;
  scoringMs: number;
  matchingMs: number;
  insertionMs: number;
  finishMs: number;
}

export interface EpisodeResult {
  metrics: EpisodeMetrics;
  phases: PhaseTimes;
}

export function runEpisode(
  sim: DispatchSimulator,
  dispatcher: Dispatcher,
  seed: number,
  onEpoch?: (epoch: number) => void,
): EpisodeResult {
  const phases: PhaseTimes = {
    movementMs: 0,
    candidatesMs: 0,
    scoringMs: 0,
    matchingMs: 0,
    insertionMs: 0,
    finishMs: 0,
  };
  let t = performance.now();
  const lap = (key: keyof PhaseTimes) => {
    const now = performance.now();
    phases[key] += now - t;
    t = now;
  };
  sim.reset(seed);
  lap("movementMs");
  while (!sim.done) {
    sim.advance();
    lap("movementMs");
    const c = sim.candidates();
    lap("candidatesMs");
    const scores = dispatcher.scores(c, sim.rng, sim);
    lap("scoringMs");
    const chosen = assignPairs(c, scores, dispatcher.assignment);
    lap("matchingMs");
    sim.assign(c, chosen);
    lap("insertionMs");
    onEpoch?.(sim.epoch);
  }
  sim.finish();
  lap("finishMs");
  return { metrics: episodeMetrics(sim), phases };
}
