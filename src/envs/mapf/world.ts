/**
 * The state and the movement rule of lifelong multi-agent path finding, without observations:
 * agents on distinct free cells, a goal each, a new seeded goal on arrival. `MapfEnv` wraps it
 * in the `MultiAgentEnv` contract; the benchmark steps it alone.
 *
 * The movement rule (why no two agents ever share a cell or swap): a move is legal only into a
 * free neighbouring cell that NO agent occupies at the start of the step, and at most one agent
 * enters a cell per step. An agent that stays keeps a cell nobody may enter, so no vertex
 * conflict; a swap needs each agent to enter a cell the other occupies, so it is never legal;
 * and following the leader (entering a cell its occupant leaves in the same step) is not
 * allowed either: under the env contract any agent may end up passing, and a follower would
 * then land on it.
 */
import type { Rng } from "../../core/rng.ts";
import { DistanceCache } from "./distances.ts";
import { type GridMap, largestComponent } from "./grid-map.ts";

/** Actions in candidate order: wait, then the four moves. */
export const ACTIONS = ["wait", "up", "down", "left", "right"] as const;
export const WAIT = 0;

export class MapfWorld {
  readonly map: GridMap;
  readonly numAgents: number;
  /** Free cells of the map's largest connected region: where agents start and goals are drawn. */
  readonly cells: Int32Array;
  readonly distances: DistanceCache;
  /** Shape (n): each agent's cell and goal cell. */
  readonly position: Int32Array;
  readonly goal: Int32Array;
  /** Shape (cells): the agent on a cell, or −1. */
  readonly occupant: Int32Array;
  /** Shape (n): goals reached, steps spent not moving, steps since the last goal (or start). */
  readonly goalsReached: Int32Array;
  readonly waits: Int32Array;
  readonly sinceGoal: Int32Array;
  /** Steps taken since reset. */
  time = 0;
  private goalDist: Int32Array[] = [];
  private goalRng: Rng | null = null;
  private readonly entered: Int32Array; // per cell: the step it was last entered (+1)

  constructor(map: GridMap, numAgents: number, distances?: DistanceCache) {
    this.map = map;
    this.numAgents = numAgents;
    this.cells = largestComponent(map);
    if (!Number.isInteger(numAgents) || numAgents < 1 || numAgents >= this.cells.length)
      throw new RangeError(
        `agents: expected an integer in 1..${this.cells.length - 1} for map ${map.name} ` +
          `(its largest connected region has ${this.cells.length} free cells)`,
      );
    this.distances = distances ?? new DistanceCache(map);
    this.position = new Int32Array(numAgents);
    this.goal = new Int32Array(numAgents);
    this.occupant = new Int32Array(map.free.length).fill(-1);
    this.goalsReached = new Int32Array(numAgents);
    this.waits = new Int32Array(numAgents);
    this.sinceGoal = new Int32Array(numAgents);
    this.entered = new Int32Array(map.free.length);
  }

  /**
   * Distinct seeded start cells and a goal each (never the start cell). `fixed` places the
   * agents and their first goals instead (worked examples); later goals are drawn as usual.
   */
  reset(rng: Rng, fixed?: { starts: ArrayLike<number>; goals: ArrayLike<number> }): void {
    const pool = this.cells.slice();
    this.occupant.fill(-1);
    this.entered.fill(0);
    const starts = rng.split("starts");
    for (let i = 0; i < this.numAgents; i++) {
      const j = i + starts.int(pool.length - i); // partial Fisher–Yates: distinct cells
      const c = fixed ? fixed.starts[i] : pool[j];
      pool[j] = pool[i];
      pool[i] = c;
      this.position[i] = c;
      this.occupant[c] = i;
    }
    this.goalRng = rng.split("goals");
    for (let i = 0; i < this.numAgents; i++) {
      if (fixed) this.setGoal(i, fixed.goals[i]);
      else this.newGoal(i);
    }
    if (fixed) this.checkFixed(fixed.starts.length, fixed.goals.length);
    this.goalsReached.fill(0);
    this.waits.fill(0);
    this.sinceGoal.fill(0);
    this.time = 0;
  }

  /** Distance map of agent i's goal (shared; do not modify). */
  goalDistances(i: number): Int32Array {
    return this.goalDist[i];
  }

  /**
   * The cell agent i reaches by `action`, or −1 if the move is not legal now (off the map, an
   * obstacle, or a cell some agent occupies). Wait gives its own cell.
   */
  target(i: number, action: number): number {
    const c = this.position[i];
    const { width, free } = this.map;
    let t: number;
    if (action === WAIT) return c;
    if (action === 1) t = c >= width ? c - width : -1;
    else if (action === 2) t = c + width < free.length ? c + width : -1;
    else if (action === 3) t = c % width > 0 ? c - 1 : -1;
    else t = c % width < width - 1 ? c + 1 : -1;
    return t >= 0 && free[t] === 1 && this.occupant[t] < 0 ? t : -1;
  }

  /**
   * Move every agent to `targets[i]` (its own cell = wait). Each target must be legal
   * (`target`) and entered by one agent at most; a breach is a bug of the caller and throws
   * before anything moves. Agents on their goal afterwards score it and get a new goal.
   * Writes 1 per agent that reached its goal to `reached`; returns the number of goals reached.
   */
  apply(targets: Int32Array, reached: Uint8Array): number {
    const n = this.numAgents;
    const stamp = this.time + 1;
    for (let i = 0; i < n; i++) {
      const t = targets[i];
      if (t === this.position[i]) continue;
      if (!this.isNeighbourMove(i, t) || this.entered[t] === stamp)
        throw new Error(`MapfWorld: agent ${i} cannot enter cell ${t} at step ${this.time}`);
      this.entered[t] = stamp;
    }
    let goals = 0;
    for (let i = 0; i < n; i++) {
      const t = targets[i];
      const from = this.position[i];
      if (t === from) this.waits[i]++;
      else {
        if (this.occupant[from] === i) this.occupant[from] = -1;
        this.occupant[t] = i;
        this.position[i] = t;
      }
      reached[i] = 0;
      this.sinceGoal[i]++;
      if (this.position[i] === this.goal[i]) {
        reached[i] = 1;
        goals++;
        this.goalsReached[i]++;
        this.sinceGoal[i] = 0;
        this.newGoal(i);
      }
    }
    this.time++;
    return goals;
  }

  private isNeighbourMove(i: number, t: number): boolean {
    for (let a = 1; a < ACTIONS.length; a++) if (this.target(i, a) === t) return true;
    return false;
  }

  /** A uniformly drawn cell of the region other than the agent's own. */
  private newGoal(i: number): void {
    const rng = this.goalRng!;
    let g = this.position[i];
    while (g === this.position[i]) g = this.cells[rng.int(this.cells.length)];
    this.setGoal(i, g);
  }

  private setGoal(i: number, g: number): void {
    this.goal[i] = g;
    this.goalDist[i] = this.distances.get(g);
  }

  /** Fixed starts: one per agent, distinct, in the region; goals in the region, not the start. */
  private checkFixed(starts: number, goals: number): void {
    const n = this.numAgents;
    if (starts !== n || goals !== n)
      throw new RangeError(`starts, goals: expected ${n} cells each (got ${starts}, ${goals})`);
    const inRegion = new Set(this.cells);
    const seen = new Set<number>();
    for (let i = 0; i < n; i++) {
      const [s, g] = [this.position[i], this.goal[i]];
      if (!inRegion.has(s) || seen.has(s) || !inRegion.has(g) || g === s)
        throw new RangeError(
          `starts, goals: agent ${i} (start ${s}, goal ${g}): expected distinct starts and ` +
            "goals other than the start, all in the largest free region",
        );
      seen.add(s);
    }
  }
}
