import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  groupRelativeRewardToGo,
  oneStepGroupRelative,
  semiMarkovGae,
  stepGroupRelativeReturn,
} from "../../src/algorithms/advantages.ts";

function assertClose(actual: ArrayLike<number>, expected: number[], tol = 1e-5): void {
  assert.equal(actual.length, expected.length, "length");
  for (let i = 0; i < expected.length; i++) {
    assert.ok(
      Math.abs(actual[i] - expected[i]) <= tol,
      `[${i}]: got ${actual[i]}, expected ${expected[i]}`,
    );
  }
}

test("OSPO one-step advantage: 3 agents, 2 epochs, by hand", () => {
  // Epoch 0: agents 0,1,2 rewards 1,2,3. mean 2, population std √(2/3) = 0.816497
  //   z = [−1.224745, 0, 1.224745]; cumulative R = [1,2,3], σ0 = 0.816497, Δσ0 = 0.816497
  //   A = z − Δσ0 = [−2.041241, −0.816497, 0.408248]
  // Epoch 1: agents 0 and 2 matched with rewards 3 and 1. mean 2, std 1, z = [1, −1]
  //   R = [4,2,4], mean 10/3, σ1 = √(((2/3)² + (4/3)² + (2/3)²)/3) = √(8/9) = 0.942809
  //   Δσ1 = 0.942809 − 0.816497 = 0.126312;  A = [0.873688, −1.126312]
  // Samples are given out of order: the output follows the input order.
  const adv = oneStepGroupRelative(
    {
      epoch: Int32Array.of(1, 0, 0, 1, 0),
      agent: Int32Array.of(2, 1, 0, 0, 2),
      reward: Float32Array.of(1, 2, 1, 3, 3),
    },
    { numAgents: 3 },
  );
  assertClose(adv, [-1.126312, -0.816497, -2.041241, 0.873688, 0.408248]);
});

test("OSPO: fleet std counts unmatched agents; coefficient scales the fairness term", () => {
  // Fleet of 4, epoch 0: agents 0 and 1 matched with rewards 2 and 4: z = [−1, 1].
  // R = [2,4,0,0]: mean 1.5, squares 0.25+6.25+2.25+2.25 = 11 → σ = √(11/4) = 1.658312
  const samples = {
    epoch: Int32Array.of(0, 0),
    agent: Int32Array.of(0, 1),
    reward: Float32Array.of(2, 4),
  };
  assertClose(oneStepGroupRelative(samples, { numAgents: 4 }), [-2.658312, -0.658312]);
  assertClose(
    oneStepGroupRelative(samples, { numAgents: 4, fairnessCoef: 0.5 }),
    [-1.829156, 0.170844],
  );
  assertClose(oneStepGroupRelative(samples, { numAgents: 4, fairnessCoef: 0 }), [-1, 1]);
});

test("OSPO edge cases: lone matched agent, no samples, epoch gaps, bad input", () => {
  // A single matched agent: std 0 → normalised reward 0; R = [0, 2] → σ = 1 → A = −1.
  const lone = { epoch: Int32Array.of(0), agent: Int32Array.of(1), reward: Float32Array.of(2) };
  assertClose(oneStepGroupRelative(lone, { numAgents: 2 }), [-1]);
  assertClose(oneStepGroupRelative(lone, { numAgents: 2, fairnessCoef: 0 }), [0]);
  const empty = { epoch: new Int32Array(0), agent: new Int32Array(0), reward: new Float32Array(0) };
  assert.equal(oneStepGroupRelative(empty, { numAgents: 3 }).length, 0);
  // Epochs 0 and 7 behave like consecutive epochs: empty epochs change nothing.
  const gap = {
    epoch: Int32Array.of(7, 0),
    agent: Int32Array.of(0, 1),
    reward: Float32Array.of(2, 2),
  };
  // epoch 0: R = [0,2], σ = 1, A = −1; epoch 7: R = [2,2], σ = 0, Δσ = −1, A = +1
  assertClose(oneStepGroupRelative(gap, { numAgents: 2 }), [1, -1]);
  const twice = {
    epoch: Int32Array.of(0, 0),
    agent: Int32Array.of(1, 1),
    reward: Float32Array.of(1, 2),
  };
  assert.throws(
    () => oneStepGroupRelative(twice, { numAgents: 2 }),
    /agent 1 has two samples in epoch 0/,
  );
  assert.throws(
    () => oneStepGroupRelative(lone, { numAgents: 1 }),
    /agent\[0\] = 1 is outside 0..0/,
  );
  assert.throws(
    () => oneStepGroupRelative({ ...lone, reward: new Float32Array(2) }, { numAgents: 2 }),
    /equal lengths/,
  );
});

test("GRPO reward-to-go: z-scored over the episode, discounted per minute, by hand", () => {
  // Rewards [1, 3, 2]: mean 2, std √(2/3) → z = [−1.224745, 1.224745, 0].
  // Agent 0 decides at t = 0 and t = 2 (γ = 0.9): A(t=2) = 1.224745,
  //   A(t=0) = −1.224745 + 0.9² · 1.224745 = −0.232702. Agent 1 decides once: A = z = 0.
  const adv = groupRelativeRewardToGo(
    {
      agent: Int32Array.of(0, 0, 1),
      time: Float32Array.of(0, 2, 1),
      reward: Float32Array.of(1, 3, 2),
    },
    { gamma: 0.9 },
  );
  assertClose(adv, [-0.232702, 1.224745, 0]);
  // Input order does not matter; fractional Δt uses γ^Δt: 0.9^0.5 = 0.948683
  const shuffled = groupRelativeRewardToGo(
    {
      agent: Int32Array.of(1, 0, 0),
      time: Float32Array.of(1, 0.5, 0),
      reward: Float32Array.of(2, 3, 1),
    },
    { gamma: 0.9 },
  );
  assertClose(shuffled, [0, 1.224745, -1.224745 + 0.948683 * 1.224745]);
});

test("GRPO step returns: raw return-to-go z-scored within each step, by hand", () => {
  // Agent 0: r = 1 at t = 0 (step 0), r = 3 at t = 10 (step 1); agent 1: r = 2 at t = 0; γ = 0.5.
  // G = [1 + 0.5^10 · 3, 3, 2]; step 0 holds G 1.00293 and 2 → ±1; step 1 holds one → 0.
  const adv = stepGroupRelativeReturn(
    {
      agent: Int32Array.of(0, 0, 1),
      step: Int32Array.of(0, 1, 0),
      time: Float32Array.of(0, 10, 0),
      reward: Float32Array.of(1, 3, 2),
    },
    { gamma: 0.5 },
  );
  assertClose(adv, [-1, 0, 1]);
  // A vehicle that goes on to serve more orders beats one with a higher first reward: agent 0
  // earns 2 then 2 more (steps 0, 2), agent 1 earns 3 once, agent 2 earns 1 once (γ = 1).
  // Step 0: G = [4, 3, 1] → mean 8/3, std √(14/9) = 1.247219.
  const more = stepGroupRelativeReturn(
    {
      agent: Int32Array.of(0, 1, 2, 0),
      step: Int32Array.of(0, 0, 0, 2),
      time: Float32Array.of(0, 0, 0, 2),
      reward: Float32Array.of(2, 3, 1, 2),
    },
    { gamma: 1 },
  );
  assertClose(more, [(4 - 8 / 3) / 1.247219, (3 - 8 / 3) / 1.247219, (1 - 8 / 3) / 1.247219, 0]);
  // The z-scored-rewards GRPO ranks agent 1 (the highest single reward) first instead.
  const z = groupRelativeRewardToGo(
    {
      agent: Int32Array.of(0, 1, 2, 0),
      time: Float32Array.of(0, 0, 0, 2),
      reward: Float32Array.of(2, 3, 1, 2),
    },
    { gamma: 1 },
  );
  assert.ok(z[1] > z[0], `${z[1]} vs ${z[0]}`);
  assert.throws(
    () =>
      stepGroupRelativeReturn({
        agent: Int32Array.of(0),
        step: new Int32Array(0),
        time: Float32Array.of(0),
        reward: Float32Array.of(1),
      }),
    /equal lengths/,
  );
});

test("GRPO edge cases: equal rewards give zeros, empty input, bad gamma", () => {
  const same = groupRelativeRewardToGo({
    agent: Int32Array.of(0, 0, 1),
    time: Float32Array.of(0, 1, 0),
    reward: Float32Array.of(3, 3, 3),
  });
  assertClose(same, [0, 0, 0]);
  const empty = {
    agent: new Int32Array(0),
    time: new Float32Array(0),
    reward: new Float32Array(0),
  };
  assert.equal(groupRelativeRewardToGo(empty).length, 0);
  assert.throws(() => groupRelativeRewardToGo(empty, { gamma: 1.5 }), /gamma must be in \(0, 1\]/);
  assert.throws(
    () =>
      groupRelativeRewardToGo({
        ...empty,
        agent: Int32Array.of(0),
        time: Float32Array.of(Number.NaN),
        reward: Float32Array.of(1),
      }),
    /time\[0\] must be finite/,
  );
});

test("semi-Markov GAE: by hand, with bootstrap and termination", () => {
  // γ = 0.5 per minute, λ = 0.5. Agent 0 (truncated, end value 4 at t = 5):
  //   decisions t=0 (r=1, V=2), t=3 (r=2, V=1)
  //   k=1: disc 0.5² = 0.25: δ1 = 2 + 0.25·4 − 1 = 2;   A1 = 2
  //   k=0: disc 0.5³ = 0.125: δ0 = 1 + 0.125·1 − 2 = −0.875; A0 = −0.875 + 0.125·0.5·2 = −0.75
  //   returns = A + V = [1.25, 3]
  // Agent 1 (terminated: its end value 100 is ignored): one decision t=1, r=1, V=0.5 → δ = 0.5
  const { advantages, returns } = semiMarkovGae(
    {
      agent: Int32Array.of(1, 0, 0),
      time: Float32Array.of(1, 3, 0),
      reward: Float32Array.of(1, 2, 1),
      value: Float32Array.of(0.5, 1, 2),
    },
    { time: 5, value: Float32Array.of(4, 100), terminated: Uint8Array.of(0, 1) },
    { gamma: 0.5, lambda: 0.5 },
  );
  assertClose(advantages, [0.5, 2, -0.75]);
  assertClose(returns, [1, 3, 1.25]);
});

test("semi-Markov GAE rejects inconsistent input", () => {
  const one = {
    agent: Int32Array.of(0),
    time: Float32Array.of(4),
    reward: Float32Array.of(1),
    value: Float32Array.of(0),
  };
  const end = { time: 5, value: Float32Array.of(0), terminated: Uint8Array.of(1) };
  assert.throws(() => semiMarkovGae(one, { ...end, time: 3 }), /end.time 3 is before agent 0/);
  assert.throws(
    () => semiMarkovGae(one, { ...end, terminated: new Uint8Array(2) }),
    /end.terminated/,
  );
  assert.throws(() => semiMarkovGae(one, end, { lambda: 2 }), /lambda must be in \[0, 1\]/);
  assert.throws(() => semiMarkovGae({ ...one, agent: Int32Array.of(3) }, end), /outside 0..0/);
});

/** Random episodes: up to 3 agents, each with increasing decision times. */
const episodeArb = fc
  .array(
    fc.record({
      agent: fc.integer({ min: 0, max: 2 }),
      gap: fc.integer({ min: 0, max: 8 }),
      reward: fc.integer({ min: -40, max: 40 }).map((x) => x / 8),
      value: fc.integer({ min: -40, max: 40 }).map((x) => x / 8),
    }),
    { maxLength: 12 },
  )
  .map((rows) => {
    const clock = [0, 0, 0];
    const time = rows.map((r) => (clock[r.agent] += r.gap / 2));
    return {
      agent: Int32Array.from(rows.map((r) => r.agent)),
      time: Float32Array.from(time),
      reward: Float32Array.from(rows.map((r) => r.reward)),
      value: Float32Array.from(rows.map((r) => r.value)),
    };
  });
const endArb = fc.record({
  value: fc.array(
    fc.integer({ min: -16, max: 16 }).map((x) => x / 4),
    { minLength: 3, maxLength: 3 },
  ),
  terminated: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 3, maxLength: 3 }),
});

/** Brute force: the decisions of agent v after sample k (same agent, later in time order). */
function laterDecisions(s: { agent: Int32Array; time: Float32Array }, k: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < s.agent.length; j++) {
    if (s.agent[j] !== s.agent[k]) continue;
    if (s.time[j] > s.time[k] || (s.time[j] === s.time[k] && j > k)) out.push(j);
  }
  return out.sort((a, b) => s.time[a] - s.time[b] || a - b);
}

test("GAE with λ = 1 equals the discounted return (with bootstrap) minus the value", () => {
  const gamma = 0.9;
  fc.assert(
    fc.property(episodeArb, endArb, (s, e) => {
      const endTime = 50;
      const end = {
        time: endTime,
        value: Float32Array.from(e.value),
        terminated: Uint8Array.from(e.terminated),
      };
      const { advantages, returns } = semiMarkovGae(s, end, { gamma, lambda: 1 });
      for (let k = 0; k < s.agent.length; k++) {
        const v = s.agent[k];
        let ret = s.reward[k];
        for (const j of laterDecisions(s, k)) ret += gamma ** (s.time[j] - s.time[k]) * s.reward[j];
        if (!end.terminated[v]) ret += gamma ** (endTime - s.time[k]) * end.value[v];
        assert.ok(Math.abs(advantages[k] - (ret - s.value[k])) < 1e-4, `A[${k}]`);
        assert.ok(Math.abs(returns[k] - ret) < 1e-4, `returns[${k}]`);
      }
    }),
  );
});

test("GAE with λ = 0 equals the one-step TD error", () => {
  const gamma = 0.95;
  fc.assert(
    fc.property(episodeArb, endArb, (s, e) => {
      const end = {
        time: 50,
        value: Float32Array.from(e.value),
        terminated: Uint8Array.from(e.terminated),
      };
      const { advantages } = semiMarkovGae(s, end, { gamma, lambda: 0 });
      for (let k = 0; k < s.agent.length; k++) {
        const v = s.agent[k];
        const next = laterDecisions(s, k)[0];
        const nextValue = next !== undefined ? s.value[next] : end.terminated[v] ? 0 : end.value[v];
        const nextTime = next !== undefined ? s.time[next] : end.time;
        const td = s.reward[k] + gamma ** (nextTime - s.time[k]) * nextValue - s.value[k];
        assert.ok(Math.abs(advantages[k] - td) < 1e-4, `A[${k}] = ${advantages[k]} vs δ ${td}`);
      }
    }),
  );
});
