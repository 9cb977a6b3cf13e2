import assert from "node:assert/strict";
import { test } from "node:test";
import { RewardSchema } from "../../src/envs/dispatch/config.ts";
import {
  oneStepReward,
  pricedAddedTime,
  rewardWeights,
  writeRewardComponents,
} from "../../src/envs/dispatch/reward.ts";

const cfg = RewardSchema.parse({});
const withNewTrip = RewardSchema.parse({ addedTime: "with-new-trip" });

test("OSPO reward on hand-computed pairs", () => {
  // 2 km, 6 min pickup, nothing added: 3 + 2 − 3·0.1 = 4.7
  const r1 = oneStepReward(cfg, {
    directDistanceM: 2000,
    pickupTimeS: 360,
    lateOrders: 0,
    addedTimeS: 0,
    newTripS: 960,
  });
  assert.ok(Math.abs(r1 - 4.7) < 1e-12);
  // 1 km, 0 pickup, 1 late order, 50 min added: 3 + 1 − 1 − 3·(50/60) − 5·(10/60) = 3 − 2.5 − 0.8333…
  const r2 = oneStepReward(cfg, {
    directDistanceM: 1000,
    pickupTimeS: 0,
    lateOrders: 1,
    addedTimeS: 3000,
    newTripS: 0,
  });
  assert.ok(Math.abs(r2 - (3 - 2.5 - 5 / 6)) < 1e-12);
});

test("with-new-trip added time prices the new order's own pickup wait and ride (OSPO's time_add)", () => {
  const pair = {
    directDistanceM: 2000,
    pickupTimeS: 360,
    lateOrders: 0,
    addedTimeS: 120,
    newTripS: 960, // 6 min to the pickup + 10 min ride
  };
  assert.equal(pricedAddedTime(cfg, pair), 120);
  assert.equal(pricedAddedTime(withNewTrip, pair), 1080);
  // 3 + 2 − 3·0.1 − 3·(1080/3600) = 4.7 − 0.9 = 3.8
  assert.ok(Math.abs(oneStepReward(withNewTrip, pair) - 3.8) < 1e-12);
  // Beyond 40 min the excess is priced again: 50 min added → −3·50/60 − 5·10/60
  const long = { ...pair, addedTimeS: 0, newTripS: 3000 };
  assert.ok(Math.abs(oneStepReward(withNewTrip, long) - (4.7 - 2.5 - 5 / 6)) < 1e-12);
});

test("reward components (for GDPO): hand-computed, and their weighted sum is the reward", () => {
  // 1 km, 0 pickup, 1 late order, 50 min added: [1, 1, 0, 1, 50/60, 10/60]
  const out = new Float32Array(6);
  writeRewardComponents(cfg, 1000, 0, 1, 3000, out, 0);
  assert.deepEqual(Array.from(out), Array.from(Float32Array.of(1, 1, 0, 1, 50 / 60, 10 / 60)));
  assert.deepEqual(rewardWeights(cfg), [3, 1, -3, -1, -3, -5]);
  for (const c of [cfg, withNewTrip]) {
    const pair = {
      directDistanceM: 2300,
      pickupTimeS: 420,
      lateOrders: 2,
      addedTimeS: 2700,
      newTripS: 1500,
    };
    writeRewardComponents(c, 2300, 420, 2, pricedAddedTime(c, pair), out, 0);
    const sum = rewardWeights(c).reduce((s, w, j) => s + w * out[j], 0);
    assert.ok(Math.abs(sum - oneStepReward(c, pair)) < 1e-5, `${sum} vs ${oneStepReward(c, pair)}`);
  }
});
