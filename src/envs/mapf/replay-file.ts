/**
 * The type of replay.json (one MAPF episode, written by replay.ts), with no imports, so the
 * dashboard's browser app can import it at build time as it imports the dispatch event log's.
 *
 * Layout: `positions[t · agents + i]` is agent i's cell after t steps (t = 0 is the start),
 * `goals[t · agents + i]` the goal it holds then; a cell is `y · width + x`. `rows` draw the map
 * as the `.map` format does ('.' free, '@' obstacle).
 */
export const MAPF_REPLAY_FORMAT = "fleetrl-mapf-replay/1";

export interface MapfReplayFile {
  format: typeof MAPF_REPLAY_FORMAT;
  dispatcher: string;
  seed: number;
  map: { name: string; width: number; height: number; rows: string[] };
  agents: number;
  /** Steps of the episode; `recordedSteps` of them are in the arrays (fewer if it was long). */
  steps: number;
  recordedSteps: number;
  positions: number[];
  goals: number[];
  /** Goals reached on each recorded step (index t − 1 for step t). */
  goalsPerStep: number[];
  /** The episode's metrics (MapfMetrics of mapf-env.ts). */
  metrics: {
    steps: number;
    agents: number;
    goals: number;
    throughput: number;
    waitFraction: number;
    conflicts: number;
    fairness: number;
    goalsGini: number;
  };
}
