/**
 * Advantage estimators: pure functions from a flat, struct-of-arrays log of decisions to one
 * advantage per decision (same order as the input). No tensors, no jax: they run once per
 * episode on typed arrays.
 *
 * A "sample" is one decision of one agent that took effect (e.g. a vehicle assigned an order):
 * its agent id, its epoch index or time (minutes), its reward, and for GAE its value estimate.
 * Pass one episode at a time. Arithmetic is in float64; results are Float32Array.
 *
 * Standard deviations are POPULATION std (divide by N, not N − 1): a group of one has std 0,
 * which is what makes a lone matched agent's normalised reward 0 rather than undefined.
 */

import { type GroupNormalizer, meanStd, normalizeByGroup } from "./baselines.ts";

/** Input of `oneStepGroupRelative`: one row per matched (epoch, agent). */
export interface EpochSamples {
  /** Shape (m): decision epoch index (integer ≥ 0) of each sample. */
  readonly epoch: Int32Array;
  /** Shape (m): agent id in 0..numAgents−1; at most one sample per (epoch, agent). */
  readonly agent: Int32Array;
  /** Shape (m): one-step reward of the sample. */
  readonly reward: Float32Array;
}

export interface OneStepOptions {
  /** Fleet size n: the fairness term is the std over ALL n agents' cumulative rewards. */
  numAgents: number;
  /** Weight of the fairness term Δσ_t. Default 1 (OSPO); 0 disables it. */
  fairnessCoef?: number;
  /** Added to the std before dividing. Default 1e-8. */
  eps?: number;
  /** How one epoch's rewards become advantages (baselines.ts). Default meanStd (OSPO's). */
  baseline?: GroupNormalizer;
}

/**
 * OSPO's one-step group-relative advantage. For each epoch t, over the set M_t of agents
 * matched at t:
 *
 *   A_{v,t} = (r_{v,t} − mean_{M_t} r) / (std_{M_t} r + eps) − c · Δσ_t
 *   Δσ_t   = σ(R_t) − σ(R_{t−1}),   R_t[v] = Σ_{s ≤ t} r_{v,s}  (cumulative reward, all n agents)
 *
 * σ is the population std over all `numAgents` agents (unmatched ones included, with their
 * unchanged cumulative reward); before the first epoch R = 0, so σ = 0. Epochs are taken in
 * increasing index order; epochs without samples change nothing. A lone matched agent gets
 * A = 0 − c·Δσ_t.
 *
 * @example
 * // epoch 0: agents 0 and 1 matched with rewards 1 and 3; fleet of 2
 * oneStepGroupRelative(
 *   { epoch: Int32Array.of(0, 0), agent: Int32Array.of(0, 1), reward: Float32Array.of(1, 3) },
 *   { numAgents: 2 },
 * ); // ≈ [−1 − 1, 1 − 1] = [−2, 0]   (σ goes 0 → 1)
 */
export function oneStepGroupRelative(samples: EpochSamples, options: OneStepOptions): Float32Array {
  const { numAgents, fairnessCoef = 1, eps = 1e-8, baseline = meanStd } = options;
  const m = sameLength("oneStepGroupRelative", samples.epoch, samples.agent, samples.reward);
  checkAgents("oneStepGroupRelative", samples.agent, numAgents);
  for (let k = 0; k < m; k++) {
    if (samples.epoch[k] < 0)
      throw new RangeError(
        `oneStepGroupRelative: epoch[${k}] must be ≥ 0 (got ${samples.epoch[k]})`,
      );
  }
  const order = sortedIndices(m, (a, b) => samples.epoch[a] - samples.epoch[b]);
  const out = new Float32Array(m);
  const cumulative = new Float64Array(numAgents);
  const seenInEpoch = new Int32Array(numAgents).fill(-1);
  let prevSigma = 0;
  for (let start = 0; start < m; ) {
    const epoch = samples.epoch[order[start]];
    let end = start;
    while (end < m && samples.epoch[order[end]] === epoch) end++;
    const rewards = new Float64Array(end - start);
    for (let j = start; j < end; j++) {
      const k = order[j];
      const v = samples.agent[k];
      if (seenInEpoch[v] === epoch)
        throw new RangeError(`oneStepGroupRelative: agent ${v} has two samples in epoch ${epoch}`);
      seenInEpoch[v] = epoch;
      rewards[j - start] = samples.reward[k];
      cumulative[v] += samples.reward[k];
    }
    const normalized = baseline(rewards, eps);
    const sigma = populationStd(cumulative);
    const shift = fairnessCoef * (sigma - prevSigma);
    prevSigma = sigma;
    for (let j = start; j < end; j++) out[order[j]] = normalized[j - start] - shift;
    start = end;
  }
  return out;
}

/** Input of `groupRelativeRewardToGo`: one row per decision that took effect. */
export interface TimedSamples {
  /** Shape (m): agent id (any integer ≥ 0; samples are grouped by it). */
  readonly agent: Int32Array;
  /** Shape (m): time of the decision, in minutes since the episode start. */
  readonly time: Float32Array | Float64Array;
  /** Shape (m): reward of the decision. */
  readonly reward: Float32Array;
}

export interface RewardToGoOptions {
  /** Discount per MINUTE; successive decisions Δt minutes apart are discounted by γ^Δt. Default 0.99. */
  gamma?: number;
  /** Added to the std before dividing. Default 1e-8. */
  eps?: number;
  /** How a group's values become advantages (baselines.ts). Default meanStd (GRPO's). */
  baseline?: GroupNormalizer;
}

/**
 * GRPO-style advantage: z-score every reward over the whole episode (the fleet is the group),
 * then accumulate each agent's discounted reward-to-go over its own successive decisions:
 *
 *   z_k = (r_k − mean(r)) / (std(r) + eps)                  (over all m samples, population std)
 *   A_k = z_k + γ^(t_{k'} − t_k) · A_{k'}                    (k' = the agent's next decision)
 *
 * The last decision of an agent has A = z (no bootstrap: GRPO has no critic). Decisions of an
 * agent are ordered by time (input order breaks ties, with Δt = 0).
 *
 * @example
 * // one agent, rewards 1 and 3 at t = 0 and 10 min, γ = 0.5 per minute
 * groupRelativeRewardToGo(
 *   { agent: Int32Array.of(0, 0), time: Float32Array.of(0, 10), reward: Float32Array.of(1, 3) },
 *   { gamma: 0.5 },
 * ); // z = [−1, 1] → [−1 + 0.5^10 · 1, 1] ≈ [−0.99902, 1]
 */
export function groupRelativeRewardToGo(
  samples: TimedSamples,
  options: RewardToGoOptions = {},
): Float32Array {
  const { gamma = 0.99, eps = 1e-8, baseline = meanStd } = options;
  checkGamma("groupRelativeRewardToGo", gamma);
  const m = sameLength("groupRelativeRewardToGo", samples.agent, samples.time, samples.reward);
  checkAgents("groupRelativeRewardToGo", samples.agent, Number.POSITIVE_INFINITY);
  checkTimes("groupRelativeRewardToGo", samples.time);
  const out = new Float32Array(m);
  if (m === 0) return out;
  const zs = baseline(Float64Array.from(samples.reward), eps); // the episode is one group
  const order = byAgentThenTime(samples.agent, samples.time);
  let next = -1; // index of the following decision of the same agent, or −1
  let acc = 0;
  for (let j = m - 1; j >= 0; j--) {
    const k = order[j];
    const z = zs[k];
    if (next >= 0 && samples.agent[next] === samples.agent[k]) {
      acc = z + gamma ** (samples.time[next] - samples.time[k]) * acc;
    } else {
      acc = z;
    }
    out[k] = acc;
    next = k;
  }
  return out;
}

/** Input of `stepGroupRelativeReturn`: timed decisions with their decision-epoch index. */
export interface SteppedSamples extends TimedSamples {
  /** Shape (m): decision epoch (step) index of each sample. */
  readonly step: Int32Array;
}

/**
 * GRPO with the fleet as the group at each step: each decision's own discounted return-to-go,
 * compared with the returns of the other agents that decided at the same step:
 *
 *   G_k = r_k + γ^(t_{k'} − t_k) · G_{k'}          (k' = the agent's next decision; last: G = r)
 *   A_k = (G_k − mean_{S(k)} G) / (std_{S(k)} G + eps),   S(k) = the decisions of k's step
 *
 * Unlike `groupRelativeRewardToGo`, which z-scores each reward before summing (so every future
 * decision adds ~0 on average), the raw return counts how many orders an agent goes on to serve:
 * a choice that keeps a vehicle busy longer (a long pickup) and so costs it later orders shows up
 * in its advantage. The fleet mean at the same step stands in for a critic's V(s_t). A decision
 * alone in its step gets A = 0.
 *
 * @example
 * // agent 0 earns 1 at t = 0 (step 0) and 3 at t = 10 (step 1); agent 1 earns 2 at t = 0; γ = 0.5
 * stepGroupRelativeReturn(
 *   { agent: Int32Array.of(0, 0, 1), step: Int32Array.of(0, 1, 0), time: Float32Array.of(0, 10, 0),
 *     reward: Float32Array.of(1, 3, 2) },
 *   { gamma: 0.5 },
 * ); // G = [1 + 0.5^10·3, 3, 2]; step 0: ±1; step 1 alone: 0 → [−1, 0, 1]
 */
export function stepGroupRelativeReturn(
  samples: SteppedSamples,
  options: RewardToGoOptions = {},
): Float32Array {
  const { gamma = 0.99, eps = 1e-8, baseline = meanStd } = options;
  const fn = "stepGroupRelativeReturn";
  checkGamma(fn, gamma);
  sameLength(fn, samples.agent, samples.time, samples.reward, samples.step);
  checkAgents(fn, samples.agent, Number.POSITIVE_INFINITY);
  checkTimes(fn, samples.time);
  const returns = discountedReturns(samples, gamma);
  return Float32Array.from(normalizeByGroup(samples.step, returns, baseline, eps));
}

/**
 * Each decision's discounted return-to-go over its agent's own later decisions:
 * G_k = r_k + γ^(t_{k'} − t_k) · G_{k'} (k' = the agent's next decision; last: G = r).
 *
 * @example
 * discountedReturns(
 *   { agent: Int32Array.of(0, 0), time: Float32Array.of(0, 10), reward: Float32Array.of(1, 3) },
 *   0.5,
 * ); // [1 + 0.5^10 · 3, 3]
 */
export function discountedReturns(samples: TimedSamples, gamma: number): Float64Array {
  const m = samples.agent.length;
  const returns = new Float64Array(m);
  const order = byAgentThenTime(samples.agent, samples.time);
  let next = -1;
  for (let j = m - 1; j >= 0; j--) {
    const k = order[j];
    const follows = next >= 0 && samples.agent[next] === samples.agent[k];
    const later = follows ? gamma ** (samples.time[next] - samples.time[k]) * returns[next] : 0;
    returns[k] = samples.reward[k] + later;
    next = k;
  }
  return returns;
}

/** Input of `semiMarkovGae`: decisions with the critic's value of the state they were taken in. */
export interface ValuedSamples extends TimedSamples {
  /** Shape (m): V(s) at the decision. */
  readonly value: Float32Array;
}

/** How each agent's last decision is closed. */
export interface EpisodeEnd {
  /** Minutes since the episode start at which the episode ended (≥ every decision time). */
  readonly time: number;
  /** Shape (n): V(s_end) per agent, used as bootstrap unless the agent terminated. */
  readonly value: Float32Array;
  /** Shape (n), 0/1: 1 = terminated (true end: bootstrap 0); 0 = truncated (bootstrap value). */
  readonly terminated: Uint8Array;
}

export interface GaeOptions {
  /** Discount per MINUTE (γ^Δt between decisions Δt minutes apart). Default 0.99. */
  gamma?: number;
  /** GAE λ, applied once per decision (not per minute). Default 0.95. */
  lambda?: number;
}

/**
 * Generalised advantage estimation over each agent's semi-Markov sequence of decisions
 * (IPPO / MAPPO). For an agent's decisions k = 0..K−1 at times t_k, with t_K = end.time and
 * V_K = end.terminated[v] ? 0 : end.value[v]:
 *
 *   δ_k = r_k + γ^(t_{k+1} − t_k) · V_{k+1} − V_k
 *   A_k = δ_k + γ^(t_{k+1} − t_k) · λ · A_{k+1},   A_K = 0
 *   returns_k = A_k + V_k                         (the critic's regression target)
 *
 * λ = 1 gives the discounted return (plus discounted bootstrap) minus V_k; λ = 0 gives δ_k.
 *
 * @example
 * // one agent, one decision at t = 0, r = 1, V = 0.5, episode truncated at t = 2 with V = 2
 * semiMarkovGae(
 *   { agent: Int32Array.of(0), time: Float32Array.of(0), reward: Float32Array.of(1),
 *     value: Float32Array.of(0.5) },
 *   { time: 2, value: Float32Array.of(2), terminated: Uint8Array.of(0) },
 *   { gamma: 0.5 },
 * ); // δ = 1 + 0.25·2 − 0.5 = 1 → advantages [1], returns [1.5]
 */
export function semiMarkovGae(
  samples: ValuedSamples,
  end: EpisodeEnd,
  options: GaeOptions = {},
): { advantages: Float32Array; returns: Float32Array } {
  const { gamma = 0.99, lambda = 0.95 } = options;
  checkGamma("semiMarkovGae", gamma);
  if (!(lambda >= 0 && lambda <= 1))
    throw new RangeError(`semiMarkovGae: lambda must be in [0, 1] (got ${lambda})`);
  const m = sameLength("semiMarkovGae", samples.agent, samples.time, samples.reward, samples.value);
  const n = end.value.length;
  if (end.terminated.length !== n)
    throw new RangeError(
      `semiMarkovGae: end.value has ${n} agents but end.terminated has ${end.terminated.length}`,
    );
  checkAgents("semiMarkovGae", samples.agent, n);
  checkTimes("semiMarkovGae", samples.time);
  const advantages = new Float32Array(m);
  const returns = new Float32Array(m);
  const order = byAgentThenTime(samples.agent, samples.time);
  let next = -1;
  let nextAdvantage = 0;
  for (let j = m - 1; j >= 0; j--) {
    const k = order[j];
    const v = samples.agent[k];
    let nextValue: number;
    let nextTime: number;
    if (next >= 0 && samples.agent[next] === v) {
      nextValue = samples.value[next];
      nextTime = samples.time[next];
    } else {
      nextValue = end.terminated[v] ? 0 : end.value[v];
      nextTime = end.time;
      nextAdvantage = 0;
      if (!(end.time >= samples.time[k]))
        throw new RangeError(
          `semiMarkovGae: end.time ${end.time} is before agent ${v}'s decision at ${samples.time[k]}`,
        );
    }
    const discount = gamma ** (nextTime - samples.time[k]);
    const delta = samples.reward[k] + discount * nextValue - samples.value[k];
    nextAdvantage = delta + discount * lambda * nextAdvantage;
    advantages[k] = nextAdvantage;
    returns[k] = nextAdvantage + samples.value[k];
    next = k;
  }
  return { advantages, returns };
}

// ---------------------------------------------------------------------------------------------

function populationStd(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += (values[i] - mean) ** 2;
  return Math.sqrt(sq / n);
}

/** Indices 0..m−1 sorted by `compare`, ties kept in input order. */
function sortedIndices(m: number, compare: (a: number, b: number) => number): Int32Array {
  const idx = Array.from({ length: m }, (_, i) => i);
  idx.sort((a, b) => compare(a, b) || a - b);
  return Int32Array.from(idx);
}

function byAgentThenTime(agent: Int32Array, time: Float32Array | Float64Array): Int32Array {
  return sortedIndices(agent.length, (a, b) => agent[a] - agent[b] || time[a] - time[b]);
}

function sameLength(fn: string, ...arrays: ArrayLike<number>[]): number {
  const m = arrays[0].length;
  if (arrays.some((a) => a.length !== m))
    throw new RangeError(
      `${fn}: sample arrays must have equal lengths (got ${arrays.map((a) => a.length).join(", ")})`,
    );
  return m;
}

function checkAgents(fn: string, agent: Int32Array, numAgents: number): void {
  for (let k = 0; k < agent.length; k++) {
    if (agent[k] < 0 || agent[k] >= numAgents)
      throw new RangeError(
        `${fn}: agent[${k}] = ${agent[k]} is outside 0..${Number.isFinite(numAgents) ? numAgents - 1 : "∞"}`,
      );
  }
}

function checkTimes(fn: string, time: ArrayLike<number>): void {
  for (let k = 0; k < time.length; k++) {
    if (!Number.isFinite(time[k]))
      throw new RangeError(`${fn}: time[${k}] must be finite minutes (got ${time[k]})`);
  }
}

function checkGamma(fn: string, gamma: number): void {
  if (!(gamma > 0 && gamma <= 1))
    throw new RangeError(`${fn}: gamma must be in (0, 1] per minute (got ${gamma})`);
}
