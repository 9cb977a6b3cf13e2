/**
 * The training loop for every registered algorithm (OSPO, GRPO, IPPO, MAPPO and the variants of
 * registry.ts, with the config's piece overrides), CleanRL style: one episode reads top to bottom
 * in `trainEpisode()`.
 *
 *   1. collect `rollouts` episodes (default 1) with exploration (ε-greedy inside the matching, or
 *      sampling), here or on a RolloutPool's workers (rollout.ts plays them), with the current
 *      weights or, with a policy lag L, those of L updates before (`nextBatches`);
 *   2. advantages from the algorithm's estimator, per episode (and critic targets);
 *   3. K minibatch updates: the recipe's surrogate + β·KL(π‖π_ref) − c_H·H, then the optimizer
 *      chain (grad-norm clip → Adam → lr schedule); β follows the recipe's penalty schedule
 *      (OSPO: KL above target doubles β and skips the batch); critic regression if any;
 *   4. every `evalEvery` episodes (and, with `evalAtStart`, once before the first update, as the
 *      learning curve's episode 0): greedy evaluation on fixed seeds; keep the best policy
 *      (π_ref ← π on improvement; the penalty schedule hears of it: OSPO switches the penalty on
 *      the first time an evaluation fails to improve);
 *   5. log the episode's metrics; checkpoint.
 *
 * ε and lr follow from the episode index alone (ε_e = max(floor, ε0·d^e), lr_e = lr0·d^e; with
 * `epsilonDecay: "auto"`, d = (0.01/ε0)^(2/episodes), see autoEpsilonDecay), and
 * every random draw comes from a named stream of the run's seed (`policy`, `critic` for
 * initialisation; `minibatch`; each training episode's environment seed and exploration stream
 * are pure functions of the seed and the episode index, so whoever plays an episode plays the
 * same one), so one seed gives one run whatever the number of workers, and a resumed
 * checkpoint continues it bit for bit.
 */
import { join } from "node:path";
import {
  type PolicyBatch,
  type PolicyObjectiveConfig,
  policyLossAndGrad,
  type ValueBatch,
  valueLossAndGrad,
} from "../algorithms/objectives.ts";
import { exponentialDecay, OptimizerChain } from "../algorithms/optim.ts";
import type { Algorithm } from "../algorithms/recipe.ts";
import { resolveAlgorithm } from "../algorithms/registry.ts";
import { surrogateParams } from "../algorithms/surrogates.ts";
import type { MultiAgentEnv } from "../core/env.ts";
import { UserError } from "../core/errors.ts";
import { Rng } from "../core/rng.ts";
import { LOG_STEMS, RUN_FILES } from "../core/run-layout.ts";
import { explainedVariance } from "../core/stats.ts";
import { Critic, initBackend, type PairScorer, saveNetworks } from "../nn/index.ts";
import {
  type CheckpointData,
  criticDim,
  type EnvShape,
  loadCheckpoint,
  postDecisionDim,
  saveCheckpoint,
  type TrainerCounters,
} from "./checkpoint.ts";
import { decisionLogOf, EpisodeBuffer } from "./experience.ts";
import {
  createNetworks,
  EpisodePlayer,
  type EpisodeTotals,
  type PlayedEpisode,
  type PlayerWeights,
  playEpisode,
  type RolloutBatch,
  type RolloutJob,
  type RolloutPool,
} from "./rollout.ts";
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

export type {
  EpisodeTotals,
  PlayedEpisode,
  RolloutBatch,
  RolloutJob,
  RolloutPool,
} from "./rollout.ts";

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
  /** The recipe's post-decision critic (PDPPO), valued and trained here, or null. */
  readonly postCritic: Critic | null;
  readonly counters: TrainerCounters;

  private readonly shape: EnvShape;
  private readonly policyOptimizer: OptimizerChain;
  private readonly criticOptimizer: OptimizerChain | null;
  private readonly postCriticOptimizer: OptimizerChain | null;
  /** The post-decision critic's values of the update's decisions (for value clipping). */
  private postValues: Float32Array = new Float32Array(0);
  private readonly root: Rng;
  private readonly minibatchRng: Rng;
  private readonly buffer: EpisodeBuffer;
  private readonly player: EpisodePlayer;
  /**
   * With a policy lag L: the weights the last L updates started from, oldest first (the
   * weights the next L batches are played with; checkpointed).
   */
  private readonly lagged: { version: number; weights: PlayerWeights }[];
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
    this.algorithm = resolveAlgorithm(config); // the recipe with the config's piece overrides
    this.env = options.env;
    this.evalEnv = options.evalEnv ?? options.env;
    this.outDir = options.outDir;
    this.onEpisode = options.onEpisode;
    this.shape = envShape(this.env);
    const { pairFeatureDim, numAgents } = this.shape;

    this.root = new Rng(config.seed);
    const networks = saved
      ? { policy: saved.policy, critic: saved.critic ?? null }
      : createNetworks(config, this.shape, this.algorithm.critic, this.root);
    this.policy = networks.policy;
    this.critic = this.algorithm.critic === "none" ? null : networks.critic;
    this.postCritic = this.createPostCritic(saved);
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
    // the paper's separate optimizer for the second critic, with the critics' learning rate
    this.postCriticOptimizer = this.postCritic
      ? optimizer(this.postCritic.params.length, config.criticLr)
      : null;
    this.minibatchRng = this.root.split("minibatch");
    this.buffer = new EpisodeBuffer(
      numAgents,
      pairFeatureDim,
      criticDim(config, this.shape),
      this.env.spec.rewardComponents?.weights,
      postDecisionDim(config, this.shape),
    );
    this.player = new EpisodePlayer(this.env, networks, config, this.algorithm.critic, this.shape);
    this.lagged = saved?.lagged ? [...saved.lagged] : [];
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
      if (this.postCriticOptimizer && saved.adam.postCritic)
        this.postCriticOptimizer.setState(saved.adam.postCritic);
      this.minibatchRng.setState(saved.rng.minibatch);
    }
    if (this.outDir) {
      const after = saved ? this.counters.episode : undefined;
      this.trainLog = new MetricsLog(this.outDir, LOG_STEMS.train, after);
      this.evalLog = new MetricsLog(this.outDir, LOG_STEMS.eval, after);
    }
  }

  /**
   * The recipe's post-decision critic: restored, or fresh from its own random stream. Refused
   * (UserError) when the environment declares no post-decision features.
   */
  private createPostCritic(saved: CheckpointData | null): Critic | null {
    const input = this.algorithm.postDecisionCritic;
    if (input === undefined) return null;
    if (!(this.shape.postDecisionFeatureDim ?? 0))
      throw new UserError(
        `algorithm "${this.algorithm.name}" needs post-decision features (a critic on the state right after each decision), ` +
          "and this environment declares none (spec.postDecisionFeatureDim); the dispatch and tiny environments have them",
      );
    if (saved?.postCritic) return saved.postCritic;
    return Critic.create(postDecisionDim(this.config, this.shape), this.root.split("post-critic"), {
      hidden: this.config.criticHidden,
    });
  }

  /** Train until `counters.episode` reaches `untilEpisode` (default: config.episodes). */
  train(untilEpisode = this.config.episodes): void {
    while (this.counters.episode < untilEpisode) {
      const before = this.counters.episode;
      this.trainEpisode(untilEpisode);
      if (this.outDir && this.dueCheckpoint(before, untilEpisode)) this.saveCheckpoint();
    }
  }

  /** A checkpoint is due after the update that took the run from `before` episodes. */
  dueCheckpoint(before: number, total = this.config.episodes): boolean {
    const done = this.counters.episode;
    return crossed(before, done, this.config.checkpointEvery) || done >= total;
  }

  /**
   * One update, played here: collect the next `rollouts` episodes (at most up to `until`) →
   * advantages → updates → (evaluate) → log. Returns the metrics row.
   */
  trainEpisode(until = this.config.episodes): MetricsRow {
    const t0 = performance.now();
    const [batch] = this.nextBatches(until, 0);
    return this.learn(
      batch.jobs,
      batch.jobs.map((job) => this.playBatch(job, batch)),
      t0,
    );
  }

  /** The same update with the episodes played by `pool` (same result, other threads). */
  async trainEpisodeOn(pool: RolloutPool, until = this.config.episodes): Promise<MetricsRow> {
    const t0 = performance.now();
    const batches = this.nextBatches(until);
    const played = await pool.collect(batches, (job) => this.playBatch(job, batches[0]));
    return this.learn(batches[0].jobs, played, t0);
  }

  /** The episodes of the next update: `rollouts` of them, fewer when `until` comes first. */
  nextJobs(until = this.config.episodes): RolloutJob[] {
    return this.jobsFrom(this.counters.episode, until);
  }

  /**
   * The next update's batch, then (with a policy lag L) up to `ahead` of the updates after it,
   * whose weights exist already: batch j is played with the weights of L − j updates before the
   * current ones (the initial weights while fewer updates are done), so every episode of a run
   * is played with the same weights however far ahead a pool plays.
   */
  nextBatches(until = this.config.episodes, ahead = this.config.policyLag): RolloutBatch[] {
    const lag = this.config.policyLag;
    const known = [...this.lagged, { version: this.counters.episode, weights: this.weights() }];
    const batches: RolloutBatch[] = [];
    let first = this.counters.episode;
    for (let j = 0; j <= ahead && (j === 0 || first < until); j++) {
      const jobs = this.jobsFrom(first, until);
      batches.push({ jobs, ...known[Math.max(0, known.length - 1 + j - lag)] });
      first += jobs.length;
    }
    return batches;
  }

  /** The jobs of the update that starts at episode `first`. */
  private jobsFrom(first: number, until: number): RolloutJob[] {
    const c = this.config;
    const count = Math.max(1, Math.min(c.rollouts, until - first));
    return Array.from({ length: count }, (_, k) => {
      const e = first + k;
      return {
        episode: e,
        seed: this.episodeSeed(e),
        epsilon: Math.max(c.epsilonFloor, c.epsilon * epsilonDecayOf(c) ** e),
        exploration: this.root.split("exploration").split(String(e)).getState(),
      };
    });
  }

  /** Play one training episode with the current weights, in this thread. */
  play(job: RolloutJob): PlayedEpisode {
    return this.player.play(job);
  }

  /** Play one of `batch`'s episodes in this thread, with the batch's (possibly lagged) weights. */
  private playBatch(job: RolloutJob, batch: RolloutBatch): PlayedEpisode {
    if (batch.version === this.counters.episode) return this.player.play(job);
    const current = this.weights();
    this.player.setWeights(batch.weights);
    try {
      return this.player.play(job);
    } finally {
      this.player.setWeights(current);
    }
  }

  /** The current weights (what a pool's players need). */
  weights(): PlayerWeights {
    return { policy: this.policy.params.slice(), critic: this.critic?.params.slice() ?? null };
  }

  /** Advantages → minibatch updates → (evaluation) → log, on the played episodes of `jobs`. */
  private learn(jobs: readonly RolloutJob[], played: PlayedEpisode[], t0: number): MetricsRow {
    const c = this.config;
    const first = jobs[0].episode;
    const last = jobs[jobs.length - 1];
    const lr = this.policyOptimizer.startEpisode(first);
    this.criticOptimizer?.startEpisode(first);

    // 2. advantages (and critic targets), episode by episode: the group is one episode's fleet
    const t1 = performance.now();
    const settings = {
      gamma: c.gamma,
      gaeLambda: c.gaeLambda,
      fairnessCoef: c.fairnessCoef,
      grpoAdvantage: c.grpoAdvantage,
      baseline: c.baseline,
      postDecisionAdvantage: c.postDecisionAdvantage,
    };
    this.buffer.clear();
    const postValues: Float32Array[] = [];
    const perEpisode = played.map((p) => {
      this.buffer.append(p.experience);
      const post = this.postDecisionValues(p);
      if (post) postValues.push(post);
      return this.algorithm.advantages(decisionLogOf(p.experience, post ?? undefined), settings);
    });
    this.postValues = postValues.length > 0 ? concat(postValues) : new Float32Array(0);
    const postReturns = perEpisode[0].postReturns
      ? concat(perEpisode.map((a) => a.postReturns as Float32Array))
      : undefined;
    const advantages = concat(perEpisode.map((a) => a.advantages));
    const returns = perEpisode[0].returns
      ? concat(perEpisode.map((a) => a.returns as Float32Array))
      : undefined;
    // per-group surrogates (ETR) read each decision's group spread; estimators without groups: 0
    const spread = concat(
      perEpisode.map((a) => a.groupSpread ?? new Float32Array(a.advantages.length)),
    );

    // the untrained policy's evaluation, before the first update changes it: the curve's first
    // point, so "first → best evaluation" measures all the learning (log only: it neither
    // competes for the best policy nor moves the penalty schedule)
    const untrained = first === 0 && c.evalAtStart ? this.evaluateUntrained() : null;

    // 3. minibatch updates (with a policy lag, the weights they start from are kept first: a
    // batch to come is played with them)
    if (c.policyLag > 0) {
      this.lagged.push({ version: first, weights: this.weights() });
      if (this.lagged.length > c.policyLag) this.lagged.shift();
    }
    const update = this.update(advantages, returns, spread, postReturns);
    const t2 = performance.now();

    const before = this.counters.episode;
    this.counters.episode = last.episode + 1;
    this.counters.epsilon = last.epsilon;
    this.counters.lr = lr;
    this.counters.beta = update.beta;

    // 4. evaluation, best policy, KL phase
    const evaluation = crossed(before, this.counters.episode, c.evalEvery)
      ? this.evaluateAndKeepBest()
      : null;

    // 5. log: the episodes' totals (their means when there are several)
    const totals = meanTotals(played.map((p) => p.totals));
    const decisions = played.reduce((sum, p) => sum + p.totals.decisions, 0);
    const row: MetricsRow = {
      episode: this.counters.episode,
      envSeed: jobs[0].seed,
      reward: totals.reward,
      steps: totals.steps,
      decisions: totals.decisions,
      conflicts: totals.conflicts,
      ...prefixed("env.", totals.extra),
      epsilon: last.epsilon,
      lr,
      beta: update.beta,
      updates: update.applied,
      skipped: update.skipped,
      ...update.stats,
      // the critic's values at the decisions against the returns it then regresses on
      explainedVariance: returns
        ? explainedVariance(this.buffer.valueEstimates(), returns)
        : Number.NaN,
      decisionsPerSecond: decisions / ((t1 - t0) / 1000),
      rolloutSeconds: (t1 - t0) / 1000,
      updateSeconds: (t2 - t1) / 1000,
    };
    this.trainLog?.append(row);
    if (untrained) this.evalLog?.append(untrained);
    if (evaluation) this.evalLog?.append(evaluation);
    this.onEpisode?.(row, evaluation ?? untrained);
    return row;
  }

  /** Greedy (no exploration) episodes on `seeds` (default: config.evalSeeds). */
  evaluate(seeds: readonly number[] = this.config.evalSeeds): Evaluation {
    const rng = this.root.split("evaluation"); // ε = 0: greedy matching draws nothing
    const episodes = seeds.map((seed) =>
      playEpisode(this.player.player, this.evalEnv, seed, 0, rng, null),
    );
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
      rng: { minibatch: this.minibatchRng.getState() },
      policy: this.policy,
      reference: this.reference ?? undefined,
      critic: this.critic ?? undefined,
      postCritic: this.postCritic ?? undefined,
      lagged: this.lagged,
      adam: {
        policy: this.policyOptimizer.getState(),
        critic: this.criticOptimizer?.getState(),
        postCritic: this.postCriticOptimizer?.getState(),
      },
    });
  }

  /** Environment seed of training episode `e` (0-based): a pure function of the run seed. */
  episodeSeed(e: number): number {
    return this.root.split("training-episodes").split(String(e)).nextU32();
  }

  /**
   * The post-decision critic's value of each of a played episode's decisions, computed here with
   * the weights the update starts from (the episode was played with them, or with a policy lag
   * with older ones: this critic's values are the learner's), so players need not hold this
   * critic; null without one.
   */
  private postDecisionValues(p: PlayedEpisode): Float32Array | null {
    if (!this.postCritic) return null;
    const { post, step } = p.experience;
    const m = step.length;
    if (!post || post.length !== m * this.buffer.postDim)
      throw new RangeError(
        "Trainer: the played episode carries no post-decision rows (its player or transport does not record them)",
      );
    return m > 0 ? this.postCritic.values(post, m) : new Float32Array(0);
  }

  /** K minibatch updates of the policy (and critics) on this episode's decisions. */
  private update(
    advantages: Float32Array,
    returns: Float32Array | undefined,
    spread: Float32Array,
    postReturns: Float32Array | undefined,
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
      const batch = this.policyBatch(idx, advantages, spread, useKl);
      const objective: PolicyObjectiveConfig = {
        clipLow: c.clipLow,
        clipHigh: c.clipHigh,
        klCoef: beta,
        klEstimator: c.klEstimator,
        entropyCoef: c.entropyCoef,
        params: surrogateParams(c),
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
      const valueLoss =
        this.critic && this.criticOptimizer && returns
          ? this.criticStep(this.critic, this.criticOptimizer, this.valueBatch(idx, returns))
          : Number.NaN;
      const postValueLoss =
        this.postCritic && this.postCriticOptimizer && postReturns
          ? this.criticStep(
              this.postCritic,
              this.postCriticOptimizer,
              this.postValueBatch(idx, postReturns),
            )
          : Number.NaN;
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
      add("postValueLoss", postValueLoss);
    }
    const stats: Record<string, number> = {};
    const keys = ["loss", "entropy", "approxKl", "clipFraction", "refKl", "valueLoss"];
    if (this.postCritic) keys.push("postValueLoss"); // a column only where the critic exists
    for (const k of keys) stats[k] = applied > 0 ? (sums[k] ?? Number.NaN) / applied : Number.NaN;
    return { applied, skipped, beta, stats };
  }

  /** One regression step of a critic on a minibatch of its targets; the batch's loss. */
  private criticStep(critic: Critic, optimizer: OptimizerChain, batch: ValueBatch): number {
    const { stats, grad } = valueLossAndGrad(critic, batch, { valueClip: this.config.valueClip });
    optimizer.step(critic.params, grad);
    return stats.loss;
  }

  /** Pad the chosen decisions' candidate lists to a common K. */
  private policyBatch(
    idx: Int32Array,
    advantages: Float32Array,
    spread: Float32Array,
    withRef: boolean,
  ): PolicyBatch {
    const F = this.shape.pairFeatureDim;
    const B = idx.length;
    let K = 1;
    for (const i of idx) K = Math.max(K, this.buffer.candidateCount(i));
    const features = new Float32Array(B * K * F);
    const mask = new Uint8Array(B * K);
    const action = new Int32Array(B);
    const behaviourLogProb = new Float32Array(B);
    const advantage = new Float32Array(B);
    const groupSpread = new Float32Array(B);
    idx.forEach((i, b) => {
      features.set(this.buffer.candidates(i), b * K * F);
      mask.fill(1, b * K, b * K + this.buffer.candidateCount(i));
      action[b] = this.buffer.action(i);
      behaviourLogProb[b] = this.buffer.behaviourLogProb(i);
      advantage[b] = advantages[i];
      groupSpread[b] = spread[i];
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
      groupSpread,
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

  private postValueBatch(idx: Int32Array, returns: Float32Array) {
    const D = this.buffer.postDim;
    const states = new Float32Array(idx.length * D);
    const targets = new Float32Array(idx.length);
    const oldValues = new Float32Array(idx.length);
    idx.forEach((i, b) => {
      states.set(this.buffer.postInput(i), b * D);
      targets[b] = returns[i];
      oldValues[b] = this.postValues[i];
    });
    return { size: idx.length, stateDim: D, states, returns: targets, oldValues };
  }

  /** The evaluation row of the policy before any update (episode 0, never `best`). */
  private evaluateUntrained(): MetricsRow {
    const t0 = performance.now();
    const ev = this.evaluate();
    return {
      episode: 0,
      reward: ev.reward,
      ...ev.means,
      best: false,
      bestEval: null,
      evalSeconds: (performance.now() - t0) / 1000,
    };
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
  const post = env.spec.postDecisionFeatureDim ?? 0;
  return {
    numAgents,
    agentFeatureDim,
    pairFeatureDim,
    globalStateDim,
    ...(post > 0 && { postDecisionFeatureDim: post }),
  };
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

/** Whether going from `before` to `after` episodes passed a multiple of `every`. */
function crossed(before: number, after: number, every: number): boolean {
  return Math.floor(after / every) > Math.floor(before / every);
}

function concat(parts: Float32Array[]): Float32Array {
  if (parts.length === 1) return parts[0];
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Per-episode means of several episodes' totals (one episode: its totals). */
function meanTotals(all: EpisodeTotals[]): EpisodeTotals {
  if (all.length === 1) return all[0];
  const mean: EpisodeTotals = { reward: 0, steps: 0, decisions: 0, conflicts: 0, extra: {} };
  for (const t of all) {
    mean.reward += t.reward / all.length;
    mean.steps += t.steps / all.length;
    mean.decisions += t.decisions / all.length;
    mean.conflicts += t.conflicts / all.length;
    for (const [k, v] of Object.entries(t.extra))
      mean.extra[k] = (mean.extra[k] ?? 0) + v / all.length;
  }
  return mean;
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
