/**
 * Real learning on the tiny dispatch environment (known unique optimum per step): trained
 * policies must find the best matching far more often than the untrained policy and than the
 * uncoordinated "nearest order" heuristic. Runs are seeded, so each outcome is deterministic;
 * thresholds leave room for honest variation across seeds (measured: see docs/algorithms.md).
 *
 * Learning rate: OSPO's published 1e-5 is tuned for 1000 vehicles × 30 minutes with thousands of
 * decisions per episode; here an episode has ~35 decisions, so the tests pass lr = 1e-3.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { episodeOver, PASS } from "../../src/core/env.ts";
import { TinyDispatchEnv } from "../../src/envs/tiny/tiny-env.ts";
import type { TrainConfigInput } from "../../src/training/train-config.ts";
import { Trainer } from "../../src/training/trainer.ts";

const EVAL_SEEDS = Array.from({ length: 50 }, (_, i) => 10_000 + i); // never used for training
const makeEnv = () => new TinyDispatchEnv({ episodeSteps: 16 });

/** Regret per step of the "nearest order, no coordination" heuristic on the evaluation seeds. */
function nearestRegret(): number {
  const env = makeEnv();
  const F = env.spec.pairFeatureDim; // feature 0 = pickup time / bound
  let regret = 0;
  let steps = 0;
  for (const seed of EVAL_SEEDS) {
    let obs = env.reset(seed);
    for (;;) {
      const actions = new Int32Array(env.spec.numAgents).fill(PASS);
      for (let i = 0; i < actions.length; i++) {
        let best = Number.POSITIVE_INFINITY;
        for (let k = obs.candPtr[i]; k < obs.candPtr[i + 1]; k++) {
          if (obs.candFeatures[k * F] < best) {
            best = obs.candFeatures[k * F];
            actions[i] = k - obs.candPtr[i];
          }
        }
      }
      const r = env.step(actions);
      regret += r.infos.extra!.optimalReward - r.rewards.reduce((s, x) => s + x, 0);
      steps++;
      if (episodeOver(r)) break;
      obs = r.obs;
    }
  }
  return regret / steps;
}

/** Greedy-evaluation regret per step of the trainer's current policy. */
function regret(trainer: Trainer): number {
  const ev = trainer.evaluate(EVAL_SEEDS);
  return (ev.means.optimalReward - ev.reward) / ev.means.steps;
}

async function trainAndMeasure(config: TrainConfigInput) {
  const trainer = await Trainer.create({
    env: makeEnv(),
    config: { seed: 1, lr: 1e-3, evalEvery: 10, evalSeeds: EVAL_SEEDS, ...config },
  });
  const before = regret(trainer);
  trainer.train();
  return { before, after: regret(trainer) };
}

describe("learning on TinyDispatchEnv (greedy evaluation on 50 held-out seeds)", () => {
  const nearest = nearestRegret();

  test("the baselines leave a clear gap (nearest ≈ 0.54 regret per step)", () => {
    assert.ok(nearest > 0.4 && nearest < 0.7, `nearest regret ${nearest}`);
  });

  for (const algo of ["ospo", "grpo"] as const) {
    test(`${algo} learns the best matching within 30 episodes`, async () => {
      const { before, after } = await trainAndMeasure({ algo, episodes: 30 });
      // measured (seed 1): untrained 1.20 → 0.028 (OSPO) / 0.034 (GRPO with grpoAdvantage
      // "z-rewards", the default then); with score matching 0.071 / 0.069; nearest 0.54
      assert.ok(before > 0.8, `untrained regret ${before}`);
      assert.ok(after < 0.1, `${algo}: regret ${after} per step (untrained ${before})`);
      assert.ok(after < 0.25 * nearest, `${algo}: regret ${after} vs nearest ${nearest}`);
    });
  }

  for (const algo of ["ippo", "mappo"] as const) {
    test(`${algo} improves clearly on the untrained policy within 60 episodes`, async () => {
      // Matching on probabilities, as calibrated: every tiny-env vehicle sees about the same
      // number of orders, so per-vehicle normalisation costs little here, and the critic-based
      // learners converge faster with it (seed 1: untrained 1.20 → 0.037 IPPO / 0.45 MAPPO;
      // with the default score weights 0.12 / 0.62 — MAPPO then needs more episodes).
      const { before, after } = await trainAndMeasure({
        algo,
        episodes: 60,
        matchWeight: "probability",
      });
      assert.ok(after < 0.5 * before, `${algo}: regret ${after} per step (untrained ${before})`);
    });
  }
});
