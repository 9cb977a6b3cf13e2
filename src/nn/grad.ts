/**
 * Loss value + gradient of an MLP's flat parameters through jax-js (valueAndGrad, jit-compiled).
 * Callers describe the loss with the Tensor facade (ops.ts) and get plain numbers and a flat
 * Float32Array gradient back; every jax array made here is freed before returning.
 */
import { jit, numpy as np, valueAndGrad } from "@jax-js/jax";
import { assertBackend } from "./backend.ts";
import { forwardTensor, type MlpConfig, paramCount, paramManifest } from "./mlp.ts";
import type { Tensor } from "./ops.ts";
import { scoped } from "./scope.ts";

/** Host data for one loss input: row-major values and their shape. Scalars have shape []. */
export interface HostTensor {
  data: Float32Array;
  shape: number[];
}

/**
 * A loss written against the Tensor facade. `net` maps [n, inputDim] rows to [n, outputDim];
 * `inputs` holds the batch tensors by name. Return the scalar loss and scalar diagnostics.
 */
export type LossFn = (
  net: (x: Tensor) => Tensor,
  inputs: Record<string, Tensor>,
) => { loss: Tensor; aux: Record<string, Tensor> };

export interface LossAndGrad {
  loss: number;
  aux: Record<string, number>;
  /** d loss / d params, same layout as the parameters. */
  grad: Float32Array;
}

type JaxArray = np.Array;
type Compiled = (
  params: JaxArray[],
  inputs: Record<string, JaxArray>,
) => [[JaxArray, Record<string, JaxArray>], JaxArray[]];

const compiled = new WeakMap<LossFn, Map<string, Compiled>>();

function compile(config: MlpConfig, lossFn: LossFn): Compiled {
  const key = JSON.stringify(config);
  let byConfig = compiled.get(lossFn);
  if (!byConfig) compiled.set(lossFn, (byConfig = new Map()));
  let fn = byConfig.get(key);
  if (!fn) {
    const names: string[] = [];
    const traced = (params: JaxArray[], inputs: Record<string, JaxArray>) => {
      names.length = 0;
      names.push(...Object.keys(inputs));
      const result = scoped([...params, ...names.map((k) => inputs[k])], (...tensors) => {
        const layers = tensors.slice(0, params.length);
        const named: Record<string, Tensor> = {};
        names.forEach((k, i) => {
          named[k] = tensors[params.length + i];
        });
        const { loss, aux } = lossFn((x) => forwardTensor(config, layers, x), named);
        return { ...prefixed(aux), __loss: loss };
      });
      const { __loss, ...aux } = result;
      return [__loss, unprefixed(aux)] as [JaxArray, Record<string, JaxArray>];
    };
    fn = jit(valueAndGrad(traced, { hasAux: true, argnums: 0 })) as unknown as Compiled;
    byConfig.set(key, fn);
  }
  return fn;
}

const prefixed = (aux: Record<string, Tensor>) =>
  Object.fromEntries(Object.entries(aux).map(([k, v]) => [`aux.${k}`, v]));
const unprefixed = (aux: Record<string, JaxArray>) =>
  Object.fromEntries(Object.entries(aux).map(([k, v]) => [k.slice(4), v]));

/** Upload the flat parameters as one array per manifest entry. */
export function uploadParams(config: MlpConfig, params: Float32Array): JaxArray[] {
  if (params.length !== paramCount(config))
    throw new RangeError(`expected ${paramCount(config)} parameters, got ${params.length}`);
  return paramManifest(config).map((e) =>
    np.array(params.subarray(e.offset, e.offset + e.size), { shape: e.shape }),
  );
}

/** Upload host data as a jax array (copies). */
export function upload(t: HostTensor): JaxArray {
  const size = t.shape.reduce((a, b) => a * b, 1);
  if (t.data.length !== size)
    throw new RangeError(`input of shape [${t.shape}] needs ${size} values, got ${t.data.length}`);
  return t.shape.length === 0 ? np.array(t.data[0]) : np.array(t.data, { shape: t.shape });
}

/**
 * Evaluate `lossFn` and its gradient with respect to the MLP parameters `params`.
 * The first call for a given (lossFn, config, input shapes) compiles; keep `lossFn` a stable
 * function and pass changing coefficients as scalar inputs so the compiled code is reused.
 */
export function lossAndGrad(
  config: MlpConfig,
  params: Float32Array,
  inputs: Record<string, HostTensor>,
  lossFn: LossFn,
): LossAndGrad {
  assertBackend();
  const fn = compile(config, lossFn);
  const jaxInputs: Record<string, JaxArray> = {};
  for (const [k, v] of Object.entries(inputs)) jaxInputs[k] = upload(v);
  const [[loss, aux], grads] = fn(uploadParams(config, params), jaxInputs);
  const grad = new Float32Array(params.length);
  paramManifest(config).forEach((e, i) => {
    grad.set(grads[i].dataSync() as Float32Array, e.offset); // dataSync() frees the array
  });
  const auxValues: Record<string, number> = {};
  for (const [k, v] of Object.entries(aux)) auxValues[k] = v.item(); // item() frees the array
  const lossValue = loss.item();
  return { loss: lossValue, aux: auxValues, grad };
}
