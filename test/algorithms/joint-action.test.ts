import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  FORCED_PAIR_WEIGHT,
  matchingWeights,
  segmentSoftmax,
  selectJointAction,
} from "../../src/algorithms/joint-action.ts";
import { type Observation, PASS } from "../../src/core/env.ts";
import { Rng } from "../../src/core/rng.ts";
import { bestAssignment } from "../../src/envs/tiny/best-assignment.ts";

/** An observation with the given candidate ids per agent (features unused by selectJointAction). */
function obsOf(ids: (number[] | null)[], withIds = true): Observation {
  const n = ids.length;
  const candPtr = new Int32Array(n + 1);
  ids.forEach((row, i) => {
    candPtr[i + 1] = candPtr[i] + (row?.length ?? 0);
  });
  return {
    active: Uint8Array.from(ids, (row) => (row === null ? 0 : 1)),
    agentFeatures: new Float32Array(n),
    candPtr,
    candFeatures: new Float32Array(candPtr[n]),
    candId: withIds ? Int32Array.from(ids.flatMap((row) => row ?? [])) : undefined,
  };
}

describe("selectJointAction: matching over policy probabilities", () => {
  test("hand example: the conflict-free assignment with the largest summed probability", () => {
    // agent 0: order 7 (p 0.9), order 8 (p 0.1); agent 1: order 7 (p 0.7), order 9 (p 0.3).
    // Both prefer order 7. Options: 0→7, 1→9 = 1.2; 0→8, 1→7 = 0.8 → actions [0, 1].
    const obs = obsOf([
      [7, 8],
      [7, 9],
    ]);
    const logits = Float32Array.of(Math.log(9), 0, Math.log(7), Math.log(3));
    const { actions, probs } = selectJointAction(obs, logits);
    assert.deepEqual([...actions], [0, 1]);
    assert.ok(Math.abs(probs[0] - 0.9) < 1e-6 && Math.abs(probs[2] - 0.7) < 1e-6);

    // Agent 1 now loves order 7 (p 0.99) and agent 0 is nearly indifferent (0.55 / 0.45):
    // 0→8, 1→7 = 1.44 beats 0→7, 1→9 = 0.56 → actions [1, 0].
    const flipped = Float32Array.of(Math.log(0.55), Math.log(0.45), Math.log(0.99), Math.log(0.01));
    assert.deepEqual([...selectJointAction(obs, flipped).actions], [1, 0]);
  });

  test("inactive agents and agents without candidates pass; rows without candId never conflict", () => {
    const obs = obsOf([[3], null, [], [3]], false);
    const { actions } = selectJointAction(obs, Float32Array.of(0, 0));
    assert.deepEqual([...actions], [0, PASS, PASS, 0]); // no ids: both take their own row
    const shared = obsOf([[3], null, [], [3]]);
    const one = selectJointAction(shared, Float32Array.of(0, 0)).actions;
    assert.equal([...one].filter((a) => a === 0).length, 1); // id 3 goes to one agent only
  });

  test("the summed probability equals brute force on random instances", () => {
    const rng = new Rng(7);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + rng.int(4);
      const ids: number[][] = [];
      for (let i = 0; i < n; i++) {
        const pool = [0, 1, 2, 3, 4];
        rng.shuffle(pool);
        ids.push(pool.slice(0, rng.int(4)));
      }
      const obs = obsOf(ids);
      const logits = Float32Array.from({ length: obs.candPtr[n] }, () => 3 * rng.normal());
      const { actions, probs } = selectJointAction(obs, logits);
      let total = 0;
      const taken = new Set<number>();
      for (let i = 0; i < n; i++) {
        if (actions[i] === PASS) continue;
        const row = obs.candPtr[i] + actions[i];
        assert.ok(!taken.has(obs.candId![row]), "an id is taken twice");
        taken.add(obs.candId![row]);
        total += probs[row];
      }
      const best = bestAssignment(obs, Float64Array.from(probs));
      assert.ok(Math.abs(total - best.reward) < 1e-9, `trial ${trial}: ${total} vs ${best.reward}`);
    }
  });

  test("the behaviour log-prob is the log-softmax of the chosen candidate", () => {
    const obs = obsOf([[1, 2, 3], [4], null]);
    const logits = Float32Array.of(0.5, -1, 2, 0.3);
    const { actions, logProb } = selectJointAction(obs, logits, { epsilon: 1, rng: new Rng(3) });
    const z = Math.log(Math.exp(0.5) + Math.exp(-1) + Math.exp(2));
    assert.ok(Math.abs(logProb[0] - (logits[actions[0]] - z)) < 1e-6);
    assert.equal(logProb[1], 0); // a single candidate has probability 1
    assert.ok(Number.isNaN(logProb[2])); // PASS
  });
});

describe("selectJointAction: exploration", () => {
  test("ε = 1 replaces an agent's weights by uniform draws: the documented rule, draw by draw", () => {
    const obs = obsOf([[10, 11, 12]]);
    const logits = Float32Array.of(9, 0, 0); // the policy strongly prefers candidate 0
    const rng = new Rng(11);
    const replay = new Rng(11);
    const counts = [0, 0, 0];
    for (let trial = 0; trial < 3000; trial++) {
      const { actions } = selectJointAction(obs, logits, { epsilon: 1, rng });
      assert.ok(replay.uniform() < 1); // the "explore?" draw
      const w = [1 - replay.uniform(), 1 - replay.uniform(), 1 - replay.uniform()];
      assert.equal(actions[0], w.indexOf(Math.max(...w)), `trial ${trial}`);
      counts[actions[0]]++;
    }
    for (const c of counts) assert.ok(Math.abs(c / 3000 - 1 / 3) < 0.04, `counts ${counts}`);
  });

  test("ε = 0 is greedy and draws nothing; ε in between explores about ε of the agents", () => {
    const obs = obsOf([[10, 11]]);
    const logits = Float32Array.of(5, 0);
    const rng = new Rng(5);
    const before = rng.getState();
    assert.equal(selectJointAction(obs, logits, { epsilon: 0, rng }).actions[0], 0);
    assert.deepEqual(rng.getState(), before);
    let other = 0;
    for (let t = 0; t < 4000; t++)
      if (selectJointAction(obs, logits, { epsilon: 0.3, rng }).actions[0] === 1) other++;
    // explored half the time picks candidate 1: 0.3 · 0.5 = 0.15
    assert.ok(Math.abs(other / 4000 - 0.15) < 0.03, `${other / 4000}`);
  });

  test("sampling follows each agent's softmax", () => {
    const obs = obsOf([[1, 2]]);
    const logits = Float32Array.of(Math.log(3), 0); // p = 0.75 / 0.25
    const rng = new Rng(9);
    let first = 0;
    for (let t = 0; t < 4000; t++)
      if (selectJointAction(obs, logits, { mode: "sample", rng }).actions[0] === 0) first++;
    assert.ok(Math.abs(first / 4000 - 0.75) < 0.03, `${first / 4000}`);
  });

  test("segmentSoftmax normalises within each agent's rows", () => {
    const { probs } = segmentSoftmax(Float32Array.of(0, 0, 5), Int32Array.of(0, 2, 2, 3));
    assert.deepEqual([...probs], [0.5, 0.5, 1]);
  });

  test("bad input: wrong logit count, ε outside [0, 1], exploration without an rng", () => {
    const obs = obsOf([[1, 2]]);
    assert.throws(() => selectJointAction(obs, Float32Array.of(0)), /expected 2 logits/);
    assert.throws(() => selectJointAction(obs, Float32Array.of(0, 0), { epsilon: 2 }), /epsilon/);
    assert.throws(() => selectJointAction(obs, Float32Array.of(0, 0), { epsilon: 0.5 }), /rng/);
  });
});

test("score weights compare agents on their logits; probability weights follow candidate counts", () => {
  // Agent 0 has one poor candidate (order 7, logit 0); agent 1 has three: order 7 (logit 3),
  // 8 (2.5) and 9 (2.4). Probabilities: agent 0 bids 1.0 for order 7, agent 1 bids 0.45 / 0.27 /
  // 0.25, so the best sum is 1.0 + 0.27 (agent 0 → 7, agent 1 → 8). Scores exp(logit − 3): agent 0
  // bids e^-3 ≈ 0.05, agent 1 bids 1 / 0.61 / 0.55, so the best sum is 1 (agent 1 → 7) and agent 0
  // passes: the better-suited vehicle gets the order.
  const obs = {
    active: Uint8Array.of(1, 1),
    agentFeatures: new Float32Array(2),
    candPtr: Int32Array.of(0, 1, 4),
    candFeatures: new Float32Array(4),
    candId: Int32Array.of(7, 7, 8, 9),
  };
  const logits = Float32Array.of(0, 3, 2.5, 2.4);
  const byProb = selectJointAction(obs, logits, { weights: "probability" });
  assert.deepEqual(Array.from(byProb.actions), [0, 1]);
  const byScore = selectJointAction(obs, logits, { weights: "score" });
  assert.deepEqual(Array.from(byScore.actions), [PASS, 0]);
  const w = matchingWeights(logits, byScore.probs, "score");
  assert.ok(Math.abs(w[1] - 1) < 1e-12 && Math.abs(w[0] - Math.exp(-3)) < 1e-12);
});

/** An Rng stand-in that returns the scripted uniforms in order (and fails when they run out). */
function scripted(values: number[]): Rng & { left: () => number } {
  const queue = [...values];
  const stub = {
    uniform: () => {
      const v = queue.shift();
      if (v === undefined) throw new Error("scripted rng: no draws left");
      return v;
    },
    left: () => queue.length,
  };
  return stub as unknown as Rng & { left: () => number };
}

describe('selectJointAction: explorationUnit "pair" (OSPO\'s per-entry rule)', () => {
  /** Random small instances with shared order ids. */
  function randomInstances(
    seed: number,
    count: number,
  ): { obs: Observation; logits: Float32Array }[] {
    const rng = new Rng(seed);
    const out: { obs: Observation; logits: Float32Array }[] = [];
    for (let trial = 0; trial < count; trial++) {
      const n = 1 + rng.int(4);
      const ids: (number[] | null)[] = [];
      for (let i = 0; i < n; i++) {
        const pool = [0, 1, 2, 3, 4];
        rng.shuffle(pool);
        ids.push(rng.int(6) === 0 ? null : pool.slice(0, rng.int(4)));
      }
      const obs = obsOf(ids);
      out.push({
        obs,
        logits: Float32Array.from({ length: obs.candPtr[n] }, () => 3 * rng.normal()),
      });
    }
    return out;
  }

  test("ε = 1 forces every row: the matching over FORCED_PAIR_WEIGHT + the replayed uniform draws", () => {
    const rng = new Rng(21);
    const replay = new Rng(21);
    for (const [trial, { obs, logits }] of randomInstances(20, 300).entries()) {
      const { actions } = selectJointAction(obs, logits, {
        epsilon: 1,
        explorationUnit: "pair",
        rng,
      });
      // Documented order: row by row (agents in id order, inactive ones skipped), the "force?"
      // draw u < 1, then the score draw v → weight 1e6 + (1 − v).
      const w = new Float64Array(obs.candPtr[obs.active.length]);
      for (let i = 0; i < obs.active.length; i++) {
        if (!obs.active[i]) continue;
        for (let k = obs.candPtr[i]; k < obs.candPtr[i + 1]; k++) {
          assert.ok(replay.uniform() < 1);
          w[k] = FORCED_PAIR_WEIGHT + (1 - replay.uniform());
        }
      }
      const best = bestAssignment(obs, w);
      assert.deepEqual([...actions], [...best.actions], `trial ${trial}`);
    }
    assert.deepEqual(rng.getState(), replay.getState(), "no draw more, no draw less");
    // one agent, three candidates: the forced rows compete at random (≈ 1/3 each)
    const counts = [0, 0, 0];
    for (let t = 0; t < 3000; t++)
      counts[
        selectJointAction(obsOf([[1, 2, 3]]), Float32Array.of(9, 0, 0), {
          epsilon: 1,
          explorationUnit: "pair",
          rng,
        }).actions[0]
      ]++;
    for (const c of counts) assert.ok(Math.abs(c / 3000 - 1 / 3) < 0.04, `counts ${counts}`);
  });

  test("ε = 0 is identical to greedy and draws nothing", () => {
    const rng = new Rng(4);
    const before = rng.getState();
    for (const { obs, logits } of randomInstances(30, 200)) {
      const greedy = selectJointAction(obs, logits);
      const pair = selectJointAction(obs, logits, { epsilon: 0, explorationUnit: "pair", rng });
      assert.deepEqual([...pair.actions], [...greedy.actions]);
      assert.deepEqual([...pair.logProb], [...greedy.logProb]);
    }
    assert.deepEqual(rng.getState(), before);
  });

  test("hand example: one forced pair displaces the greedy choice; the others keep their weights", () => {
    // agent 0: order 7 (p 0.9), order 8 (p 0.1); agent 1: order 7 (p 0.7), order 9 (p 0.3).
    // Greedy: 0→7, 1→9 (1.2 > 0.8) → [0, 1].
    const obs = obsOf([
      [7, 8],
      [7, 9],
    ]);
    const logits = Float32Array.of(Math.log(9), 0, Math.log(7), Math.log(3));
    assert.deepEqual([...selectJointAction(obs, logits).actions], [0, 1]);
    // ε = 0.5, draws in row order: row 0 (0→7) u = 0.9 kept; row 1 (0→8) u = 0.8 kept;
    // row 2 (1→7) u = 0.1 < 0.5 forced, score draw 0.3 → weight 1e6 + 0.7; row 3 (1→9) u = 0.6
    // kept. Weights [0.9, 0.1, 1e6 + 0.7, 0.3]: 0→8 + 1→7 = 1e6 + 0.8 beats 0→7 + 1→9 = 1.2,
    // so the forced pair takes order 7 and agent 0 falls back to order 8 → [1, 0].
    const rng = scripted([0.9, 0.8, 0.1, 0.3, 0.6]);
    const { actions, logProb } = selectJointAction(obs, logits, {
      epsilon: 0.5,
      explorationUnit: "pair",
      rng,
    });
    assert.deepEqual([...actions], [1, 0]);
    assert.equal(rng.left(), 0, "exactly five draws");
    // the stored behaviour log-probs are still the policy's: log 0.1 and log 0.7
    assert.ok(
      Math.abs(logProb[0] - Math.log(0.1)) < 1e-6 && Math.abs(logProb[1] - Math.log(0.7)) < 1e-6,
    );
    // under "vehicle" the rule draws once per agent: u = 0.9 and 0.8 ≥ 0.5, nobody explores
    const perVehicle = selectJointAction(obs, logits, {
      epsilon: 0.5,
      rng: scripted([0.9, 0.8]),
    });
    assert.deepEqual([...perVehicle.actions], [0, 1]);
  });

  test("an unknown explorationUnit is rejected", () => {
    assert.throws(
      () =>
        selectJointAction(obsOf([[1]]), Float32Array.of(0), {
          explorationUnit: "order" as "pair",
        }),
      /explorationUnit must be "vehicle" or "pair"/,
    );
  });
});
