/**
 * Network figures for DESIGN §4 (OSPO MLP 28→128→128→1, one core, wasm backend):
 *  - inference pairs/s: jax-js (jit) vs the plain-JS Float32Array loop, 1k and 30k pairs;
 *  - policy loss + gradient (clip + entropy + k3 KL): 10 minibatches of 256 decisions × K candidates.
 * Run: npx tsx bench/nn.ts
 */
import {
  OSPO_OBJECTIVE,
  type PolicyBatch,
  policyLossAndGrad,
} from "../src/algorithms/objectives.ts";
import { Adam, clipGradNorm } from "../src/algorithms/optim.ts";
import { Rng } from "../src/core/rng.ts";
import { forwardJax } from "../src/nn/forward-jax.ts";
import { forwardJs, initBackend, PairScorer } from "../src/nn/index.ts";

await initBackend();
const F = 28;
const rng = new Rng(1);
const scorer = PairScorer.create(F, rng.split("init"));
const { config, params } = scorer;

function time(fn: () => void, reps: number): number {
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) fn();
  return (performance.now() - t0) / reps;
}

console.log(
  `scenario: MLP ${F}→128→128→1 (LeakyReLU), ${params.length} parameters, wasm backend, single thread`,
);
console.log("\ninference (forward only, pairs → logits)");
for (const n of [1000, 30000]) {
  const x = Float32Array.from({ length: n * F }, () => rng.uniform());
  forwardJax(config, params, x, n); // compile
  const jaxMs = time(() => forwardJax(config, params, x, n), n > 5000 ? 5 : 20);
  const jsMs = time(() => forwardJs(config, params, x, n), n > 5000 ? 2 : 10);
  const a = forwardJax(config, params, x, n);
  const b = forwardJs(config, params, x, n);
  let diff = 0;
  for (let i = 0; i < n; i++) diff = Math.max(diff, Math.abs(a[i] - b[i]));
  const rate = (ms: number) =>
    `${((n / ms) * 1000).toFixed(0).padStart(8)} pairs/s (${ms.toFixed(1)} ms)`;
  console.log(
    `  ${String(n).padStart(6)} pairs  jax jit ${rate(jaxMs)}  plain JS ${rate(jsMs)}  max |diff| ${diff.toExponential(1)}`,
  );
}

function batchOf(B: number, K: number): PolicyBatch {
  const mask = new Uint8Array(B * K);
  const action = new Int32Array(B);
  for (let i = 0; i < B; i++) {
    const n = Math.max(2, K - rng.int(K / 2));
    mask.fill(1, i * K, i * K + n);
    action[i] = rng.int(n);
  }
  return {
    size: B,
    candidates: K,
    featureDim: F,
    features: Float32Array.from({ length: B * K * F }, () => rng.uniform()),
    mask,
    action,
    behaviourLogProb: Float32Array.from({ length: B }, () => Math.log(0.5 / K + rng.uniform() / K)),
    advantage: Float32Array.from({ length: B }, () => rng.normal()),
    refLogProb: new Float32Array(B * K).fill(Math.log(1 / K)),
  };
}

console.log(
  "\nupdate: policy loss + grad + clip + Adam, 10 minibatches × 256 decisions (OSPO objective, β = 0.5, k3)",
);
const objective = { ...OSPO_OBJECTIVE, klCoef: 0.5 };
for (const K of [16, 24, 32]) {
  const batches = Array.from({ length: 10 }, () => batchOf(256, K));
  const adam = new Adam(params.length);
  const t0 = performance.now();
  policyLossAndGrad(scorer, batches[0], objective);
  const firstMs = performance.now() - t0;
  const updateMs = time(() => {
    for (const b of batches) {
      const { grad } = policyLossAndGrad(scorer, b, objective);
      clipGradNorm(grad, 1.0);
      adam.step(scorer.params, grad);
    }
  }, 3);
  const rows = 256 * Math.ceil(K / 8) * 8;
  console.log(
    `  K=${K}: ${updateMs.toFixed(0)} ms per 10 updates (${(updateMs / 10).toFixed(1)} ms each, ${rows} pair rows); first call incl. compile ${firstMs.toFixed(0)} ms`,
  );
}
const mem = process.memoryUsage();
console.log(
  `\npeak-ish memory: rss ${(mem.rss / 1e6).toFixed(0)} MB (external ${(mem.external / 1e6).toFixed(0)} MB)`,
);
console.log(
  "targets (DESIGN §4): OSPO training episode ≤ 3 s incl. 10 updates; policy-inference episode ≤ 1.5 s",
);
