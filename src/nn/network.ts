/**
 * The networks other layers hold: an MLP's config plus its flat parameters, with inference through
 * the faster of the two forward passes (jax-js, measured in bench/nn.ts: ~10× the plain-JS loop
 * on this machine, even for 100 rows). `PairScorer` turns (vehicle, candidate) feature rows into
 * logits and per-vehicle candidate distributions; `Critic` maps state rows to values.
 */
import type { Rng } from "../core/rng.ts";
import { forwardJax } from "./forward-jax.ts";
import { initParams, type MlpConfig, mlpConfig, paramCount } from "./mlp.ts";
import { maskedSoftmaxRows } from "./softmax.ts";

/** What a network is for; stored in checkpoints and checked on load. */
export type NetworkKind = "pair-scorer" | "critic";

export class Mlp {
  readonly config: MlpConfig;
  /** Flat parameters (manifest order, see mlp.ts paramManifest); optimizers update them in place. */
  readonly params: Float32Array;

  constructor(config: MlpConfig, params: Float32Array) {
    if (params.length !== paramCount(config))
      throw new RangeError(`expected ${paramCount(config)} parameters, got ${params.length}`);
    this.config = config;
    this.params = params;
  }

  /** Outputs for `n` rows of x ([n, inputDim] row-major), [n, outputDim]. */
  forward(x: Float32Array, n: number): Float32Array {
    if (x.length < n * this.config.inputDim)
      throw new RangeError(
        `forward: ${n} rows need ${n * this.config.inputDim} values, got ${x.length}`,
      );
    if (n === 0) return new Float32Array(0);
    return forwardJax(this.config, this.params, x, n);
  }
}

/** Per-row candidate distribution: all arrays [rows, k] row-major. */
export interface CandidatePolicy {
  logits: Float32Array;
  /** Softmax over the row's unmasked candidates; 0 for padded slots. */
  probs: Float32Array;
  /** log(probs); -Infinity for padded slots. */
  logProbs: Float32Array;
}

/**
 * The OSPO policy: one shared MLP scoring each (vehicle, candidate) pair from its feature vector
 * (vehicle, onboard-order and candidate-order features, normalised to [0, 1]); a vehicle's policy
 * is the softmax over its candidates' logits. A "pass" action is just one more candidate row.
 */
export class PairScorer extends Mlp {
  readonly kind: NetworkKind = "pair-scorer";

  /** A freshly initialised scorer (hidden 128-128, LeakyReLU 0.01 unless overridden). */
  static create(featureDim: number, rng: Rng, overrides: Partial<MlpConfig> = {}): PairScorer {
    const config = mlpConfig({ ...overrides, inputDim: featureDim, outputDim: 1 });
    return new PairScorer(config, initParams(config, rng));
  }

  /** Logits for `n` pairs: features [n, featureDim] → [n]. */
  scores(features: Float32Array, n: number): Float32Array {
    return this.forward(features, n);
  }

  /**
   * Candidate distributions for a padded batch: features [rows, k, featureDim], mask [rows, k]
   * (non-zero = real candidate).
   */
  policy(
    features: Float32Array,
    mask: ArrayLike<number>,
    rows: number,
    k: number,
  ): CandidatePolicy {
    const logits = this.scores(features, rows * k);
    const { probs, logProbs } = maskedSoftmaxRows(logits, mask, rows, k);
    return { logits, probs, logProbs };
  }

  clone(): PairScorer {
    return new PairScorer(this.config, this.params.slice());
  }
}

/** A value head: state rows → one value each (per vehicle for IPPO, global state for MAPPO). */
export class Critic extends Mlp {
  readonly kind: NetworkKind = "critic";

  static create(stateDim: number, rng: Rng, overrides: Partial<MlpConfig> = {}): Critic {
    const config = mlpConfig({ ...overrides, inputDim: stateDim, outputDim: 1 });
    return new Critic(config, initParams(config, rng));
  }

  /** Values for `n` states: [n, stateDim] → [n]. */
  values(states: Float32Array, n: number): Float32Array {
    return this.forward(states, n);
  }

  clone(): Critic {
    return new Critic(this.config, this.params.slice());
  }
}
