/**
 * PDPPO's dual-critic advantage (post-decision.ts): hand-computed values for "max" and "mean",
 * and the property that with a post-decision critic equal to the state critic (U ≡ V) it is
 * IPPO's semi-Markov GAE exactly, advantages and targets.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { semiMarkovGae } from "../../src/algorithms/advantages.ts";
import { dualCriticAdvantage } from "../../src/algorithms/post-decision.ts";
import { algorithmByName } from "../../src/algorithms/registry.ts";
import { Rng } from "../../src/core/rng.ts";

const close = (got: Float32Array, want: number[], what: string) => {
  assert.equal(got.length, want.length, what);
  for (let i = 0; i < got.length; i++)
    assert.ok(Math.abs(got[i] - want[i]) < 1e-6, `${what}[${i}]: ${got[i]} vs ${want[i]}`);
};

test("hand-computed: two agents, γ = 0.5 per minute, λ = 0.5, one truncated with a bootstrap", () => {
  // agent 0: decisions at t = 0, 2 (r = 1, 4), V = [2, 1], U = [3, 0]; terminated, ends at t = 4
  // agent 1: one decision at t = 0 (r = 2), V = 1, U = 0.5; truncated, V(end) = 4 (γ^4 = 1/16)
  const samples = {
    agent: Int32Array.of(0, 1, 0),
    time: Float32Array.of(0, 0, 2),
    reward: Float32Array.of(1, 2, 4),
    value: Float32Array.of(2, 1, 1),
    postValue: Float32Array.of(3, 0.5, 0),
  };
  const end = { time: 4, value: Float32Array.of(0, 4), terminated: Uint8Array.of(1, 0) };
  // A^pre: agent 0 last: δ = 4 − 1 = 3; first: δ = 1 + 0.25·1 − 2 = −0.75, A = −0.75 + 0.25·0.5·3 = −0.375
  //        agent 1: δ = 2 + 4/16 − 1 = 1.25
  // A^x:   agent 0 last: δ = 4 − 0 = 4; first: δ = 1 + 0.25·0 − 3 = −2, A = −2 + 0.125·4 = −1.5
  //        agent 1: δ = 2 + 4/16 − 0.5 = 1.75
  const max = dualCriticAdvantage(samples, end, { gamma: 0.5, lambda: 0.5 });
  close(max.advantages, [-0.375, 1.75, 4], "max advantages");
  close(max.returns, [-0.375 + 2, 1.25 + 1, 3 + 1], "state-critic targets A^pre + V");
  close(max.postReturns, [-1.5 + 3, 1.75 + 0.5, 4 + 0], "post-decision targets A^x + U");
  const mean = dualCriticAdvantage(samples, end, { gamma: 0.5, lambda: 0.5, combine: "mean" });
  close(mean.advantages, [(-0.375 - 1.5) / 2, (1.25 + 1.75) / 2, (3 + 4) / 2], "mean advantages");
  close(mean.returns, Array.from(max.returns), "targets do not depend on the combination");
});

test("property: U ≡ V (post-decision features = state features, shared weights) gives IPPO's GAE", () => {
  const rng = new Rng(12);
  for (let trial = 0; trial < 20; trial++) {
    const n = 1 + rng.int(5);
    const m = 1 + rng.int(40);
    const agent = Int32Array.from({ length: m }, () => rng.int(n));
    const time = Float32Array.from({ length: m }, () => rng.int(30));
    const reward = Float32Array.from({ length: m }, () => 10 * rng.uniform() - 3);
    const value = Float32Array.from({ length: m }, () => 5 * rng.uniform());
    const end = {
      time: 30,
      value: Float32Array.from({ length: n }, () => rng.uniform()),
      terminated: Uint8Array.from({ length: n }, () => rng.int(2)),
    };
    const options = { gamma: 0.9 + 0.1 * rng.uniform(), lambda: rng.uniform() };
    const ippo = semiMarkovGae({ agent, time, reward, value }, end, options);
    for (const combine of ["max", "mean"] as const) {
      const pd = dualCriticAdvantage({ agent, time, reward, value, postValue: value }, end, {
        ...options,
        combine,
      });
      assert.deepEqual(pd.advantages, ippo.advantages, `${combine} advantages, trial ${trial}`);
      assert.deepEqual(pd.returns, ippo.returns);
      assert.deepEqual(pd.postReturns, ippo.returns);
    }
  }
});

test("max is at least either critic's advantage, and the recipes declare their critics", () => {
  const samples = {
    agent: Int32Array.of(0, 0, 1),
    time: Float32Array.of(0, 1, 0),
    reward: Float32Array.of(1, 1, 1),
    value: Float32Array.of(0, 5, 0),
    postValue: Float32Array.of(5, 0, -1),
  };
  const end = { time: 2, value: Float32Array.of(0, 0), terminated: Uint8Array.of(1, 1) };
  const pd = dualCriticAdvantage(samples, end, { gamma: 1, lambda: 1 });
  const pre = semiMarkovGae(samples, end, { gamma: 1, lambda: 1 });
  const post = semiMarkovGae({ ...samples, value: samples.postValue }, end, {
    gamma: 1,
    lambda: 1,
  });
  pd.advantages.forEach((a, k) => {
    assert.ok(a >= pre.advantages[k] && a >= post.advantages[k]);
    assert.ok(a === pre.advantages[k] || a === post.advantages[k]);
  });
  assert.equal(algorithmByName("pdppo").critic, "agent");
  assert.equal(algorithmByName("pdppo").postDecisionCritic, "post");
  assert.equal(algorithmByName("pdmappo").critic, "global+agent");
  assert.equal(algorithmByName("pdmappo").postDecisionCritic, "global+post");
  assert.throws(
    () =>
      algorithmByName("pdppo").advantages(
        {
          numAgents: 2,
          step: Int32Array.of(0, 1, 0),
          ...samples,
          time: Float64Array.from(samples.time),
          postValue: undefined,
          end,
        },
        { gamma: 1, gaeLambda: 1, fairnessCoef: 0, grpoAdvantage: "step-returns" },
      ),
    /no post-decision values/,
  );
});
