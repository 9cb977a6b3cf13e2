/**
 * The dispatch environment's post-decision features (post-decision.ts): on a hand-made line a
 * matched vehicle's row is its new schedule (two stops, busy until its drop-off, free where it
 * drops off, its reward in its income) while the vehicle that passed keeps its idle row; and the
 * rows are what the vehicle features say right after the assignment.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { PASS } from "../../src/core/env.ts";
import { DispatchConfigSchema } from "../../src/envs/dispatch/config.ts";
import { DispatchEnv } from "../../src/envs/dispatch/env.ts";
import { incomeScale, VEHICLE_FEATURE_NAMES } from "../../src/envs/dispatch/features.ts";
import {
  POST_DECISION_DIM,
  POST_DECISION_FEATURE_NAMES,
} from "../../src/envs/dispatch/post-decision.ts";
import { lineWorld } from "./line-world.ts";

const col = (name: (typeof POST_DECISION_FEATURE_NAMES)[number]) =>
  POST_DECISION_FEATURE_NAMES.indexOf(name);

test("a matched vehicle's post-decision row is its new schedule; a passing one keeps its own", () => {
  // Two vehicles at node 0; one order from node 2 to node 6 at 0 s. Node i sits at y = i/10.
  const config = DispatchConfigSchema.parse({ vehicles: 2, epochs: 2 });
  const env = new DispatchEnv(
    lineWorld({
      requestTime: Float64Array.of(0),
      pickupNode: Int32Array.of(2),
      dropoffNode: Int32Array.of(6),
    }),
    config,
    { nodeLatLon: (i) => ({ lat: 40 + 0.001 * i, lon: -74 }) },
  );
  assert.equal(env.spec.postDecisionFeatureDim, POST_DECISION_DIM);
  assert.deepEqual(env.spec.postDecisionFeatureNames, POST_DECISION_FEATURE_NAMES);
  env.reset(1);
  const r = env.step(Int32Array.of(0, PASS));
  const post = r.infos.postDecisionFeatures!;
  assert.equal(post.length, 2 * POST_DECISION_DIM);
  const row = (v: number) => post.subarray(v * POST_DECISION_DIM, (v + 1) * POST_DECISION_DIM);
  const [matched, idle] = [row(0), row(1)];
  const cap = config.capacity;
  // vehicle 0: pickup at node 2 (120 s), drop-off at node 6 (240 s later): 2 stops, busy 360 s
  assert.equal(matched[col("stopFraction")], Math.fround(2 / (2 * cap)));
  assert.equal(matched[col("assignedFraction")], Math.fround(1 / cap));
  assert.ok(Math.abs(matched[col("busyTime")] - 360 / 3600) < 1e-6);
  assert.ok(Math.abs(matched[col("freeY")] - 0.6) < 1e-6, "free where it drops off (node 6)");
  assert.ok(Math.abs(matched[col("income")] - r.rewards[0] / incomeScale(config)) < 1e-6);
  assert.equal(matched[col("candidateCount")], 0);
  // vehicle 1 passed: no stops, free where it is (node 0)
  assert.equal(idle[col("stopFraction")], 0);
  assert.equal(idle[col("busyTime")], 0);
  assert.equal(idle[col("freeY")], 0);
  assert.equal(idle[col("vehicleY")], 0);
  // the leading columns are the vehicle features, in order
  assert.deepEqual(POST_DECISION_FEATURE_NAMES.slice(0, VEHICLE_FEATURE_NAMES.length), [
    ...VEHICLE_FEATURE_NAMES,
  ]);
});
