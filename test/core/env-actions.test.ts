import assert from "node:assert/strict";
import { test } from "node:test";
import { InvalidActionError, type Observation, PASS } from "../../src/core/env.ts";
import { resolveActions, validateActions } from "../../src/core/env-actions.ts";

/** 4 agents; agent 2 inactive. Candidates: agent 0 → orders 7, 8; agent 1 → 7; agent 3 → 8, 9. */
const obs: Observation = {
  active: Uint8Array.of(1, 1, 0, 1),
  agentFeatures: new Float32Array(0),
  candPtr: Int32Array.of(0, 2, 3, 3, 5),
  candFeatures: new Float32Array(0),
  candId: Int32Array.of(7, 8, 7, 8, 9),
};

test("validateActions accepts PASS and in-range indices, ignores inactive agents", () => {
  validateActions(obs, Int32Array.of(1, 0, 99, PASS));
  validateActions(obs, Int32Array.of(PASS, PASS, -5, 1));
});

test("validateActions names the agent and the legal range", () => {
  assert.throws(
    () => validateActions(obs, Int32Array.of(2, 0, 0, 0)),
    (err: Error) =>
      err instanceof InvalidActionError &&
      /agent 0 has 2 candidate\(s\).*0\.\.1 \(got 2\)/.test(err.message),
  );
  assert.throws(() => validateActions(obs, Int32Array.of(0, -2, 0, 0)), /actions\[1\]: agent 1/);
  assert.throws(() => validateActions(obs, new Int32Array(3)), /expected length 4.*got length 3/);
  assert.throws(
    () => validateActions(obs, [0, 0, 0, 0] as unknown as Int32Array),
    /expected an Int32Array/,
  );
});

test("resolveActions: the lowest agent id wins a shared candId; inactive agents pass", () => {
  const effective = new Int32Array(4);
  // agents 0 and 1 both take order 7; agent 3 takes order 9; agent 2 is inactive.
  assert.equal(resolveActions(obs, Int32Array.of(0, 0, 0, 1), effective), 1);
  assert.deepEqual([...effective], [0, PASS, PASS, 1]);
  // agent 0 takes order 8, agent 3 takes order 8 too: agent 3 loses; agent 1 keeps order 7.
  assert.equal(resolveActions(obs, Int32Array.of(1, 0, 0, 0), effective), 1);
  assert.deepEqual([...effective], [1, 0, PASS, PASS]);
  // without candId there are no conflicts
  const noIds = { ...obs, candId: undefined };
  assert.equal(resolveActions(noIds, Int32Array.of(0, 0, 0, 0), effective), 0);
  assert.deepEqual([...effective], [0, 0, PASS, 0]);
});
