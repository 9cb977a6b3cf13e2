import assert from "node:assert/strict";
import { test } from "node:test";
import { RewardSchema } from "../../src/envs/dispatch/config.ts";
import { oneStepReward } from "../../src/envs/dispatch/reward.ts";

const cfg = RewardSchema.parse({});

test("OSPO reward on hand-computed pairs", () => {
  // 2 km, 6 min pickup, nothing added: 3 + 2 − 3·0.1 = 4.7
  const r1 = oneStepReward(cfg, {
    directDistanceM: 2000,
    pickupTimeS: 360,
    lateOrders: 0,
    addedTimeS: 0,
  });
  assert.ok(Math.abs(r1 - 4.7) < 1e-12);
  // 1 km, 0 pickup, 1 late order, 50 min added: 3 + 1 − 1 − 3·(50/60) − 5·(10/60) = 3 − 2.5 − 0.8333…
  const r2 = oneStepReward(cfg, {
    directDistanceM: 1000,
    pickupTimeS: 0,
    lateOrders: 1,
    addedTimeS: 3000,
  });
  assert.ok(Math.abs(r2 - (3 - 2.5 - 5 / 6)) < 1e-12);
});
