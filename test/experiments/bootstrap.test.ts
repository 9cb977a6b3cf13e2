/**
 * `bootstrapTruncated`: at the end of a time window (truncation) the critic's value of the last
 * state is the bootstrap only if asked; by default the window's end ends the task (value 0).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { MultiAgentEnv, StepResult } from "../../src/core/env.ts";
import { TinyDispatchEnv } from "../../src/envs/tiny/tiny-env.ts";
import { Trainer } from "../../src/training/trainer.ts";

/** The tiny env, but its episodes end by truncation (a time window) instead of termination. */
function truncatingTinyEnv(): MultiAgentEnv {
  const env = new TinyDispatchEnv({ episodeSteps: 4 });
  return {
    spec: env.spec,
    reset: (seed) => env.reset(seed),
    globalState: () => env.globalState(),
    step(actions): StepResult {
      const r = env.step(actions);
      return {
        ...r,
        terminations: new Uint8Array(r.terminations.length),
        truncations: r.terminations,
      };
    },
  };
}

async function endValues(bootstrapTruncated: boolean): Promise<Float32Array> {
  const trainer = await Trainer.create({
    env: truncatingTinyEnv(),
    config: { algo: "ippo", episodes: 1, seed: 3, evalEvery: 100, bootstrapTruncated },
  });
  // How the episode ends for the advantage estimator: the bootstrap value per agent.
  return trainer.play(trainer.nextJobs()[0]).experience.end.value;
}

test("truncated agents bootstrap with the critic only when bootstrapTruncated is set", async () => {
  const off = await endValues(false);
  const on = await endValues(true);
  assert.ok(
    off.every((v) => v === 0),
    `no bootstrap expected, got ${Array.from(off)}`,
  );
  assert.ok(
    on.some((v) => v !== 0),
    `critic values expected, got ${Array.from(on)}`,
  );
});
