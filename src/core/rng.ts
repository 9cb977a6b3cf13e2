/**
 * Seeded, splittable pseudo-random numbers: one seed drives a whole run, and each consumer
 * (demand sampling, initial fleet, exploration, network init, minibatch order) takes its own
 * named sub-stream, so adding draws in one place never shifts the numbers seen elsewhere.
 *
 * Generator: xoshiro128** (32-bit integer math only, so identical on every machine and engine),
 * seeded through splitmix32 from a 32-bit key. Sub-stream keys hash the parent key with the name.
 *
 * @example
 * const rng = new Rng(42);
 * const demand = rng.split("demand");
 * demand.uniform(); // in [0, 1)
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** The 32-bit key this stream was derived from (seed or hashed parent key + name). */
  readonly key: number;

  constructor(seed: number) {
    if (!Number.isFinite(seed))
      throw new RangeError(`Rng seed must be a finite number, got ${seed}`);
    this.key = foldSeed(seed);
    let x = this.key;
    const next = () => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** An independent stream named `name`, derived from this stream's key (not its position). */
  split(name: string): Rng {
    return new Rng(hashString(name, this.key));
  }

  /** Next 32-bit unsigned integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!(n > 0) || !Number.isInteger(n))
      throw new RangeError(`Rng.int needs a positive integer, got ${n}`);
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal draw (Box–Muller; one value per call for simplicity of state). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.uniform() < p;
  }

  /** In-place Fisher–Yates shuffle. */
  shuffle<T>(items: T[] | Int32Array | Uint32Array | Float32Array): typeof items {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** Index drawn with probability proportional to `weights` (non-negative, not all zero). */
  weightedIndex(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i];
    if (!(total > 0)) throw new RangeError("Rng.weightedIndex needs a positive total weight");
    let r = this.uniform() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  /** Serialisable state, for checkpoints. */
  getState(): [number, number, number, number] {
    return [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0];
  }

  /** Restore a state produced by getState(). */
  setState(state: readonly number[]): void {
    if (state.length !== 4 || state.some((v) => !Number.isInteger(v) || v < 0 || v > 0xffffffff)) {
      throw new RangeError("Rng state must be four 32-bit unsigned integers");
    }
    [this.s0, this.s1, this.s2, this.s3] = state.map((v) => v | 0);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Fold any finite number (integer or not, possibly > 2^32) into a 32-bit key. */
function foldSeed(seed: number): number {
  if (Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff) return seed >>> 0;
  return hashString(String(seed), 0x2545f491);
}

/** FNV-1a over the UTF-16 code units of `s`, started from `basis` and finished with a mix. */
export function hashString(s: string, basis = 0x811c9dc5): number {
  let h = basis >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h >>> 0;
}
