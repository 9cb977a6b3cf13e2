/**
 * The on-policy experience of an update (one episode, or the `rollouts` episodes appended one
 * after the other): one row per decision that took effect (an agent
 * taking one of its candidates), struct-of-arrays on growable typed arrays. Each row keeps what
 * the updates need later, because environment buffers are only valid until the next step: the
 * agent's candidate feature rows (a variable number K per decision, CSR), the chosen local index,
 * the behaviour log-probability, the reward, the time, and, for critics, the critic's input row
 * and its value estimate, and for a post-decision critic the decision's post-decision input row
 * (its value is computed by the learner, see trainer.ts). Cleared before every update's
 * experience (on-policy). An episode's experience travels between threads as an `EpisodeRecord`.
 *
 * Rewards: a decision's reward is the reward its agent received in the step the decision took
 * effect. Rewards of steps in which an agent passed are not credited to anything (both shipped
 * environments pay 0 for a pass).
 */
import type { EpisodeEnd } from "../algorithms/advantages.ts";
import type { DecisionLog } from "../algorithms/recipe.ts";
import { PASS } from "../core/env.ts";

type Typed = Float32Array | Float64Array | Int32Array;

/** A typed array that doubles its capacity as needed; `view()` is the filled part. */
class Growable<T extends Typed> {
  data: T;
  length = 0;
  constructor(private readonly make: (n: number) => T) {
    this.data = make(64);
  }
  reserve(extra: number): void {
    const need = this.length + extra;
    if (need <= this.data.length) return;
    let capacity = this.data.length;
    while (capacity < need) capacity *= 2;
    const grown = this.make(capacity);
    grown.set(this.data.subarray(0, this.length) as never);
    this.data = grown;
  }
  push(v: number): void {
    this.reserve(1);
    this.data[this.length++] = v;
  }
  append(values: ArrayLike<number>): void {
    this.reserve(values.length);
    this.data.set(values as never, this.length);
    this.length += values.length;
  }
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

/** What the trainer records for one agent's decision before the step resolves it. */
export interface PendingDecision {
  step: number;
  agent: number;
  /** Time since the episode start (the env's unit, `infos.time`). */
  time: number;
  /** Local candidate index taken. */
  action: number;
  /** log π_behaviour(action). */
  logProb: number;
  /** Critic value of the state (0 without a critic). */
  value: number;
  /** The agent's candidate feature rows (K × pairDim), copied. */
  candidates: Float32Array;
  /** The critic's input row (criticDim), copied; empty without a critic. */
  criticInput: Float32Array;
}

/**
 * One played episode's experience as plain typed arrays: what a rollout worker sends to the
 * learner (the arrays are transferable, so nothing is copied between threads).
 */
export interface EpisodeRecord {
  numAgents: number;
  pairDim: number;
  criticDim: number;
  step: Int32Array;
  agent: Int32Array;
  time: Float64Array;
  reward: Float32Array;
  action: Int32Array;
  logProb: Float32Array;
  value: Float32Array;
  /** CSR offsets (rows of `features`) of each decision's candidates, length m + 1. */
  ptr: Int32Array;
  features: Float32Array;
  critic: Float32Array;
  end: EpisodeEnd;
  /** The reward components' weights (EnvSpec.rewardComponents; empty: none declared). */
  componentWeights: Float64Array;
  /** (m × componentWeights.length) each decision's reward components. */
  components: Float32Array;
  /** Width of a post-decision critic's input row (absent or 0: none recorded). */
  postDim?: number;
  /** (m × postDim) each decision's post-decision critic input. */
  post?: Float32Array;
}

/**
 * The post-decision input of a step's decisions: the env's n × D post-decision features and a
 * prefix put before every agent's row (the global state for "global+post"; empty for "post").
 */
export interface PostDecisionRows {
  features: Float32Array;
  prefix: Float32Array;
}

/** The typed arrays of a record (the transfer list of a postMessage). */
export function recordBuffers(r: EpisodeRecord): ArrayBuffer[] {
  const arrays: ArrayBufferView[] = [r.step, r.agent, r.time, r.reward, r.action, r.logProb];
  arrays.push(r.value, r.ptr, r.features, r.critic, r.end.value, r.end.terminated);
  arrays.push(r.componentWeights, r.components);
  if (r.post) arrays.push(r.post);
  return arrays.map((a) => a.buffer as ArrayBuffer);
}

/**
 * The decision log of one recorded episode, for the advantage estimators; `postValue`: the
 * post-decision critic's value of each decision, when the recipe has one.
 */
export function decisionLogOf(r: EpisodeRecord, postValue?: Float32Array): DecisionLog {
  const { numAgents, step, agent, time, reward, value, end } = r;
  return {
    numAgents,
    step,
    agent,
    time,
    reward,
    value,
    end,
    ...(r.componentWeights.length > 0 && {
      rewardComponents: { weights: Array.from(r.componentWeights), values: r.components },
    }),
    ...(postValue && { postValue }),
  };
}

export class EpisodeBuffer {
  readonly numAgents: number;
  readonly pairDim: number;
  readonly criticDim: number;
  /** Width of a post-decision critic's input row (0: none). */
  readonly postDim: number;
  private readonly stepIdx = new Growable((n) => new Int32Array(n));
  private readonly agentIdx = new Growable((n) => new Int32Array(n));
  private readonly times = new Growable((n) => new Float64Array(n));
  private readonly rewards = new Growable((n) => new Float32Array(n));
  private readonly actions = new Growable((n) => new Int32Array(n));
  private readonly logProbs = new Growable((n) => new Float32Array(n));
  private readonly values = new Growable((n) => new Float32Array(n));
  private readonly ptr = new Growable((n) => new Int32Array(n));
  private readonly features = new Growable((n) => new Float32Array(n));
  private readonly critic = new Growable((n) => new Float32Array(n));
  private readonly components = new Growable((n) => new Float32Array(n));
  private readonly post = new Growable((n) => new Float32Array(n));
  private readonly componentWeights: Float64Array;
  private episodeEnd: EpisodeEnd | null = null;

  /**
   * `componentWeights`: the env's reward-component weights (none: no components kept);
   * `postDim`: width of the post-decision critic's input (0: none kept).
   */
  constructor(
    numAgents: number,
    pairDim: number,
    criticDim = 0,
    componentWeights: ArrayLike<number> = [],
    postDim = 0,
  ) {
    this.numAgents = numAgents;
    this.pairDim = pairDim;
    this.criticDim = criticDim;
    this.postDim = postDim;
    this.componentWeights = Float64Array.from(componentWeights);
    this.clear();
  }

  /** The arrays with one entry per decision (the CSR and critic blocks are sized otherwise). */
  private perDecision() {
    return [
      this.stepIdx,
      this.agentIdx,
      this.times,
      this.rewards,
      this.actions,
      this.logProbs,
      this.values,
    ];
  }

  /** Number of decisions recorded. */
  get size(): number {
    return this.stepIdx.length;
  }

  clear(): void {
    const blocks = [this.ptr, this.features, this.critic, this.components, this.post];
    for (const g of [...this.perDecision(), ...blocks]) g.length = 0;
    this.ptr.push(0);
    this.episodeEnd = null;
  }

  /** Record a decision whose outcome (reward, whether it took effect) is not known yet. */
  add(d: PendingDecision): void {
    if (d.candidates.length === 0 || d.candidates.length % this.pairDim !== 0)
      throw new RangeError(
        `EpisodeBuffer.add: candidates must be K × ${this.pairDim} floats (got ${d.candidates.length})`,
      );
    const k = d.candidates.length / this.pairDim;
    if (!(d.action >= 0 && d.action < k))
      throw new RangeError(`EpisodeBuffer.add: action ${d.action} outside 0..${k - 1}`);
    if (d.criticInput.length !== this.criticDim)
      throw new RangeError(
        `EpisodeBuffer.add: criticInput must have ${this.criticDim} floats (got ${d.criticInput.length})`,
      );
    this.stepIdx.push(d.step);
    this.agentIdx.push(d.agent);
    this.times.push(d.time);
    this.rewards.push(0);
    this.actions.push(d.action);
    this.logProbs.push(d.logProb);
    this.values.push(d.value);
    this.features.append(d.candidates);
    this.ptr.push(this.features.length / this.pairDim);
    this.critic.append(d.criticInput);
    this.components.append(new Float32Array(this.componentWeights.length));
    this.post.append(new Float32Array(this.postDim)); // filled when the step settles
  }

  /**
   * Resolve the decisions recorded since index `from` with the step's outcome: keep those whose
   * agent's effective action is the one recorded (a lost conflict becomes PASS and is dropped),
   * and store their rewards (and, with a post-decision critic, their post-decision rows).
   */
  settle(
    from: number,
    effective: Int32Array,
    stepRewards: Float32Array,
    stepComponents?: Float32Array,
    post?: PostDecisionRows,
  ): void {
    const F = this.pairDim;
    const D = this.criticDim;
    const P = this.componentWeights.length;
    const X = this.postDim;
    if (P > 0 && stepComponents?.length !== this.numAgents * P)
      throw new RangeError(
        `EpisodeBuffer.settle: expected ${this.numAgents} × ${P} reward components`,
      );
    const featureDim = X - (post?.prefix.length ?? 0);
    if (X > 0 && !(post && featureDim > 0 && post.features.length === this.numAgents * featureDim))
      throw new RangeError(
        `EpisodeBuffer.settle: expected post-decision rows of ${X} floats for ${this.numAgents} agents`,
      );
    let out = from;
    for (let i = from; i < this.size; i++) {
      const agent = this.agentIdx.data[i];
      if (effective[agent] === PASS || effective[agent] !== this.actions.data[i]) continue;
      if (out !== i) this.moveRow(i, out, F, D);
      this.rewards.data[out] = stepRewards[agent];
      if (P > 0)
        this.components.data.set(stepComponents!.subarray(agent * P, (agent + 1) * P), out * P);
      if (X > 0) {
        const { prefix, features } = post!;
        this.post.data.set(prefix, out * X);
        const own = features.subarray(agent * featureDim, (agent + 1) * featureDim);
        this.post.data.set(own, out * X + prefix.length);
      }
      out++;
    }
    this.truncate(out);
  }

  /** Close the episode: when it ended, bootstrap values and terminations per agent. */
  finish(end: EpisodeEnd): void {
    if (end.value.length !== this.numAgents || end.terminated.length !== this.numAgents)
      throw new RangeError(`EpisodeBuffer.finish: expected per-agent arrays of ${this.numAgents}`);
    this.episodeEnd = end;
  }

  /** The decision log the advantage estimators read (views, valid until the next change). */
  log(): DecisionLog {
    if (this.episodeEnd === null) throw new Error("EpisodeBuffer.log: call finish() first");
    return {
      numAgents: this.numAgents,
      step: this.stepIdx.view(),
      agent: this.agentIdx.view(),
      time: this.times.view(),
      reward: this.rewards.view(),
      value: this.values.view(),
      end: this.episodeEnd,
      ...(this.componentWeights.length > 0 && {
        rewardComponents: {
          weights: Array.from(this.componentWeights),
          values: this.components.view(),
        },
      }),
    };
  }

  /** A copy of the finished episode's experience (see `finish`). */
  toRecord(): EpisodeRecord {
    const end = this.episodeEnd;
    if (end === null) throw new Error("EpisodeBuffer.toRecord: call finish() first");
    return {
      numAgents: this.numAgents,
      pairDim: this.pairDim,
      criticDim: this.criticDim,
      step: this.stepIdx.view().slice(),
      agent: this.agentIdx.view().slice(),
      time: this.times.view().slice(),
      reward: this.rewards.view().slice(),
      action: this.actions.view().slice(),
      logProb: this.logProbs.view().slice(),
      value: this.values.view().slice(),
      ptr: this.ptr.view().slice(),
      features: this.features.view().slice(),
      critic: this.critic.view().slice(),
      end: { time: end.time, value: end.value.slice(), terminated: end.terminated.slice() },
      componentWeights: this.componentWeights.slice(),
      components: this.components.view().slice(),
      ...(this.postDim > 0 && { postDim: this.postDim, post: this.post.view().slice() }),
    };
  }

  /**
   * Append a recorded episode's decisions after those held (several episodes feed one update);
   * the buffer then has no single episode end: `log()` is for one finished episode only.
   */
  append(r: EpisodeRecord): void {
    if (
      r.pairDim !== this.pairDim ||
      r.criticDim !== this.criticDim ||
      r.numAgents !== this.numAgents ||
      r.componentWeights.length !== this.componentWeights.length
    )
      throw new RangeError("EpisodeBuffer.append: the record has other sizes than the buffer");
    if (this.postDim > 0 && (r.postDim !== this.postDim || r.post === undefined))
      throw new RangeError(
        `EpisodeBuffer.append: the record carries no post-decision rows of ${this.postDim} floats ` +
          "(played by a player or transport that does not record them?)",
      );
    const rows = this.features.length / this.pairDim;
    this.stepIdx.append(r.step);
    this.agentIdx.append(r.agent);
    this.times.append(r.time);
    this.rewards.append(r.reward);
    this.actions.append(r.action);
    this.logProbs.append(r.logProb);
    this.values.append(r.value);
    this.features.append(r.features);
    this.critic.append(r.critic);
    this.components.append(r.components);
    if (this.postDim > 0) this.post.append(r.post!);
    this.ptr.reserve(r.ptr.length - 1);
    for (let i = 1; i < r.ptr.length; i++) this.ptr.push(rows + r.ptr[i]);
    this.episodeEnd = null;
  }

  /** The critic's value of every decision held (0 without a critic). */
  valueEstimates(): Float32Array {
    return this.values.view();
  }

  /** Number of candidates of decision i. */
  candidateCount(i: number): number {
    return this.ptr.data[i + 1] - this.ptr.data[i];
  }

  /** Candidate feature rows of decision i (K × pairDim view). */
  candidates(i: number): Float32Array {
    const F = this.pairDim;
    return this.features.data.subarray(this.ptr.data[i] * F, this.ptr.data[i + 1] * F);
  }

  action(i: number): number {
    return this.actions.data[i];
  }

  behaviourLogProb(i: number): number {
    return this.logProbs.data[i];
  }

  value(i: number): number {
    return this.values.data[i];
  }

  /** Post-decision critic input row of decision i (postDim view). */
  postInput(i: number): Float32Array {
    return this.post.data.subarray(i * this.postDim, (i + 1) * this.postDim);
  }

  /** Critic input row of decision i (criticDim view). */
  criticInput(i: number): Float32Array {
    return this.critic.data.subarray(i * this.criticDim, (i + 1) * this.criticDim);
  }

  private moveRow(from: number, to: number, F: number, D: number): void {
    for (const g of [
      this.stepIdx,
      this.agentIdx,
      this.times,
      this.actions,
      this.logProbs,
      this.values,
    ])
      g.data[to] = g.data[from];
    const src = this.features.data.subarray(this.ptr.data[from] * F, this.ptr.data[from + 1] * F);
    const start = this.ptr.data[to];
    this.features.data.copyWithin(start * F, this.ptr.data[from] * F, this.ptr.data[from + 1] * F);
    this.ptr.data[to + 1] = start + src.length / F;
    this.critic.data.copyWithin(to * D, from * D, (from + 1) * D);
  }

  private truncate(size: number): void {
    for (const g of this.perDecision()) g.length = size;
    this.ptr.length = size + 1;
    this.features.length = this.ptr.data[size] * this.pairDim;
    this.critic.length = size * this.criticDim;
    this.components.length = size * this.componentWeights.length;
    this.post.length = size * this.postDim;
  }
}
