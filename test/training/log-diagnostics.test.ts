/**
 * The training log's diagnostics (CleanRL's): explained variance of the critic — finite for the
 * critic-based learners, NaN (null in JSON) without a critic — and rollout decisions per second.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { explainedVariance } from "../../src/core/stats.ts";
import { TinyDispatchEnv } from "../../src/envs/tiny/tiny-env.ts";
import { Trainer } from "../../src/training/trainer.ts";

test("explained variance: worked examples", () => {
  assert.ok(Math.abs(explainedVariance([1, 2, 3], [1, 2, 4]) - (1 - 2 / 14)) < 1e-12);
  assert.equal(explainedVariance([1, 2, 4], [1, 2, 4]), 1);
  assert.equal(explainedVariance([0, 0, 0], [1, 2, 3]) <= 0, true); // constant guess: ≤ 0
  assert.ok(Number.isNaN(explainedVariance([1, 2], [3, 3])));
});

for (const [algo, critic] of [
  ["ospo", false],
  ["ippo", true],
] as const) {
  test(`${algo}: explainedVariance ${critic ? "finite (≤ 1)" : "NaN"}, decisionsPerSecond = decisions / rollout time`, async () => {
    const trainer = await Trainer.create({
      env: new TinyDispatchEnv({ episodeSteps: 8 }),
      config: { algo, seed: 2, episodes: 2, lr: 1e-3, evalEvery: 10 },
    });
    const row = trainer.trainEpisode();
    const ev = row.explainedVariance as number;
    if (critic) assert.ok(Number.isFinite(ev) && ev <= 1, `explained variance ${ev}`);
    else assert.ok(Number.isNaN(ev));
    const dps = row.decisionsPerSecond as number;
    const expected = (row.decisions as number) / (row.rolloutSeconds as number);
    assert.ok(Math.abs(dps - expected) <= 1e-9 * expected, `${dps} vs ${expected}`);
  });
}
