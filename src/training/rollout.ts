/**
 * Playing one episode with given networks: the rollout half of training, as a plain function of
 * (weights, environment, seed, ε, exploration stream). The trainer calls it in its own thread;
 * rollout workers (experiments/rollout-pool.ts) call the same function on their own copy of the
 * environment, so an episode's experience is the same bytes whoever plays it.
 */
import { selectJointAction } from "../algorithms/joint-action.ts";
import type { CriticInput } from "../algorithms/recipe.ts";
import { episodeOver, type MultiAgentEnv, type Observation, PASS } from "../core/env.ts";
import type { Rng } from "../core/rng.ts";
import type { MatchingWorkspace } from "../matching/sparse.ts";
import type { Critic, PairScorer } from "../nn/index.ts";
import type { EnvShape } from "./checkpoint.ts";
import type { EpisodeBuffer } from "./experience.ts";
import type { TrainConfig } from "./train-config.ts";

/** Totals of one episode. `extra` sums the environment's `infos.extra` scalars over steps. */
export interface EpisodeTotals {
  reward: number;
  steps: number;
  decisions: number;
  conflicts: number;
  extra: Record<string, number>;
}

/** The networks and settings an episode is played with. */
export interface Player {
  readonly policy: PairScorer;
  /** The value network (its values are recorded with each decision), or null. */
  readonly critic: Critic | null;
  readonly criticInput: CriticInput;
  readonly shape: EnvShape;
  readonly config: Pick<
    TrainConfig,
    "exploration" | "explorationUnit" | "matchWeight" | "bootstrapTruncated"
  >;
  readonly workspace: MatchingWorkspace;
}

/**
 * Play one episode of `env` from `reset(seed)`. With `buffer`, records every decision that took
 * effect (training); ε is the exploration rate (0 = greedy matching), drawn from `rng`.
 */
export function playEpisode(
  player: Player,
  env: MultiAgentEnv,
  seed: number,
  epsilon: number,
  rng: Rng,
  buffer: EpisodeBuffer | null,
): EpisodeTotals {
  const { policy, config, shape } = player;
  const { numAgents: n, pairFeatureDim: F } = shape;
  const sampling = buffer !== null && config.exploration === "sample";
  const totals: EpisodeTotals = { reward: 0, steps: 0, decisions: 0, conflicts: 0, extra: {} };
  buffer?.clear();
  let obs = env.reset(seed);
  let time = 0;
  const terminated = new Uint8Array(n);
  for (let step = 0; ; step++) {
    const nCand = obs.candPtr[n];
    const logits = nCand > 0 ? policy.scores(obs.candFeatures, nCand) : new Float32Array(0);
    const joint = selectJointAction(obs, logits, {
      mode: sampling ? "sample" : "match",
      epsilon: sampling ? 0 : epsilon,
      explorationUnit: config.explorationUnit,
      rng,
      workspace: player.workspace,
      weights: config.matchWeight,
    });
    const first = buffer?.size ?? 0;
    if (buffer) {
      const inputs = criticInputs(player, env, obs, joint.actions);
      for (let i = 0, j = 0; i < n; i++) {
        if (joint.actions[i] === PASS) continue;
        buffer.add({
          step,
          agent: i,
          time,
          action: joint.actions[i],
          logProb: joint.logProb[i],
          value: inputs ? inputs.values[j] : 0,
          candidates: obs.candFeatures.slice(obs.candPtr[i] * F, obs.candPtr[i + 1] * F),
          criticInput: inputs
            ? inputs.rows.slice(j * buffer.criticDim, (j + 1) * buffer.criticDim)
            : new Float32Array(0),
        });
        j++;
      }
    }
    const result = env.step(joint.actions);
    buffer?.settle(first, result.infos.effective, result.rewards);

    totals.steps++;
    totals.conflicts += result.infos.conflicts;
    for (let i = 0; i < n; i++) {
      totals.reward += result.rewards[i];
      if (result.infos.effective[i] !== PASS) totals.decisions++;
      // A truncated agent's return is bootstrapped with the critic, unless configured to
      // treat the end of the window as the end of the task.
      if (result.terminations[i] || (result.truncations[i] && !config.bootstrapTruncated))
        terminated[i] = 1;
    }
    for (const [k, v] of Object.entries(result.infos.extra ?? {}))
      totals.extra[k] = (totals.extra[k] ?? 0) + v;
    time = result.infos.time;
    obs = result.obs;
    if (episodeOver(result)) break;
  }
  if (buffer) buffer.finish({ time, value: endValues(player, env, obs, terminated), terminated });
  return totals;
}

/** Critic input rows and values of the agents that act this step (null without a critic). */
function criticInputs(
  player: Player,
  env: MultiAgentEnv,
  obs: Observation,
  actions: Int32Array,
): { rows: Float32Array; values: Float32Array } | null {
  if (!player.critic) return null;
  const agents: number[] = [];
  for (let i = 0; i < actions.length; i++) if (actions[i] !== PASS) agents.push(i);
  const rows = criticRows(player, env, obs, agents);
  return { rows, values: player.critic.values(rows, agents.length) };
}

/** Critic input of each listed agent: its features (IPPO) or global state + features (MAPPO). */
function criticRows(
  player: Player,
  env: MultiAgentEnv,
  obs: Observation,
  agents: number[],
): Float32Array {
  const A = player.shape.agentFeatureDim;
  const global = player.criticInput === "global+agent" ? env.globalState().slice() : null;
  const G = global?.length ?? 0;
  const rows = new Float32Array(agents.length * (G + A));
  agents.forEach((agent, j) => {
    if (global) rows.set(global, j * (G + A));
    rows.set(obs.agentFeatures.subarray(agent * A, (agent + 1) * A), j * (G + A) + G);
  });
  return rows;
}

/** Bootstrap values at the episode's end (0 for terminated agents and without a critic). */
function endValues(
  player: Player,
  env: MultiAgentEnv,
  obs: Observation,
  terminated: Uint8Array,
): Float32Array {
  const values = new Float32Array(terminated.length);
  if (!player.critic) return values;
  const open: number[] = [];
  for (let i = 0; i < terminated.length; i++) if (!terminated[i]) open.push(i);
  const v = player.critic.values(criticRows(player, env, obs, open), open.length);
  open.forEach((agent, j) => {
    values[agent] = v[j];
  });
  return values;
}
