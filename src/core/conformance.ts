/**
 * Conformance checker for `MultiAgentEnv` (the counterpart of PettingZoo's parallel_api_test):
 * plays seeded random episodes, including deliberate conflicts and garbage actions for inactive
 * agents, and checks every promise of the contract in `env.ts`. Every environment must pass it.
 *
 * @example
 * const report = checkEnv(() => new TinyDispatchEnv(), { seeds: [0, 1, 2] });
 * if (report.problems.length > 0) console.error(report.problems.join("\n"));
 * assertEnvConforms(() => new TinyDispatchEnv()); // or: throw with a readable report
 */
import {
  candidateCount,
  claimsOf,
  type EnvSpec,
  episodeOver,
  type MultiAgentEnv,
  type Observation,
  PASS,
  type StepResult,
} from "./env.ts";
import { Rng } from "./rng.ts";

export interface CheckEnvOptions {
  /** Episode seeds; each is played twice in lockstep. At least 2 (to see seeds differ). Default [0, 1, 2]. */
  seeds?: readonly number[];
  /** An episode that has not ended after this many steps is a problem. Default 10,000. */
  maxSteps?: number;
  /** Seed of the checker's own random joint actions (restarted for every episode). Default 12345. */
  actionSeed?: number;
  /** Probability that an active agent with candidates passes. Default 0.3. */
  passProbability?: number;
}

export interface EnvCheckReport {
  /** Human-readable contract violations; empty when the environment conforms. */
  readonly problems: string[];
  /** Episodes and steps played (counting each lockstep pair once). */
  readonly episodes: number;
  readonly steps: number;
  /** Steps in which two agents deliberately picked candidates claiming one resource (0 = rule not exercised). */
  readonly conflictsExercised: number;
}

/** Thrown by `assertEnvConforms`; the message lists every problem found. */
export class EnvConformanceError extends Error {
  override name = "EnvConformanceError";
}

const MAX_PROBLEMS = 40;

/** Play seeded episodes of fresh environments from `makeEnv` and list contract violations. */
export function checkEnv(
  makeEnv: () => MultiAgentEnv,
  options: CheckEnvOptions = {},
): EnvCheckReport {
  const seeds = options.seeds ?? [0, 1, 2];
  const maxSteps = options.maxSteps ?? 10_000;
  const passProbability = options.passProbability ?? 0.3;
  const problems = new ProblemList();
  const stats = { episodes: 0, steps: 0, conflictsExercised: 0 };
  const report = (): EnvCheckReport => ({ problems: problems.items, ...stats });
  if (seeds.length < 2) throw new RangeError("checkEnv: options.seeds needs at least 2 seeds");

  const first = guard(problems, "makeEnv()", makeEnv);
  if (first === undefined) return report();
  checkSpec(first.spec, problems);
  if (problems.items.length > 0) return report();
  const spec = first.spec;
  const n = spec.numAgents;

  expectThrow(problems, "step() before reset()", () => first.step(passAll(n)));

  const traces: Trace[] = [];
  for (const seed of seeds) {
    // The same action stream for every seed: an environment that ignores its seed then plays
    // identical episodes, which the seed check below detects.
    const rng = new Rng(options.actionSeed ?? 12345);
    const trace = playLockstep(makeEnv, seed, { spec, maxSteps, passProbability, rng }, problems);
    if (trace === undefined) return report();
    traces.push(trace);
    stats.episodes++;
    stats.steps += trace.actions.length;
    stats.conflictsExercised += trace.conflictsExercised;
  }

  // The same instance, reset again with the first seed, must replay the first episode exactly.
  const replay = replayTrace(first, seeds[0], traces[0], problems);
  if (replay !== undefined) {
    const diff = diffTraces(traces[0].snapshots, replay);
    if (diff) problems.add(`seed ${seeds[0]}: a second reset() of one instance differs: ${diff}`);
  }
  if (traces.every((t) => diffTraces(traces[0].snapshots, t.snapshots) === null)) {
    problems.add(
      `seeds ${seeds.join(", ")} all give identical episodes: reset(seed) ignores the seed`,
    );
  }

  checkInvalidActions(makeEnv, seeds[0], traces[0], problems);
  return report();
}

/** Like `checkEnv`, but throw `EnvConformanceError` listing the problems, if any. */
export function assertEnvConforms(
  makeEnv: () => MultiAgentEnv,
  options: CheckEnvOptions = {},
): EnvCheckReport {
  const report = checkEnv(makeEnv, options);
  if (report.problems.length > 0) {
    throw new EnvConformanceError(
      `environment fails the MultiAgentEnv contract (${report.problems.length} problem(s)):\n` +
        report.problems.map((p) => `  - ${p}`).join("\n"),
    );
  }
  return report;
}

// ---------------------------------------------------------------------------------------------

interface Trace {
  /** Joint actions given to the reference instance, per step. */
  actions: Int32Array[];
  /** Snapshot after reset, then after each step. */
  snapshots: Snapshot[];
  conflictsExercised: number;
}

type Snapshot = Record<string, ArrayLike<number>>;

interface PlayContext {
  spec: EnvSpec;
  maxSteps: number;
  passProbability: number;
  rng: Rng;
}

/**
 * Run two fresh instances with the same seed side by side. Instance B gets garbage in inactive
 * agents' action slots; both must produce identical observations, rewards and infos.
 */
function playLockstep(
  makeEnv: () => MultiAgentEnv,
  seed: number,
  ctx: PlayContext,
  problems: ProblemList,
): Trace | undefined {
  const where = `seed ${seed}`;
  const a = guard(problems, `${where}: makeEnv()`, makeEnv);
  const b = guard(problems, `${where}: makeEnv()`, makeEnv);
  if (a === undefined || b === undefined) return undefined;
  const n = ctx.spec.numAgents;
  const obsA = guard(problems, `${where}: reset()`, () => a.reset(seed));
  const obsB = guard(problems, `${where}: reset()`, () => b.reset(seed));
  if (obsA === undefined || obsB === undefined) return undefined;
  if (!checkObservation(obsA, ctx.spec, `${where}: reset()`, problems)) return undefined;
  const trace: Trace = { actions: [], snapshots: [], conflictsExercised: 0 };
  const snapA = snapshot(obsA, a.globalState());
  checkGlobalState(snapA.globalState, ctx.spec, `${where}: after reset()`, problems);
  trace.snapshots.push(snapA);
  let diff = diffSnapshots(snapA, snapshot(obsB, b.globalState()));
  if (diff) problems.add(`${where}: two instances reset with the same seed differ: ${diff}`);

  let obs = obsA;
  let prevTime = 0;
  const doneBefore = new Uint8Array(n);
  for (let t = 0; t < ctx.maxSteps; t++) {
    const at = `${where}: step ${t}`;
    const { actions, conflict } = randomActions(obs, ctx.rng, ctx.passProbability);
    if (conflict) trace.conflictsExercised++;
    const garbage = actions.slice();
    for (let i = 0; i < n; i++) if (obs.active[i] === 0) garbage[i] = i % 2 === 0 ? -7 : 1_000_003;
    trace.actions.push(actions.slice());
    // What the actions should do, read before stepping: the contract lets step() reuse the
    // observation's buffers.
    const expected = expectedEffective(obs, actions);
    const wasActive = obs.active.slice();
    const ra = guard(problems, at, () => a.step(actions.slice()));
    const rb = guard(problems, `${at} (inactive agents given garbage actions)`, () =>
      b.step(garbage),
    );
    if (ra === undefined || rb === undefined) return undefined;
    if (!checkStepResult(ra, ctx.spec, at, problems)) return undefined;
    if (!checkObservation(ra.obs, ctx.spec, at, problems)) return undefined;
    checkEffective(ra, expected, wasActive, actions, at, problems);
    if (t === 0 && Math.abs(ra.infos.time - ra.infos.dt) > 1e-6 * Math.max(1, ra.infos.dt)) {
      problems.add(`${at}: infos.time ${ra.infos.time} ≠ dt ${ra.infos.dt} after the first step`);
    }
    if (
      t > 0 &&
      Math.abs(ra.infos.time - (prevTime + ra.infos.dt)) > 1e-6 * Math.max(1, prevTime)
    ) {
      problems.add(
        `${at}: infos.time ${ra.infos.time} ≠ previous time ${prevTime} + dt ${ra.infos.dt}`,
      );
    }
    prevTime = ra.infos.time;
    for (let i = 0; i < n; i++) {
      const done = ra.terminations[i] === 1 || ra.truncations[i] === 1;
      if (doneBefore[i] && !done) problems.add(`${at}: agent ${i} was done and is no longer`);
      if (done && ra.obs.active[i] === 1)
        problems.add(`${at}: agent ${i} is terminated/truncated but still active`);
      if (done) doneBefore[i] = 1;
    }
    const snapA = snapshotStep(ra, a.globalState());
    checkGlobalState(snapA.globalState, ctx.spec, at, problems);
    trace.snapshots.push(snapA);
    diff = diffSnapshots(snapA, snapshotStep(rb, b.globalState()));
    if (diff) {
      problems.add(
        `${at}: two instances with the same seed and the same actions for active agents differ ` +
          `(non-deterministic, or inactive agents' actions not ignored): ${diff}`,
      );
    }
    if (episodeOver(ra)) {
      expectThrow(problems, `${where}: step() after the episode ended`, () => a.step(passAll(n)));
      return trace;
    }
    obs = ra.obs;
  }
  problems.add(`${where}: episode not over after ${ctx.maxSteps} steps (options.maxSteps)`);
  return undefined;
}

/** Reset `env` with `seed` and replay the recorded actions; return the snapshots. */
function replayTrace(
  env: MultiAgentEnv,
  seed: number,
  trace: Trace,
  problems: ProblemList,
): Snapshot[] | undefined {
  const obs = guard(problems, `seed ${seed}: replay reset()`, () => env.reset(seed));
  if (obs === undefined) return undefined;
  const out = [snapshot(obs, env.globalState())];
  for (const [t, actions] of trace.actions.entries()) {
    const r = guard(problems, `seed ${seed}: replay step ${t}`, () => env.step(actions.slice()));
    if (r === undefined) return undefined;
    out.push(snapshotStep(r, env.globalState()));
  }
  return out;
}

/**
 * Out-of-range indices and a wrong length must throw an error naming the agent, and leave the
 * state untouched: the recorded first step must still follow.
 */
function checkInvalidActions(
  makeEnv: () => MultiAgentEnv,
  seed: number,
  trace: Trace,
  problems: ProblemList,
): void {
  const env = guard(problems, "makeEnv()", makeEnv);
  let obs = env && guard(problems, `seed ${seed}: reset()`, () => env.reset(seed));
  if (env === undefined || obs === undefined) return;
  const n = env.spec.numAgents;
  // Follow the recorded episode to the first observation with an active agent.
  let t = 0;
  while (obs.active.indexOf(1) < 0 && t < trace.actions.length) {
    const actions = trace.actions[t];
    const r = guard(problems, `seed ${seed}: replay step ${t}`, () => env.step(actions.slice()));
    if (r === undefined) return;
    obs = r.obs;
    t++;
  }
  const agent = obs.active.indexOf(1);
  if (agent < 0 || t === trace.actions.length) {
    problems.add(`seed ${seed}: no agent is ever active; cannot test invalid actions`);
    return;
  }
  const count = candidateCount(obs, agent);
  for (const bad of [count, -2]) {
    const actions = passAll(n);
    actions[agent] = bad;
    const err = expectThrow(
      problems,
      `step ${t}: action ${bad} for agent ${agent} (${count} candidates)`,
      () => env.step(actions),
    );
    if (err && !err.message.includes(String(agent))) {
      problems.add(
        `the error for an invalid action of agent ${agent} does not name it: "${err.message}"`,
      );
    }
  }
  expectThrow(problems, `a joint action of length ${n + 1}`, () => env.step(passAll(n + 1)));
  const r = guard(problems, `seed ${seed}: step ${t} after rejected actions`, () =>
    env.step(trace.actions[t].slice()),
  );
  if (r === undefined) return;
  const diff = diffSnapshots(trace.snapshots[t + 1], snapshotStep(r, env.globalState()));
  if (diff) problems.add(`seed ${seed}: a rejected step changed the state: ${diff}`);
}

/** Random legal joint action; with probability 1/2 agents whose candidates share a resource all pick them. */
function randomActions(
  obs: Observation,
  rng: Rng,
  passProbability: number,
): { actions: Int32Array; conflict: boolean } {
  const n = obs.active.length;
  const actions = passAll(n);
  for (let i = 0; i < n; i++) {
    const count = candidateCount(obs, i);
    if (obs.active[i] === 1 && count > 0 && !rng.bernoulli(passProbability))
      actions[i] = rng.int(count);
  }
  if ((obs.candId === undefined && obs.candClaims === undefined) || !rng.bernoulli(0.5))
    return { actions, conflict: false };
  const owners = new Map<number, number[]>(); // resource → [agent, local, agent, local, …]
  for (let i = 0; i < n; i++) {
    if (obs.active[i] === 0) continue;
    for (let k = obs.candPtr[i]; k < obs.candPtr[i + 1]; k++) {
      for (const id of claimsOf(obs, k)) {
        const list = owners.get(id) ?? [];
        // one candidate per agent and resource
        if (list.at(-2) !== i) list.push(i, k - obs.candPtr[i]);
        owners.set(id, list);
      }
    }
  }
  const shared = [...owners.values()].filter((list) => list.length >= 4);
  if (shared.length === 0) return { actions, conflict: false };
  const list = shared[rng.int(shared.length)];
  for (let j = 0; j < list.length; j += 2) actions[list[j]] = list[j + 1];
  return { actions, conflict: true };
}

/** The contract's conflict rule, written independently of env-actions.ts. */
function expectedEffective(obs: Observation, actions: Int32Array): Int32Array {
  const n = obs.active.length;
  const out = passAll(n);
  const held = new Set<number>(); // resources of the actions that took effect so far
  for (let i = 0; i < n; i++) {
    if (obs.active[i] === 0 || actions[i] === PASS) continue;
    const claims = Array.from(claimsOf(obs, obs.candPtr[i] + actions[i]));
    if (claims.some((id) => held.has(id))) continue;
    for (const id of claims) held.add(id);
    out[i] = actions[i];
  }
  return out;
}

/** `infos.effective` and `infos.conflicts` must follow the contract's rule exactly. */
function checkEffective(
  r: StepResult,
  expected: Int32Array,
  wasActive: Uint8Array,
  actions: Int32Array,
  at: string,
  problems: ProblemList,
): void {
  const { effective, conflicts } = r.infos;
  let losers = 0;
  for (let i = 0; i < expected.length; i++) {
    if (effective[i] !== expected[i]) {
      problems.add(
        `${at}: infos.effective[${i}] = ${effective[i]}, expected ${expected[i]} ` +
          "(passes, inactive agents and conflict losers are PASS; in id order, an action takes effect unless a lower id's holds one of its resources)",
      );
      return;
    }
    if (wasActive[i] === 1 && actions[i] !== PASS && expected[i] === PASS) losers++;
  }
  if (conflicts !== losers)
    problems.add(
      `${at}: infos.conflicts = ${conflicts}, expected ${losers} (agents that lost a resource)`,
    );
}

function checkSpec(spec: EnvSpec | undefined, problems: ProblemList): void {
  if (spec === undefined || spec === null) {
    problems.add("env.spec is missing");
    return;
  }
  const ints: [string, number, number][] = [
    ["numAgents", spec.numAgents, 1],
    ["agentFeatureDim", spec.agentFeatureDim, 0],
    ["pairFeatureDim", spec.pairFeatureDim, 0],
    ["globalStateDim", spec.globalStateDim, 0],
  ];
  for (const [name, value, min] of ints) {
    if (!Number.isInteger(value) || value < min)
      problems.add(`spec.${name}: expected an integer ≥ ${min} (got ${value})`);
  }
  const rc = spec.rewardComponents;
  if (rc && !(rc.names.length > 0 && rc.weights.length === rc.names.length))
    problems.add("spec.rewardComponents: expected as many weights as names (at least one)");
  if (spec.agentFeatureNames && spec.agentFeatureNames.length !== spec.agentFeatureDim)
    problems.add("spec.agentFeatureNames: length differs from agentFeatureDim");
  if (spec.pairFeatureNames && spec.pairFeatureNames.length !== spec.pairFeatureDim)
    problems.add("spec.pairFeatureNames: length differs from pairFeatureDim");
  const pd = spec.postDecisionFeatureDim;
  if (pd !== undefined && !(Number.isInteger(pd) && pd >= 0))
    problems.add(`spec.postDecisionFeatureDim: expected an integer ≥ 0 (got ${pd})`);
  if (spec.postDecisionFeatureNames && spec.postDecisionFeatureNames.length !== (pd ?? 0))
    problems.add("spec.postDecisionFeatureNames: length differs from postDecisionFeatureDim");
}

/** Shapes, dtypes, CSR structure, finiteness, inactive ⇒ no candidates. False if unusable. */
function checkObservation(
  obs: Observation,
  spec: EnvSpec,
  at: string,
  problems: ProblemList,
): boolean {
  const n = spec.numAgents;
  const before = problems.items.length;
  const bad = (msg: string) => problems.add(`${at}: observation ${msg}`);
  if (!(obs.active instanceof Uint8Array) || obs.active.length !== n)
    bad(`active: expected a Uint8Array of length ${n}`);
  else if (obs.active.some((v) => v > 1)) bad("active: expected only 0 and 1");
  if (
    !(obs.agentFeatures instanceof Float32Array) ||
    obs.agentFeatures.length !== n * spec.agentFeatureDim
  )
    bad(
      `agentFeatures: expected a Float32Array of length n × agentFeatureDim = ${n * spec.agentFeatureDim}`,
    );
  else if (!allFinite(obs.agentFeatures)) bad("agentFeatures: contains NaN or ±Infinity");
  if (!(obs.candPtr instanceof Int32Array) || obs.candPtr.length !== n + 1) {
    bad(`candPtr: expected an Int32Array of length n + 1 = ${n + 1}`);
    return false;
  }
  if (obs.candPtr[0] !== 0) bad(`candPtr[0]: expected 0 (got ${obs.candPtr[0]})`);
  for (let i = 0; i < n; i++) {
    if (obs.candPtr[i + 1] < obs.candPtr[i]) {
      bad(`candPtr: decreases at agent ${i}`);
      return false;
    }
  }
  const nCand = obs.candPtr[n];
  if (
    !(obs.candFeatures instanceof Float32Array) ||
    obs.candFeatures.length !== nCand * spec.pairFeatureDim
  )
    bad(
      `candFeatures: expected a Float32Array of length nCand × pairFeatureDim = ${nCand * spec.pairFeatureDim}`,
    );
  else if (!allFinite(obs.candFeatures)) bad("candFeatures: contains NaN or ±Infinity");
  if (obs.candId !== undefined) {
    if (!(obs.candId instanceof Int32Array) || obs.candId.length !== nCand) {
      bad(`candId: expected an Int32Array of length nCand = ${nCand}`);
    } else {
      for (let i = 0; i < n; i++) {
        const seen = new Set<number>();
        for (let k = obs.candPtr[i]; k < obs.candPtr[i + 1]; k++) {
          if (obs.candId[k] < 0) bad(`candId[${k}]: expected ≥ 0 (got ${obs.candId[k]})`);
          if (seen.has(obs.candId[k]))
            bad(`candId: agent ${i} lists candidate ${obs.candId[k]} twice`);
          seen.add(obs.candId[k]);
        }
      }
    }
  }
  if (obs.candClaims !== undefined) checkClaims(obs, nCand, bad);
  if (obs.active instanceof Uint8Array && obs.active.length === n) {
    for (let i = 0; i < n; i++) {
      if (obs.active[i] === 0 && candidateCount(obs, i) > 0)
        bad(`agent ${i} is inactive but has ${candidateCount(obs, i)} candidate(s)`);
    }
  }
  return problems.items.length === before;
}

function checkStepResult(r: StepResult, spec: EnvSpec, at: string, problems: ProblemList): boolean {
  const n = spec.numAgents;
  const before = problems.items.length;
  if (!(r.rewards instanceof Float32Array) || r.rewards.length !== n)
    problems.add(`${at}: rewards: expected a Float32Array of length ${n}`);
  else if (!allFinite(r.rewards)) problems.add(`${at}: rewards: contains NaN or ±Infinity`);
  for (const name of ["terminations", "truncations"] as const) {
    const v = r[name];
    if (!(v instanceof Uint8Array) || v.length !== n)
      problems.add(`${at}: ${name}: expected a Uint8Array of length ${n}`);
    else if (v.some((x) => x > 1)) problems.add(`${at}: ${name}: expected only 0 and 1`);
  }
  const infos = r.infos;
  if (infos === undefined) {
    problems.add(`${at}: infos missing`);
    return false;
  }
  if (!(Number.isFinite(infos.dt) && infos.dt >= 0))
    problems.add(`${at}: infos.dt: expected finite minutes ≥ 0 (got ${infos.dt})`);
  if (!Number.isFinite(infos.time))
    problems.add(`${at}: infos.time: expected finite (got ${infos.time})`);
  if (!(infos.effective instanceof Int32Array) || infos.effective.length !== n)
    problems.add(`${at}: infos.effective: expected an Int32Array of length ${n}`);
  if (!Number.isInteger(infos.conflicts) || infos.conflicts < 0)
    problems.add(`${at}: infos.conflicts: expected an integer ≥ 0 (got ${infos.conflicts})`);
  if (spec.rewardComponents) checkRewardComponents(r, spec.rewardComponents, at, problems);
  checkPostDecision(r, spec, at, problems);
  return problems.items.length === before;
}

/**
 * Post-decision features: n × D finite values every step when declared (D > 0); absent when not,
 * so a learner never reads features the spec does not size.
 */
function checkPostDecision(r: StepResult, spec: EnvSpec, at: string, problems: ProblemList): void {
  const D = spec.postDecisionFeatureDim ?? 0;
  const f = r.infos.postDecisionFeatures;
  if (D === 0) {
    if (f !== undefined)
      problems.add(
        `${at}: infos.postDecisionFeatures: given, but spec.postDecisionFeatureDim is 0`,
      );
    return;
  }
  const n = spec.numAgents;
  if (!(f instanceof Float32Array) || f.length !== n * D)
    problems.add(`${at}: infos.postDecisionFeatures: expected a Float32Array of ${n} × ${D}`);
  else if (!allFinite(f))
    problems.add(`${at}: infos.postDecisionFeatures: contains NaN or ±Infinity`);
}

/** Declared reward components: n × P finite values whose weighted sums are the rewards. */
function checkRewardComponents(
  r: StepResult,
  declared: NonNullable<EnvSpec["rewardComponents"]>,
  at: string,
  problems: ProblemList,
): void {
  const { names, weights } = declared;
  const P = names.length;
  const n = r.rewards.length;
  const c = r.infos.rewardComponents;
  if (!(c instanceof Float32Array) || c.length !== n * P) {
    problems.add(`${at}: infos.rewardComponents: expected a Float32Array of ${n} × ${P}`);
    return;
  }
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < P; j++) sum += weights[j] * c[i * P + j];
    // float32 components: allow their rounding, relative to the terms' size
    let size = 1;
    for (let j = 0; j < P; j++) size += Math.abs(weights[j] * c[i * P + j]);
    if (!(Math.abs(sum - r.rewards[i]) <= 1e-5 * size)) {
      problems.add(
        `${at}: infos.rewardComponents: agent ${i}'s weighted sum ${sum} is not its reward ${r.rewards[i]}`,
      );
      return;
    }
  }
}

function checkGlobalState(
  state: ArrayLike<number>,
  spec: EnvSpec,
  at: string,
  problems: ProblemList,
): void {
  if (!(state instanceof Float32Array) || state.length !== spec.globalStateDim)
    problems.add(`${at}: globalState(): expected a Float32Array of length ${spec.globalStateDim}`);
  else if (!allFinite(state)) problems.add(`${at}: globalState(): contains NaN or ±Infinity`);
}

// ---------------------------------------------------------------------------------------------

class ProblemList {
  readonly items: string[] = [];
  add(message: string): void {
    if (this.items.length < MAX_PROBLEMS && !this.items.includes(message)) this.items.push(message);
  }
}

function guard<T>(problems: ProblemList, what: string, f: () => T): T | undefined {
  try {
    return f();
  } catch (err) {
    problems.add(`${what} threw: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

function expectThrow(problems: ProblemList, what: string, f: () => unknown): Error | undefined {
  try {
    f();
  } catch (err) {
    if (err instanceof Error && err.message.length > 0) return err;
    problems.add(`${what}: threw something without a message`);
    return undefined;
  }
  problems.add(`${what}: expected an error, but the call succeeded`);
  return undefined;
}

function passAll(n: number): Int32Array {
  return new Int32Array(n).fill(PASS);
}

function allFinite(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

/** `candClaims`: a CSR over the candidate rows of non-negative ids, distinct within a row; not with candId. */
function checkClaims(obs: Observation, nCand: number, bad: (message: string) => void): void {
  const { ptr, ids } = obs.candClaims!;
  if (obs.candId !== undefined) bad("candId and candClaims: expected at most one of them");
  if (!(ptr instanceof Int32Array) || ptr.length !== nCand + 1 || ptr[0] !== 0) {
    bad(`candClaims.ptr: expected an Int32Array of length nCand + 1 = ${nCand + 1} starting at 0`);
    return;
  }
  if (!(ids instanceof Int32Array) || ids.length !== ptr[nCand]) {
    bad(`candClaims.ids: expected an Int32Array of length candClaims.ptr[nCand] = ${ptr[nCand]}`);
    return;
  }
  for (let k = 0; k < nCand; k++) {
    if (ptr[k + 1] < ptr[k]) {
      bad(`candClaims.ptr: decreases at row ${k}`);
      return;
    }
    const row = ids.subarray(ptr[k], ptr[k + 1]);
    if (row.some((id) => id < 0)) bad(`candClaims: row ${k} claims a negative id`);
    if (new Set(row).size !== row.length) bad(`candClaims: row ${k} claims an id twice`);
  }
}

function snapshot(obs: Observation, globalState: Float32Array): Snapshot {
  const s: Snapshot = {
    active: obs.active.slice(),
    agentFeatures: obs.agentFeatures.slice(),
    candPtr: obs.candPtr.slice(),
    candFeatures: obs.candFeatures.slice(),
    globalState: globalState.slice(),
  };
  if (obs.candId) s.candId = obs.candId.slice();
  if (obs.candClaims) {
    s.claimPtr = obs.candClaims.ptr.slice();
    s.claimIds = obs.candClaims.ids.slice();
  }
  return s;
}

function snapshotStep(r: StepResult, globalState: Float32Array): Snapshot {
  return {
    ...snapshot(r.obs, globalState),
    rewards: r.rewards.slice(),
    terminations: r.terminations.slice(),
    truncations: r.truncations.slice(),
    effective: r.infos.effective.slice(),
    timing: [r.infos.dt, r.infos.time, r.infos.conflicts],
    ...(r.infos.postDecisionFeatures && {
      postDecisionFeatures: r.infos.postDecisionFeatures.slice(),
    }),
  };
}

/** First difference between two snapshots, as text; null when identical. */
function diffSnapshots(a: Snapshot, b: Snapshot): string | null {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const x = a[key];
    const y = b[key];
    if (x === undefined || y === undefined) return `${key} present in only one`;
    if (x.length !== y.length) return `${key} length ${x.length} vs ${y.length}`;
    for (let i = 0; i < x.length; i++) {
      if (x[i] !== y[i] && !(Number.isNaN(x[i]) && Number.isNaN(y[i])))
        return `${key}[${i}] ${x[i]} vs ${y[i]}`;
    }
  }
  return null;
}

function diffTraces(a: Snapshot[], b: Snapshot[]): string | null {
  if (a.length !== b.length) return `episode length ${a.length - 1} vs ${b.length - 1} steps`;
  for (let t = 0; t < a.length; t++) {
    const d = diffSnapshots(a[t], b[t]);
    if (d) return t === 0 ? `after reset: ${d}` : `after step ${t - 1}: ${d}`;
  }
  return null;
}
