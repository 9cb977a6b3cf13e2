/**
 * Optimisation in plain JS on flat Float32Arrays: Adam (with state for checkpoints), global
 * gradient-norm clipping and an exponential learning-rate schedule. Arithmetic is in doubles with
 * results stored as float32, so the same gradients give the same weights on every machine.
 */

export interface AdamConfig {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
}

/** Adam's usual defaults with OSPO's learning rate (1e-5). */
export const ADAM_DEFAULTS: AdamConfig = { lr: 1e-5, beta1: 0.9, beta2: 0.999, eps: 1e-8 };

/** Serialisable optimizer state (moments as Float32Arrays, e.g. extra safetensors tensors). */
export interface AdamState {
  step: number;
  m: Float32Array;
  v: Float32Array;
}

/**
 * Adam (Kingma & Ba), bias-corrected, as torch.optim.Adam without weight decay:
 * m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; θ ← θ − lr·m̂ / (√v̂ + ε).
 *
 * @example
 * const adam = new Adam(params.length, { lr: 1e-3 });
 * adam.step(params, grad); // params updated in place
 */
export class Adam {
  readonly config: AdamConfig;
  /** Learning rate used by the next step; schedules set it per episode. */
  lr: number;
  private t = 0;
  private readonly m: Float32Array;
  private readonly v: Float32Array;

  constructor(size: number, config: Partial<AdamConfig> = {}) {
    this.config = { ...ADAM_DEFAULTS, ...config };
    this.lr = this.config.lr;
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
  }

  /** Apply one update to `params` in place. */
  step(params: Float32Array, grad: Float32Array): void {
    if (params.length !== this.m.length || grad.length !== this.m.length)
      throw new RangeError(
        `Adam sized for ${this.m.length} parameters, got ${params.length} params / ${grad.length} grads`,
      );
    const { beta1, beta2, eps } = this.config;
    this.t++;
    const c1 = 1 - beta1 ** this.t;
    const c2 = 1 - beta2 ** this.t;
    const stepSize = this.lr / c1;
    const sqrtC2 = Math.sqrt(c2);
    const m = this.m;
    const v = this.v;
    for (let i = 0; i < params.length; i++) {
      const g = grad[i];
      const mi = beta1 * m[i] + (1 - beta1) * g;
      const vi = beta2 * v[i] + (1 - beta2) * g * g;
      m[i] = mi;
      v[i] = vi;
      params[i] -= (stepSize * mi) / (Math.sqrt(vi) / sqrtC2 + eps);
    }
  }

  /** A copy of the state, for checkpoints. */
  getState(): AdamState {
    return { step: this.t, m: this.m.slice(), v: this.v.slice() };
  }

  /** Restore a state from getState(). */
  setState(state: AdamState): void {
    if (state.m.length !== this.m.length || state.v.length !== this.v.length)
      throw new RangeError(
        `Adam state for ${state.m.length} parameters, optimizer has ${this.m.length}`,
      );
    if (!Number.isInteger(state.step) || state.step < 0)
      throw new RangeError(`Adam step must be a non-negative integer, got ${state.step}`);
    this.t = state.step;
    this.m.set(state.m);
    this.v.set(state.v);
  }
}

/** Euclidean norm of a flat vector (double accumulation). */
export function globalNorm(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

/**
 * Scale `grad` in place so its global norm is at most `maxNorm` (torch's clip_grad_norm_, which
 * multiplies by maxNorm / (norm + 1e-6)). Returns the norm before clipping.
 *
 * @example
 * const g = new Float32Array([3, 4]);
 * clipGradNorm(g, 1); // 5; g ≈ [0.6, 0.8]
 */
export function clipGradNorm(grad: Float32Array, maxNorm = 1.0): number {
  const norm = globalNorm(grad);
  const scale = maxNorm / (norm + 1e-6);
  if (scale < 1) for (let i = 0; i < grad.length; i++) grad[i] *= scale;
  return norm;
}

/**
 * Exponential decay per episode: lr(e) = max(floor, initial · decay^e). OSPO: 1e-5 × 0.99^e.
 *
 * @example
 * const schedule = exponentialDecay(1e-5, 0.99);
 * schedule(2); // 9.801e-6
 */
export function exponentialDecay(
  initial: number,
  decay: number,
  floor = 0,
): (episode: number) => number {
  return (episode) => Math.max(floor, initial * decay ** episode);
}

/**
 * A network's optimizer as one chain, optax-style (chain(clip_by_global_norm, scale_by_adam,
 * scale_by_schedule)): each step clips the gradient to a global norm, then Adam turns it into
 * the update with the learning rate of the current episode, which a schedule of the episode
 * index gives.
 *
 * @example
 * const opt = new OptimizerChain(params.length, { maxGradNorm: 1, schedule: exponentialDecay(1e-5, 0.99) });
 * opt.startEpisode(2); // 9.801e-6
 * opt.step(params, grad); // grad clipped in place, params updated in place; returns the norm before clipping
 */
export class OptimizerChain {
  private readonly adam: Adam;
  private readonly maxGradNorm: number;
  private readonly schedule: (episode: number) => number;

  constructor(
    size: number,
    options: { maxGradNorm: number; schedule: (episode: number) => number },
  ) {
    this.maxGradNorm = options.maxGradNorm;
    this.schedule = options.schedule;
    this.adam = new Adam(size, { lr: this.schedule(0) });
  }

  /** The learning rate of the next steps. */
  get lr(): number {
    return this.adam.lr;
  }

  /** Move the schedule to episode `e` (0-based); returns its learning rate. */
  startEpisode(e: number): number {
    this.adam.lr = this.schedule(e);
    return this.adam.lr;
  }

  /** Clip `grad` (in place), then one Adam step on `params` (in place). */
  step(params: Float32Array, grad: Float32Array): number {
    const norm = clipGradNorm(grad, this.maxGradNorm);
    this.adam.step(params, grad);
    return norm;
  }

  getState(): AdamState {
    return this.adam.getState();
  }

  setState(state: AdamState): void {
    this.adam.setState(state);
  }
}
