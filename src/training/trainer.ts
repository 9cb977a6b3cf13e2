/**
 * The training loop for every algorithm (OSPO, GRPO, IPPO, MAPPO), CleanRL style: one episode
 * reads top to bottom in `trainEpisode()`.
 *
 *   1. collect one episode with exploration (ε-greedy inside the matching, or sampling);
 *   2. advantages from the algorithm's estimator (and critic targets);
 *   3. K minibatch updates: the recipe's surrogate + β·KL(π‖π_ref) − c_H·H, then the optimizer
 *      chain (grad-norm clip → Adam → lr schedule); β follows the recipe's penalty schedule
 *      (OSPO: KL above target doubles β and skips the batch); critic regression if any;
 *   4. every `evalEvery` episodes: greedy evaluation on fixed seeds; keep the best policy
 *      (π_ref ← π on improvement; the penalty schedule hears of it: OSPO switches the penalty on
 *      the first time an evaluation fails to improve);
 *   5. log the episode's metrics; checkpoint.
 *
 * ε and lr follow from the episode index alone (ε_e = max(floor, ε0·d^e), lr_e = lr0·d^e; with
 * `epsilonDecay: "auto"`, d = (0.01/ε0)^(2/episodes), see autoEpsilonDecay), and
 * every random draw comes from a named stream of the run's seed (`policy`, `critic` for
 * initialisation; `exploration`; `minibatch`; training-episode seeds are a pure function of the
 * seed and the episode index), so one seed gives one run, and a resumed checkpoint continues it
 * bit for bit.
 */
import { join } from "node:path";
import { selectJointAction } from "../algorithms/joint-action.ts";
import {
  type PolicyBatch,
  type PolicyObjectiveConfig,
  policyLossAndGrad,
  valueLossAndGrad,
} from "../algorithms/objectives.ts";
import { exponentialDecay, OptimizerChain } from "../algorithms/optim.ts";
import type { Algorithm } from "../algorithms/recipe.ts";
import { algorithmByName } from "../algorithms/registry.ts";
import { episodeOver, type MultiAgentEnv, type Observation, PASS } from "../core/env.ts";
import { Rng } from "../core/rng.ts";
import { LOG_STEMS, RUN_FILES } from "../core/run-layout.ts";
import { explainedVariance } from "../core/stats.ts";
import { MatchingWorkspace } from "../matching/sparse.ts";
import { Critic, initBackend, PairScorer, saveNetworks } from "../nn/index.ts";
import {
  type CheckpointData,
  criticDim,
  type EnvShape,
  loadCheckpoint,
  saveCheckpoint,
  type TrainerCounters,
} from "./checkpoint.ts";
import { EpisodeBuffer } from "./experience.ts";
import {
  epsilonDecayOf,
  parseTrainConfig,
  type TrainConfig,
  type TrainConfigInput,
} from "./train-config.ts";
import { MetricsLog, type MetricsRow } from "./train-log.ts";

export interface TrainerOptions {
  /** The training environment (any MultiAgentEnv). */
  env: MultiAgentEnv;
  /** Environment for evaluation episodes; defaults to `env` (reset with the evaluation seeds). */
  evalEnv?: MultiAgentEnv;
  /** Training config (validated; defaults = OSPO's published ones). */
  config?: TrainConfigInput;
  /** Run folder for train/eval logs, `checkpoint.safetensors` and `best.safetensors`; none = in memory. */
  outDir?: string;
  /** Called after every episode with its metrics row (and the evaluation row, if one ran). */
  onEpisode?: (train: MetricsRow, evaluation: MetricsRow | null) => void;
}

export interface ResumeOptions extends Omit<TrainerOptions, "config"> {
  /**
   * Raise (or lower) the total episode count stored in the checkpoint's config. A run with
   * `epsilonDecay: "auto"` keeps the decay of the budget it started with (the resumed config
   * stores that number), so the ε schedule continues instead of jumping.
   */
  episodes?: number;
  /** Fail unless the checkpoint was trained with this algorithm. */
  algo?: TrainConfig["algo"];
}

/** Totals of one episode. `extra` sums the environment's `infos.extra` scalars over steps. */
export interface EpisodeTotals {
  reward: number;
  steps: number;
  decisions: number;
  conflicts: number;
  extra: Record<string, number>;
}

/** Result of a greedy evaluation: per-seed totals and their means. */
export interface Evaluation {
  seeds: number[];
  episodes: EpisodeTotals[];
  /** Mean episode reward over the seeds (what "best" is judged on). */
  reward: number;
  /** Means over the seeds of steps, decisions, conflicts and every extra. */
  means: Record<string, number>;
}

export class Trainer {
  readonly config: TrainConfig;
  readonly algorithm: Algorithm;
  readonly env: MultiAgentEnv;
  readonly evalEnv: MultiAgentEnv;
  readonly outDir: string | undefined;
  readonly policy: PairScorer;
  /** π_ref of the KL penalty (a recipe whose penalty uses one), refreshed when evaluation improves. */
  reference: PairScorer | null;
  readonly critic: Critic | null;
  readonly counters: TrainerCounters;

  private readonly shape: EnvShape;
  private readonly policyOptimizer: OptimizerChain;
  private readonly criticOptimizer: OptimizerChain | null;
  private readonly root: Rng;
  private readonly explorationRng: Rng;
  private readonly minibatchRng: Rng;
  private readonly buffer: EpisodeBuffer;
  private readonly workspace = new MatchingWorkspace();
  private readonly onEpisode: TrainerOptions["onEpisode"];
  private trainLog: MetricsLog | null = null;
  private evalLog: MetricsLog | null = null;

  /** A fresh run (initialises the jax backend). */
  static async create(options: TrainerOptions): Promise<Trainer> {
    await initBackend();
    return new Trainer(options, parseTrainConfig(options.config ?? {}), null);
  }

  /** Continue the run saved in `checkpointPath` (validated against `options.env`). */
  static async resume(checkpointPath: string, options: ResumeOptions): Promise<Trainer> {
    await initBackend();
    const saved = loadCheckpoint(checkpointPath, {
      env: envShape(options.env),
      algo: options.algo,
    });
    const episodes = options.episodes ?? saved.config.episodes;
    const epsilonDecay =
      saved.config.epsilonDecay === "auto" && episodes !== saved.config.episodes
        ? epsilonDecayOf(saved.config)
        : saved.config.epsilonDecay;
    const config = parseTrainConfig({ ...saved.config, episodes, epsilonDecay }, "resume options");
    return new Trainer(options, config, saved);
  }

  private constructor(options: TrainerOptions, config: TrainConfig, saved: CheckpointData | null) {
    this.config = config;
    this.algorithm = algorithmByName(config.algo);
    this.env = options.env;
    this.evalEnv = options.evalEnv ?? options.env;
    this.outDir = options.outDir;
    this.onEpisode = options.onEpisode;
    this.shape = envShape(this.env);
    const { pairFeatureDim, numAgents } = this.shape;
    const dCritic = criticDim(config, this.shape);

    this.root = new Rng(config.seed);
    this.policy =
      saved?.policy ??
      PairScorer.create(pairFeatureDim, this.root.split("policy"), { hidden: config.policyHidden });
    this.critic =
      this.algorithm.critic === "none"
        ? null
        : (saved?.critic ??
          Critic.create(dCritic, this.root.split("critic"), { hidden: config.criticHidden }));
    this.reference = this.algorithm.penalty.usesReference
      ? (saved?.reference ?? this.policy.clone())
      : null;
    const optimizer = (size: number, lr: number) =>
      new OptimizerChain(size, {
        maxGradNorm: config.gradClip,
        schedule: exponentialDecay(lr, config.lrDecay),
      });
    this.policyOptimizer = optimizer(this.policy.params.length, config.lr);
    this.criticOptimizer = this.critic
      ? optimizer(this.critic.params.length, config.criticLr)
      : null;
    this.explorationRng = this.root.split("exploration");
    this.minibatchRng = this.root.split("minibatch");
    this.buffer = new EpisodeBuffer(numAgents, pairFeatureDim, dCritic);
    this.counters = saved?.counters ?? {
      episode: 0,
      klEnabled: false,
      bestEval: null,
      bestEpisode: 0,
      epsilon: config.epsilon,
      lr: config.lr,
      beta: 0,
    };
    if (saved) {
      this.policyOptimizer.setState(saved.adam.policy);
      if (this.criticOptimizer && saved.adam.critic)
        this.criticOptimizer.setState(saved.adam.critic);
      this.explorationRng.setState(saved.rng.exploration);
      this.minibatchRng.setState(saved.rng.minibatch);
    }
    if (this.outDir) {
      const after = saved ? this.counters.episode : undefined;
      this.trainLog = new MetricsLog(this.outDir, LOG_STEMS.train, after);
      this.evalLog = new MetricsLog(this.outDir, LOG_STEMS.eval, after);
    }
  }

  /** Train until `counters.episode` reaches `untilEpisode` (default: config.episodes). */
  train(untilEpisode = this.config.episodes): void {
    while (this.counters.episode < untilEpisode) {
      this.trainEpisode();
      const done = this.counters.episode;
      if (this.outDir && (done % this.config.checkpointEvery === 0 || done === untilEpisode))
        this.saveCheckpoint();
    }
  }

  /** One episode: collect → advantages → updates → (evaluate) → log. Returns the metrics row. */
  trainEpisode(): MetricsRow {
    const c = this.config;
    const e = this.counters.episode; // 0-based index of this episode
    const epsilon = Math.max(c.epsilonFloor, c.epsilon * epsilonDecayOf(c) ** e);
    const lr = this.policyOptimizer.startEpisode(e);
    this.criticOptimizer?.startEpisode(e);

    // 1. rollout with exploration
    const t0 = performance.now();
    const envSeed = this.episodeSeed(e);
    const totals = this.runEpisode(this.env, envSeed, epsilon, this.buffer);

    // 2. advantages (and critic targets)
    const t1 = performance.now();
    const { advantages, returns } = this.algorithm.advantages(this.buffer.log(), {
      gamma: c.gamma,
      gaeLambda: c.gaeLambda,
      fairnessCoef: c.fairnessCoef,
      grpoAdvantage: c.grpoAdvantage,
    });

    // 3. minibatch updates
    const update = this.update(advantages, returns);
    const t2 = performance.now();

    this.counters.episode = e + 1;
    this.counters.epsilon = epsilon;
    this.counters.lr = lr;
    this.counters.beta = update.beta;

    // 4. evaluation, best policy, KL phase
    const evaluation = (e + 1) % c.evalEvery === 0 ? this.evaluateAndKeepBest() : null;

    // 5. log
    const row: MetricsRow = {
      episode: e + 1,
      envSeed,
      reward: totals.reward,
      steps: totals.steps,
      decisions: totals.decisions,
      conflicts: totals.conflicts,
      ...prefixed("env.", totals.extra),
      epsilon,
      lr,
      beta: update.beta,
      updates: update.applied,
      skipped: update.skipped,
      ...update.stats,
      // the critic's values at the decisions against the returns it then regresses on
      explainedVariance: returns ? explainedVariance(this.buffer.log().value, returns) : Number.NaN,
      decisionsPerSecond: totals.decisions / ((t1 - t0) / 1000),
      rolloutSeconds: (t1 - t0) / 1000,
      updateSeconds: (t2 - t1) / 1000,
    };
    this.trainLog?.append(row);
    if (evaluation) this.evalLog?.append(evaluation);
    this.onEpisode?.(row, evaluation);
    return row;
  }

  /** Greedy (no exploration) episodes on `seeds` (default: config.evalSeeds). */
  evaluate(seeds: readonly number[] = this.config.evalSeeds): Evaluation {
    const episodes = seeds.map((seed) => this.runEpisode(this.evalEnv, seed, 0, null));
    const means: Record<string, number> = {};
    const add = (key: string, value: number) => {
      means[key] = (means[key] ?? 0) + value / episodes.length;
    };
    for (const t of episodes) {
      add("steps", t.steps);
      add("decisions", t.decisions);
      add("conflicts", t.conflicts);
      for (const [k, v] of Object.entries(t.extra)) add(k, v);
    }
    const reward = episodes.reduce((s, t) => s + t.reward, 0) / episodes.length;
    return { seeds: [...seeds], episodes, reward, means };
  }

  /** Write the checkpoint (default `<outDir>/checkpoint.safetensors`). */
  saveCheckpoint(path = this.outDir ? join(this.outDir, RUN_FILES.checkpoint) : undefined): void {
    if (!path) throw new Error("saveCheckpoint: no path and no outDir");
    saveCheckpoint(path, {
      config: this.config,
      env: this.shape,
      counters: this.counters,
      rng: { exploration: this.explorationRng.getState(), minibatch: this.minibatchRng.getState() },
      policy: this.policy,
      reference: this.reference ?? undefined,
      critic: this.critic ?? undefined,
      adam: { policy: this.policyOptimizer.getState(), critic: this.criticOptimizer?.getState() },
    });
  }

  /** Environment seed of training episode `e` (0-based): a pure function of the run seed. */
  episodeSeed(e: number): number {
    return this.root.split("training-episodes").split(String(e)).nextU32();
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Play one episode. With `buffer`, records every decision that took effect (training); ε is
   * the exploration rate (0 = greedy matching).
   */
  private runEpisode(
    env: MultiAgentEnv,
    seed: number,
    epsilon: number,
    buffer: EpisodeBuffer | null,
  ): EpisodeTotals {
    const { numAgents: n, pairFeatureDim: F } = this.shape;
    const sampling = buffer !== null && this.config.exploration === "sample";
    const totals: EpisodeTotals = { reward: 0, steps: 0, decisions: 0, conflicts: 0, extra: {} };
    buffer?.clear();
    let obs = env.reset(seed);
    let time = 0;
    const terminated = new Uint8Array(n);
    for (let step = 0; ; step++) {
      const nCand = obs.candPtr[n];
      const logits = nCand > 0 ? this.policy.scores(obs.candFeatures, nCand) : new Float32Array(0);
      const joint = selectJointAction(obs, logits, {
        mode: sampling ? "sample" : "match",
        epsilon: sampling ? 0 : epsilon,
        explorationUnit: this.config.explorationUnit,
        rng: this.explorationRng,
        workspace: this.workspace,
        weights: this.config.matchWeight,
      });
      const first = buffer?.size ?? 0;
      if (buffer) {
        const inputs = this.criticInputs(env, obs, joint.actions);
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
        if (result.terminations[i] || (result.truncations[i] && !this.config.bootstrapTruncated))
          terminated[i] = 1;
      }
      for (const [k, v] of Object.entries(result.infos.extra ?? {}))
        totals.extra[k] = (totals.extra[k] ?? 0) + v;
      time = result.infos.time;
      obs = result.obs;
      if (episodeOver(result)) break;
    }
    if (buffer) buffer.finish({ time, value: this.endValues(env, obs, terminated), terminated });
    return totals;
  }

  /** Critic input rows and values of the agents that act this step (null without a critic). */
  private criticInputs(
    env: MultiAgentEnv,
    obs: Observation,
    actions: Int32Array,
  ): { rows: Float32Array; values: Float32Array } | null {
    if (!this.critic) return null;
    const agents: number[] = [];
    for (let i = 0; i < actions.length; i++) if (actions[i] !== PASS) agents.push(i);
    const rows = this.criticRows(env, obs, agents);
    return { rows, values: this.critic.values(rows, agents.length) };
  }

  /** Critic input of each listed agent: its features (IPPO) or global state + features (MAPPO). */
  private criticRows(env: MultiAgentEnv, obs: Observation, agents: number[]): Float32Array {
    const A = this.shape.agentFeatureDim;
    const global = this.algorithm.critic === "global+agent" ? env.globalState().slice() : null;
    const G = global?.length ?? 0;
    const rows = new Float32Array(agents.length * (G + A));
    agents.forEach((agent, j) => {
      if (global) rows.set(global, j * (G + A));
      rows.set(obs.agentFeatures.subarray(agent * A, (agent + 1) * A), j * (G + A) + G);
    });
    return rows;
  }

  /** Bootstrap values at the episode's end (0 for terminated agents and without a critic). */
  private endValues(env: MultiAgentEnv, obs: Observation, terminated: Uint8Array): Float32Array {
    const values = new Float32Array(terminated.length);
    if (!this.critic) return values;
    const open: number[] = [];
    for (let i = 0; i < terminated.length; i++) if (!terminated[i]) open.push(i);
    const v = this.critic.values(this.criticRows(env, obs, open), open.length);
    open.forEach((agent, j) => {
      values[agent] = v[j];
    });
    return values;
  }

  /** K minibatch updates of the policy (and critic) on this episode's decisions. */
  private update(
    advantages: Float32Array,
    returns: Float32Array | undefined,
  ): { applied: number; skipped: number; beta: number; stats: Record<string, number> } {
    const c = this.config;
    const m = this.buffer.size;
    const { penalty, surrogate } = this.algorithm;
    const start = penalty.episodeStart(this.counters, c);
    const useKl = start !== null;
    let beta = start ?? 0;
    const sums: Record<string, number> = {};
    let applied = 0;
    let skipped = 0;
    for (let u = 0; u < c.updatesPerEpisode && m > 0; u++) {
      const idx = drawMinibatch(m, c.batchSize, this.minibatchRng, c.minibatch);
      const batch = this.policyBatch(idx, advantages, useKl);
      const objective: PolicyObjectiveConfig = {
        clipLow: c.clipLow,
        clipHigh: c.clipHigh,
        klCoef: beta,
        klEstimator: c.klEstimator,
        entropyCoef: c.entropyCoef,
      };
      const { stats, grad } = policyLossAndGrad(this.policy, batch, objective, surrogate);
      if (useKl) {
        const next = penalty.afterBatch(stats, beta, c);
        beta = next.beta;
        if (next.skip) {
          skipped++;
          continue;
        }
      }
      this.policyOptimizer.step(this.policy.params, grad);
      let valueLoss = Number.NaN;
      if (this.critic && this.criticOptimizer && returns) {
        const v = this.valueBatch(idx, returns);
        const { stats: vs, grad: vg } = valueLossAndGrad(this.critic, v, {
          valueClip: c.valueClip,
        });
        this.criticOptimizer.step(this.critic.params, vg);
        valueLoss = vs.loss;
      }
      applied++;
      const add = (k: string, x: number) => {
        sums[k] = (sums[k] ?? 0) + x;
      };
      add("loss", stats.loss);
      add("entropy", stats.entropy);
      add("approxKl", stats.approxKl);
      add("clipFraction", stats.clipFraction);
      add("refKl", useKl ? stats.refKl : Number.NaN);
      add("valueLoss", valueLoss);
    }
    const stats: Record<string, number> = {};
    for (const k of ["loss", "entropy", "approxKl", "clipFraction", "refKl", "valueLoss"])
      stats[k] = applied > 0 ? (sums[k] ?? Number.NaN) / applied : Number.NaN;
    return { applied, skipped, beta, stats };
  }

  /** Pad the chosen decisions' candidate lists to a common K. */
  private policyBatch(idx: Int32Array, advantages: Float32Array, withRef: boolean): PolicyBatch {
    const F = this.shape.pairFeatureDim;
    const B = idx.length;
    let K = 1;
    for (const i of idx) K = Math.max(K, this.buffer.candidateCount(i));
    const features = new Float32Array(B * K * F);
    const mask = new Uint8Array(B * K);
    const action = new Int32Array(B);
    const behaviourLogProb = new Float32Array(B);
    const advantage = new Float32Array(B);
    idx.forEach((i, b) => {
      features.set(this.buffer.candidates(i), b * K * F);
      mask.fill(1, b * K, b * K + this.buffer.candidateCount(i));
      action[b] = this.buffer.action(i);
      behaviourLogProb[b] = this.buffer.behaviourLogProb(i);
      advantage[b] = advantages[i];
    });
    if (this.algorithm.normalizeAdvantages) zScore(advantage);
    const batch: PolicyBatch = {
      size: B,
      candidates: K,
      featureDim: F,
      features,
      mask,
      action,
      behaviourLogProb,
      advantage,
    };
    if (withRef && this.reference)
      batch.refLogProb = this.reference.policy(features, mask, B, K).logProbs;
    return batch;
  }

  private valueBatch(idx: Int32Array, returns: Float32Array) {
    const D = this.buffer.criticDim;
    const states = new Float32Array(idx.length * D);
    const targets = new Float32Array(idx.length);
    const oldValues = new Float32Array(idx.length);
    idx.forEach((i, b) => {
      states.set(this.buffer.criticInput(i), b * D);
      targets[b] = returns[i];
      oldValues[b] = this.buffer.value(i);
    });
    return { size: idx.length, stateDim: D, states, returns: targets, oldValues };
  }

  /** Evaluate; on improvement keep the policy (best file, π_ref); else switch the KL penalty on. */
  private evaluateAndKeepBest(): MetricsRow {
    const t0 = performance.now();
    const ev = this.evaluate();
    const best = this.counters.bestEval === null || ev.reward > this.counters.bestEval;
    this.algorithm.penalty.afterEvaluation(best, this.counters);
    if (best) {
      this.counters.bestEval = ev.reward;
      this.counters.bestEpisode = this.counters.episode;
      if (this.algorithm.penalty.usesReference) this.reference = this.policy.clone();
      if (this.outDir)
        saveNetworks(
          join(this.outDir, RUN_FILES.best),
          { policy: this.policy },
          {
            metadata: {
              config: JSON.stringify(this.config),
              episode: String(this.counters.episode),
            },
          },
        );
    }
    return {
      episode: this.counters.episode,
      reward: ev.reward,
      ...ev.means,
      best,
      bestEval: this.counters.bestEval,
      evalSeconds: (performance.now() - t0) / 1000,
    };
  }
}

/** The sizes a checkpoint records and checks. */
export function envShape(env: MultiAgentEnv): EnvShape {
  const { numAgents, agentFeatureDim, pairFeatureDim, globalStateDim } = env.spec;
  return { numAgents, agentFeatureDim, pairFeatureDim, globalStateDim };
}

/**
 * `min(size, m)` indices of 0..m−1, in draw order:
 * - "without-replacement" (default): distinct, uniformly without replacement (partial
 *   Fisher–Yates on a fresh identity permutation; draw i is `rng.int(m − i)`);
 * - "with-replacement" (OSPO's Buffer.sample: `size = min(size, num)`, then
 *   `np.random.randint(0, num, size)`): independent uniform draws `rng.int(m)`, repeats allowed.
 *
 * @example
 * drawMinibatch(5, 3, new Rng(1)); // 3 distinct indices of 0..4
 * drawMinibatch(5, 9, new Rng(1), "with-replacement"); // 5 indices of 0..4, maybe repeated
 */
export function drawMinibatch(
  m: number,
  size: number,
  rng: Rng,
  mode: TrainConfig["minibatch"] = "without-replacement",
): Int32Array {
  const b = Math.min(size, m);
  if (mode === "with-replacement") {
    const idx = new Int32Array(b);
    for (let i = 0; i < b; i++) idx[i] = rng.int(m);
    return idx;
  }
  const perm = new Int32Array(m);
  for (let i = 0; i < m; i++) perm[i] = i;
  for (let i = 0; i < b; i++) {
    const j = i + rng.int(m - i);
    const tmp = perm[i];
    perm[i] = perm[j];
    perm[j] = tmp;
  }
  return perm.slice(0, b);
}

function zScore(x: Float32Array): void {
  let mean = 0;
  for (const v of x) mean += v / x.length;
  let sq = 0;
  for (const v of x) sq += (v - mean) ** 2;
  const std = Math.sqrt(sq / x.length);
  for (let i = 0; i < x.length; i++) x[i] = (x[i] - mean) / (std + 1e-8);
}

function prefixed(prefix: string, values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [prefix + k, v]));
}
