/**
 * Playing episodes with given networks: the rollout half of training, a plain function of
 * (weights, environment, seed, ε, exploration stream). The trainer plays in its own thread with
 * an `EpisodePlayer`; rollout workers (experiments/rollout-pool.ts) hold one each on their own
 * copy of the environment, so an episode's experience is the same bytes whoever plays it.
 */
import { selectJointAction } from "../algorithms/joint-action.ts";
import type { CriticInput, PostDecisionInput } from "../algorithms/recipe.ts";
import { algorithmByName } from "../algorithms/registry.ts";
import {
  episodeOver,
  type MultiAgentEnv,
  type Observation,
  PASS,
  type StepResult,
} from "../core/env.ts";
import { Rng } from "../core/rng.ts";
import { MatchingWorkspace } from "../matching/sparse.ts";
import { Critic, PairScorer } from "../nn/index.ts";
import { criticDim, type EnvShape, postDecisionDim } from "./checkpoint.ts";
import { EpisodeBuffer, type EpisodeRecord, type PostDecisionRows } from "./experience.ts";
import type { TrainConfig } from "./train-config.ts";

/** Totals of one episode. `extra` sums the environment's `infos.extra` scalars over steps. */
export interface EpisodeTotals {
  reward: number;
  steps: number;
  decisions: number;
  conflicts: number;
  extra: Record<string, number>;
}

/** One training episode to play: a pure function of the run's seed and the episode index. */
export interface RolloutJob {
  /** 0-based episode index. */
  episode: number;
  /** Environment seed. */
  seed: number;
  epsilon: number;
  /** State of the episode's exploration stream (Rng.getState). */
  exploration: [number, number, number, number];
}

/** A played training episode: its totals and its experience. */
export interface PlayedEpisode {
  totals: EpisodeTotals;
  experience: EpisodeRecord;
}

/** The weights an episode is played with (flat parameter vectors). */
export interface PlayerWeights {
  policy: Float32Array;
  critic: Float32Array | null;
}

/**
 * The episodes of one update and the weights they are played with: the trainer's current
 * weights, or with a policy lag of L those of L updates before (`version`: the episodes trained
 * into them, which names them on the wire).
 */
export interface RolloutBatch {
  jobs: readonly RolloutJob[];
  version: number;
  weights: PlayerWeights;
}

/**
 * Plays training episodes elsewhere (worker threads, other machines), and here too if it likes:
 * `playHere` plays one of `batches[0]`'s jobs in the caller's thread with that batch's weights
 * (the learner's own player, so a pool of N threads needs only N − 1 more copies of the world).
 * It must return `batches[0]`'s episodes in job order, exactly what `EpisodePlayer.play(job)`
 * would with the same weights: the same seed, ε and exploration stream give the same
 * experience, so a run does not depend on who played. `batches[1..]` are the next updates',
 * whose weights exist already (a policy lag): a pool may start playing them now; they come again,
 * the same jobs with the same weights, as `batches[0]` of later calls.
 */
export interface RolloutPool {
  collect(
    batches: readonly RolloutBatch[],
    playHere: (job: RolloutJob) => PlayedEpisode,
  ): Promise<PlayedEpisode[]>;
  close(): Promise<void>;
}

/** The policy (and critic, if the algorithm has one) of a run's config, freshly initialised. */
export function createNetworks(
  config: TrainConfig,
  shape: EnvShape,
  criticInput: CriticInput,
  root: Rng,
): { policy: PairScorer; critic: Critic | null } {
  const policy = PairScorer.create(shape.pairFeatureDim, root.split("policy"), {
    hidden: config.policyHidden,
  });
  const critic =
    criticInput === "none"
      ? null
      : Critic.create(criticDim(config, shape), root.split("critic"), {
          hidden: config.criticHidden,
        });
  return { policy, critic };
}

/**
 * Plays training episodes of one environment with a run's networks and records their
 * experience. The networks are shared with whoever trains them (the trainer), or set from
 * received weights (a worker).
 */
export class EpisodePlayer {
  readonly buffer: EpisodeBuffer;
  readonly player: Player;

  constructor(
    readonly env: MultiAgentEnv,
    networks: { policy: PairScorer; critic: Critic | null },
    config: TrainConfig,
    criticInput: CriticInput,
    shape: EnvShape,
  ) {
    this.buffer = new EpisodeBuffer(
      shape.numAgents,
      shape.pairFeatureDim,
      criticDim(config, shape),
      env.spec.rewardComponents?.weights,
      postDecisionDim(config, shape),
    );
    // a post-decision critic's input is recorded here; its values are the learner's (trainer.ts)
    const postInput = algorithmByName(config.algo).postDecisionCritic ?? null;
    this.player = {
      ...networks,
      criticInput,
      postInput,
      shape,
      config,
      workspace: new MatchingWorkspace(),
    };
  }

  /** Play a job's episode with exploration and return a copy of its experience. */
  play(job: RolloutJob): PlayedEpisode {
    const rng = new Rng(0);
    rng.setState(job.exploration);
    const totals = playEpisode(this.player, this.env, job.seed, job.epsilon, rng, this.buffer);
    return { totals, experience: this.buffer.toRecord() };
  }

  /** Take the weights to play with (a worker, before its jobs). */
  setWeights(weights: PlayerWeights): void {
    this.player.policy.params.set(weights.policy);
    if (this.player.critic && weights.critic) this.player.critic.params.set(weights.critic);
  }
}

/** The networks and settings an episode is played with. */
export interface Player {
  readonly policy: PairScorer;
  /** The value network (its values are recorded with each decision), or null. */
  readonly critic: Critic | null;
  readonly criticInput: CriticInput;
  /** What the post-decision critic reads (its input rows are recorded), or null: none. */
  readonly postInput?: PostDecisionInput | null;
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
    // "global+post" puts the global state AT the decision before the post-decision features
    const postPrefix =
      buffer && player.postInput === "global+post" ? env.globalState().slice() : NO_PREFIX;
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
    const post = buffer && player.postInput ? postRows(result, postPrefix) : undefined;
    buffer?.settle(
      first,
      result.infos.effective,
      result.rewards,
      result.infos.rewardComponents,
      post,
    );

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

const NO_PREFIX = new Float32Array(0);

/** The step's post-decision rows (the env must report them: EnvSpec.postDecisionFeatureDim). */
function postRows(result: StepResult, prefix: Float32Array): PostDecisionRows {
  const features = result.infos.postDecisionFeatures;
  if (!features)
    throw new RangeError(
      "playEpisode: the algorithm has a post-decision critic but the step reported no infos.postDecisionFeatures",
    );
  return { features, prefix };
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
