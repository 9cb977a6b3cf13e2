/**
 * The thin tensor facade that objectives (algorithms/objectives.ts) are written against. Ops take
 * tensors or plain numbers, never consume their arguments and never need disposing: `nn/` runs
 * every objective inside a scope that frees all intermediates at once (see scope.ts). Broadcasting
 * follows NumPy. Tensors only exist inside callbacks that `nn/` invokes (loss functions); they
 * cannot be created or kept outside them.
 *
 * @example
 * // inside a loss callback: clipped surrogate for ratio r and advantage a
 * const loss = neg(mean(minimum(mul(r, a), mul(clip(r, 0.8, 1.28), a))));
 */
import { lax, nn, numpy as np } from "@jax-js/jax";
import { own, peek, type Tensor, use } from "./scope.ts";

export type { Tensor };

type T = Tensor | number;

export const add = (a: T, b: T): Tensor => own(np.add(use(a), use(b)));
export const sub = (a: T, b: T): Tensor => own(np.subtract(use(a), use(b)));
export const mul = (a: T, b: T): Tensor => own(np.multiply(use(a), use(b)));
export const div = (a: T, b: T): Tensor => own(np.trueDivide(use(a), use(b)));
export const neg = (a: Tensor): Tensor => own(np.negative(use(a)));
export const exp = (a: Tensor): Tensor => own(np.exp(use(a)));
export const log = (a: Tensor): Tensor => own(np.log(use(a)));
export const square = (a: Tensor): Tensor => own(np.square(use(a)));
export const sqrt = (a: Tensor): Tensor => own(np.sqrt(use(a)));
export const abs = (a: Tensor): Tensor => own(np.abs(use(a)));
export const minimum = (a: T, b: T): Tensor => own(np.minimum(use(a), use(b)));
export const maximum = (a: T, b: T): Tensor => own(np.maximum(use(a), use(b)));
/** Elementwise clamp to [lo, hi]. */
export const clip = (a: Tensor, lo: T, hi: T): Tensor => own(np.clip(use(a), use(lo), use(hi)));
/** Boolean tensor a > b. */
export const greater = (a: T, b: T): Tensor => own(np.greater(use(a), use(b)));
/** Boolean tensor a < b. */
export const less = (a: T, b: T): Tensor => own(np.less(use(a), use(b)));
/** `cond ? a : b` elementwise (cond boolean, e.g. from greater()). */
export const where = (cond: Tensor, a: T, b: T): Tensor => own(np.where(use(cond), use(a), use(b)));
/** 1 where cond holds, else 0 (float). */
export const asFloat = (cond: Tensor): Tensor => own(np.astype(use(cond), np.float32));
/** Sum over `axis` (all axes when omitted). */
export const sum = (a: Tensor, axis?: number, keepdims = false): Tensor =>
  own(np.sum(use(a), axis ?? null, { keepdims }));
/** Mean over `axis` (all axes when omitted). */
export const mean = (a: Tensor, axis?: number, keepdims = false): Tensor =>
  own(np.mean(use(a), axis ?? null, { keepdims }));
/** Max over `axis` (all axes when omitted). */
export const max = (a: Tensor, axis?: number, keepdims = false): Tensor =>
  own(np.max(use(a), axis ?? null, { keepdims }));
export const matmul = (a: Tensor, b: Tensor): Tensor => own(np.matmul(use(a), use(b)));
export const reshape = (a: Tensor, shape: number[]): Tensor => own(np.reshape(use(a), shape));
export const leakyRelu = (a: Tensor, negativeSlope: number): Tensor =>
  own(nn.leakyRelu(use(a), negativeSlope));
/** Treat `a` as a constant for differentiation. */
export const stopGradient = (a: Tensor): Tensor => own(lax.stopGradient(use(a)));
/** The tensor's shape. */
export const shape = (a: Tensor): number[] => peek(a).shape;

/** Logit given to padded candidates: exp() underflows to exactly 0 without producing inf·0 = NaN. */
const PADDED_LOGIT = -1e9;

/**
 * Log-softmax over the last axis, ignoring entries where `mask` is 0 (their log-probability is a
 * large negative number and their probability exactly 0).
 */
export function maskedLogSoftmax(logits: Tensor, mask: Tensor): Tensor {
  const z = where(greater(mask, 0), logits, PADDED_LOGIT);
  const zMax = stopGradient(max(z, -1, true));
  const shifted = sub(z, zMax);
  return sub(shifted, log(sum(exp(shifted), -1, true)));
}
