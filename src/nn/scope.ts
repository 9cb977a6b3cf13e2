/**
 * Internal to `nn/`: the bridge between jax-js's reference-counted arrays and the refcount-free
 * `Tensor` facade (ops.ts). Inside `scoped()`, every array an op creates is recorded and every op
 * input is passed as `.ref`, so nothing is consumed early; when the scope ends, the results are
 * kept (`.ref`) and everything recorded (including the adopted inputs) is disposed once. This is
 * the whole memory discipline: no code outside this file and ops.ts calls `.ref` or `dispose()`.
 * Not re-exported from nn/index.ts.
 */
import type { numpy as np } from "@jax-js/jax";

/** Opaque handle to an array inside a scope (the only tensor type other layers see). */
export interface Tensor {
  readonly __tensor: unique symbol;
}

type JaxArray = np.Array;

const stack: JaxArray[][] = [];

/** Record `a` in the innermost scope and hand it out as a Tensor. */
export function own(a: JaxArray): Tensor {
  const top = stack[stack.length - 1];
  if (!top) throw new Error("nn: tensor ops can only run inside an nn scope");
  top.push(a);
  return a as unknown as Tensor;
}

/** A new reference to the array behind `t`, for passing into a jax-js call (which consumes it). */
export function use(t: Tensor | number): JaxArray | number {
  return typeof t === "number" ? t : (t as unknown as JaxArray).ref;
}

/** The array behind `t` without taking a reference (shape queries only). */
export function peek(t: Tensor): JaxArray {
  return t as unknown as JaxArray;
}

/**
 * Run `fn` with `inputs` adopted into a fresh scope (they are disposed with it, following jax-js's
 * rule that a function owns its arguments) and return `fn`'s arrays, each with one reference
 * owned by the caller.
 */
export function scoped<R extends Record<string, Tensor>>(
  inputs: JaxArray[],
  fn: (...tensors: Tensor[]) => R,
): { [K in keyof R]: JaxArray } {
  const frame: JaxArray[] = [...inputs];
  stack.push(frame);
  try {
    const out = fn(...(inputs as unknown as Tensor[]));
    const kept = {} as { [K in keyof R]: JaxArray };
    for (const key of Object.keys(out) as (keyof R)[])
      kept[key] = (out[key] as unknown as JaxArray).ref;
    return kept;
  } finally {
    stack.pop();
    for (const a of frame) a.dispose();
  }
}
