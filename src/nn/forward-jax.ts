/**
 * jax-js forward pass of an MLP (jit-compiled). jit compiles one program per input shape (~30-90 ms
 * each), so rows go through in chunks of CHUNK_ROWS and the last chunk is zero-padded to a power
 * of two: a handful of shapes serve every row count.
 * Kept next to the plain-JS forward (mlp.ts forwardJs) so the two can be benchmarked and tested
 * against each other; the networks use whichever bench/nn.ts measured faster for inference.
 */
import { jit, type numpy as np } from "@jax-js/jax";
import { assertBackend } from "./backend.ts";
import { upload, uploadParams } from "./grad.ts";
import { forwardTensor, type MlpConfig } from "./mlp.ts";
import { scoped } from "./scope.ts";

type JaxArray = np.Array;
const compiled = new Map<string, (params: JaxArray[], x: JaxArray) => JaxArray>();

/** Rows per compiled call; the remainder is padded up to a power of two ≥ MIN_ROWS. */
const CHUNK_ROWS = 4096;
const MIN_ROWS = 64;

/** Forward `n` rows of x ([n, inputDim] row-major) through the MLP with jax-js; returns [n, outputDim]. */
export function forwardJax(
  config: MlpConfig,
  params: Float32Array,
  x: Float32Array,
  n: number,
): Float32Array {
  assertBackend();
  const key = JSON.stringify(config);
  let fn = compiled.get(key);
  if (!fn) {
    fn = jit(
      (p: JaxArray[], input: JaxArray) =>
        scoped([...p, input], (...t) => ({
          y: forwardTensor(config, t.slice(0, p.length), t[p.length]),
        })).y,
    ) as unknown as (params: JaxArray[], x: JaxArray) => JaxArray;
    compiled.set(key, fn);
  }
  const inDim = config.inputDim;
  const outDim = config.outputDim;
  const out = new Float32Array(n * outDim);
  for (let start = 0; start < n; start += CHUNK_ROWS) {
    const rows = Math.min(CHUNK_ROWS, n - start);
    const padded = rows === CHUNK_ROWS ? rows : Math.max(MIN_ROWS, 2 ** Math.ceil(Math.log2(rows)));
    let chunk = x.subarray(start * inDim, (start + rows) * inDim);
    if (padded !== rows) {
      const z = new Float32Array(padded * inDim);
      z.set(chunk);
      chunk = z;
    }
    const y = fn(uploadParams(config, params), upload({ data: chunk, shape: [padded, inDim] }));
    const values = y.dataSync() as Float32Array; // dataSync() frees y
    out.set(values.subarray(0, rows * outDim), start * outDim);
  }
  return out;
}
