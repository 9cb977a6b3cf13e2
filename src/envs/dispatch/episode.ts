/**
 * Run one episode of the simulator under a dispatcher: the loop every command, benchmark and
 * evaluation uses. Per-phase timings are collected for the benchmark's breakdown.
 */
import { assignPairs } from "./assign.ts";
import type { Candidates } from "./candidates.ts";
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

/** The dispatcher's pairs of this epoch (scoring and matching timed apart where they are). */
function choosePairs(
  dispatcher: Dispatcher,
  c: Candidates,
  sim: DispatchSimulator,
  lap: (key: keyof PhaseTimes) => void,
): Int32Array {
  if (dispatcher.choose) {
    const chosen = dispatcher.choose(c, sim.rng, sim);
    lap("scoringMs"); // scoring and matching in one call
    return chosen;
  }
  const scores = dispatcher.scores(c, sim.rng, sim);
  lap("scoringMs");
  const chosen = assignPairs(c, scores, dispatcher.assignment);
  lap("matchingMs");
  return chosen;
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
    const chosen = choosePairs(dispatcher, c, sim, lap);
    sim.assign(c, chosen);
    lap("insertionMs");
    onEpoch?.(sim.epoch);
  }
  sim.finish();
  lap("finishMs");
  return { metrics: episodeMetrics(sim), phases };
}
