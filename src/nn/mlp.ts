/**
 * A plain multilayer perceptron: Linear -> LeakyReLU -> ... -> Linear. Parameters live in ONE flat
 * Float32Array (layer by layer: weight [in, out] row-major, then bias [out]) described by a
 * manifest, so optimizers, checkpoints and the simulator's fast forward pass are plain JS, and the
 * same numbers feed the jax-js forward used for gradients. y = leakyRelu(x·W0 + b0)·W1 + b1 ...
 */
import type { Rng } from "../core/rng.ts";
import * as ops from "./ops.ts";

export interface MlpConfig {
  /** Length of each input row. */
  inputDim: number;
  /** Widths of the hidden layers, e.g. [128, 128]. */
  hidden: number[];
  /** Length of each output row (1 for a logit or a value). */
  outputDim: number;
  /** LeakyReLU slope for negative inputs (0.01 as in torch). */
  negativeSlope: number;
  /**
   * "torch": U(±1/√fan_in) for weights and biases (torch.nn.Linear's default, as the OSPO reference);
   * "he": U(±√(6/fan_in)) weights, zero biases.
   */
  init: "torch" | "he";
}

/** One named block of the flat parameter vector. */
export interface ParamEntry {
  name: string;
  shape: number[];
  offset: number;
  size: number;
}

/** Defaults for the fields callers rarely set. */
export function mlpConfig(c: Pick<MlpConfig, "inputDim"> & Partial<MlpConfig>): MlpConfig {
  const config: MlpConfig = {
    hidden: [128, 128],
    outputDim: 1,
    negativeSlope: 0.01,
    init: "torch",
    ...c,
  };
  const dims = [config.inputDim, ...config.hidden, config.outputDim];
  if (!dims.every((d) => Number.isInteger(d) && d > 0))
    throw new RangeError(`MLP layer sizes must be positive integers, got ${dims.join("→")}`);
  return config;
}

/** Layer sizes input → hidden… → output. */
export function layerDims(config: MlpConfig): number[] {
  return [config.inputDim, ...config.hidden, config.outputDim];
}

/** The manifest of the flat parameter vector: `layer{i}.weight` [in, out], `layer{i}.bias` [out]. */
export function paramManifest(config: MlpConfig): ParamEntry[] {
  const dims = layerDims(config);
  const entries: ParamEntry[] = [];
  let offset = 0;
  for (let l = 0; l + 1 < dims.length; l++) {
    for (const [name, shape] of [
      [`layer${l}.weight`, [dims[l], dims[l + 1]]],
      [`layer${l}.bias`, [dims[l + 1]]],
    ] as const) {
      const size = shape.reduce((a, b) => a * b, 1);
      entries.push({ name, shape: [...shape], offset, size });
      offset += size;
    }
  }
  return entries;
}

/** Total number of parameters. */
export function paramCount(config: MlpConfig): number {
  const m = paramManifest(config);
  const last = m[m.length - 1];
  return last.offset + last.size;
}

/**
 * Fresh parameters drawn from `rng` in manifest order, so the same seed gives bit-identical
 * weights on every machine.
 */
export function initParams(config: MlpConfig, rng: Rng): Float32Array {
  const params = new Float32Array(paramCount(config));
  for (const e of paramManifest(config)) {
    const fanIn = e.shape.length === 2 ? e.shape[0] : layerFanIn(config, e.name);
    const isBias = e.shape.length === 1;
    const bound =
      config.init === "torch" ? 1 / Math.sqrt(fanIn) : isBias ? 0 : Math.sqrt(6 / fanIn);
    for (let i = 0; i < e.size; i++) params[e.offset + i] = (2 * rng.uniform() - 1) * bound;
  }
  return params;
}

function layerFanIn(config: MlpConfig, name: string): number {
  const layer = Number(name.slice(5, name.indexOf(".")));
  return layerDims(config)[layer];
}

/** Rows processed together so each weight load is reused four times. */
const ROW_BLOCK = 4;

/**
 * Plain-JS forward pass for `n` rows of `x` ([n, inputDim] row-major) into `out` ([n, outputDim]).
 * Used for inference in the simulator; agrees with the jax forward to float32 rounding.
 */
export function forwardJs(
  config: MlpConfig,
  params: Float32Array,
  x: Float32Array,
  n: number,
  out: Float32Array = new Float32Array(n * config.outputDim),
): Float32Array {
  const dims = layerDims(config);
  const maxWidth = Math.max(...dims);
  let cur = new Float32Array(ROW_BLOCK * maxWidth);
  let next = new Float32Array(ROW_BLOCK * maxWidth);
  const manifest = paramManifest(config);
  const slope = config.negativeSlope;
  for (let r0 = 0; r0 < n; r0 += ROW_BLOCK) {
    const rows = Math.min(ROW_BLOCK, n - r0);
    const inDim0 = dims[0];
    for (let r = 0; r < rows; r++)
      for (let i = 0; i < inDim0; i++) cur[r * maxWidth + i] = x[(r0 + r) * inDim0 + i];
    for (let l = 0; l + 1 < dims.length; l++) {
      const inDim = dims[l];
      const outDim = dims[l + 1];
      const wOff = manifest[2 * l].offset;
      const bOff = manifest[2 * l + 1].offset;
      denseBlock(params, wOff, bOff, inDim, outDim, cur, next, rows, maxWidth);
      if (l + 2 < dims.length) {
        for (let r = 0; r < rows; r++) {
          const base = r * maxWidth;
          for (let j = 0; j < outDim; j++) {
            const v = next[base + j];
            if (v < 0) next[base + j] = v * slope;
          }
        }
      }
      const t = cur;
      cur = next;
      next = t;
    }
    const outDim = config.outputDim;
    for (let r = 0; r < rows; r++)
      for (let j = 0; j < outDim; j++) out[(r0 + r) * outDim + j] = cur[r * maxWidth + j];
  }
  return out;
}

/** next[r, :] = bias + cur[r, :] · W for up to ROW_BLOCK rows (stride `width`). */
function denseBlock(
  p: Float32Array,
  wOff: number,
  bOff: number,
  inDim: number,
  outDim: number,
  cur: Float32Array,
  next: Float32Array,
  rows: number,
  width: number,
): void {
  if (rows === ROW_BLOCK) {
    const o1 = width;
    const o2 = 2 * width;
    const o3 = 3 * width;
    for (let j = 0; j < outDim; j++) {
      const b = p[bOff + j];
      next[j] = b;
      next[o1 + j] = b;
      next[o2 + j] = b;
      next[o3 + j] = b;
    }
    for (let i = 0; i < inDim; i++) {
      const x0 = cur[i];
      const x1 = cur[o1 + i];
      const x2 = cur[o2 + i];
      const x3 = cur[o3 + i];
      const w = wOff + i * outDim;
      for (let j = 0; j < outDim; j++) {
        const wij = p[w + j];
        next[j] += x0 * wij;
        next[o1 + j] += x1 * wij;
        next[o2 + j] += x2 * wij;
        next[o3 + j] += x3 * wij;
      }
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    const base = r * width;
    for (let j = 0; j < outDim; j++) next[base + j] = p[bOff + j];
    for (let i = 0; i < inDim; i++) {
      const xi = cur[base + i];
      const w = wOff + i * outDim;
      for (let j = 0; j < outDim; j++) next[base + j] += xi * p[w + j];
    }
  }
}

/** The weights of each layer as tensors, cut from a flat parameter tensor list (manifest order). */
export type LayerTensors = ops.Tensor[];

/** Tensor forward pass: x [..., inputDim] (2-D) through the layers given as [W0, b0, W1, b1, ...]. */
export function forwardTensor(config: MlpConfig, layers: LayerTensors, x: ops.Tensor): ops.Tensor {
  let h = x;
  const nLayers = layers.length / 2;
  for (let l = 0; l < nLayers; l++) {
    h = ops.add(ops.matmul(h, layers[2 * l]), layers[2 * l + 1]);
    if (l + 1 < nLayers) h = ops.leakyRelu(h, config.negativeSlope);
  }
  return h;
}
