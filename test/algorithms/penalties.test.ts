import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { PolicyStats } from "../../src/algorithms/objectives.ts";
import { adaptiveKlPenalty, noPenalty } from "../../src/algorithms/penalties.ts";
import type { PenaltySettings } from "../../src/algorithms/recipe.ts";
import { ALGORITHM_NAMES, algorithmByName } from "../../src/algorithms/registry.ts";

const settings = (klGuard: PenaltySettings["klGuard"]): PenaltySettings => ({
  klCoef: 0.5,
  klTarget: 0.01,
  klGuard,
});
const stats = (refKl: number, approxKl: number): PolicyStats => ({
  loss: 0,
  meanRatio: 1,
  clipFraction: 0,
  approxKl,
  refKl,
  entropy: 1,
});

describe("KL penalty schedules", () => {
  test("OSPO's adaptive penalty: off until an evaluation fails to improve, then β = klCoef each episode", () => {
    const state = { klEnabled: false };
    assert.equal(adaptiveKlPenalty.episodeStart(state, settings("behaviour")), null);
    adaptiveKlPenalty.afterEvaluation(true, state);
    assert.equal(state.klEnabled, false, "an improving evaluation leaves it off");
    adaptiveKlPenalty.afterEvaluation(false, state);
    assert.equal(state.klEnabled, true);
    adaptiveKlPenalty.afterEvaluation(true, state);
    assert.equal(state.klEnabled, true, "once on, it stays on");
    assert.equal(adaptiveKlPenalty.episodeStart(state, settings("behaviour")), 0.5);
  });

  test("β doubles when KL to π_ref passes the target; the guard KL decides the skip", () => {
    const s = settings("behaviour");
    assert.deepEqual(adaptiveKlPenalty.afterBatch(stats(0.005, 0.001), 0.5, s), {
      beta: 0.5,
      skip: false,
    });
    assert.deepEqual(adaptiveKlPenalty.afterBatch(stats(0.02, 0.001), 0.5, s), {
      beta: 1,
      skip: false,
    });
    assert.deepEqual(adaptiveKlPenalty.afterBatch(stats(0.005, 0.03), 1, s), {
      beta: 1,
      skip: true,
    });
    // the published guard: KL to π_ref
    assert.deepEqual(adaptiveKlPenalty.afterBatch(stats(0.02, 0.001), 1, settings("reference")), {
      beta: 2,
      skip: true,
    });
  });

  test("no penalty: never on, no reference, β unchanged", () => {
    const state = { klEnabled: false };
    noPenalty.afterEvaluation(false, state);
    assert.equal(state.klEnabled, false);
    assert.equal(noPenalty.episodeStart({ klEnabled: true }, settings("behaviour")), null);
    assert.equal(noPenalty.usesReference, false);
  });
});

describe("algorithm registry", () => {
  test("each name maps to its recipe: OSPO/GRPO critic-free with the KL schedule, IPPO/MAPPO with a critic", () => {
    assert.deepEqual(ALGORITHM_NAMES, [
      "ospo",
      "grpo",
      "ippo",
      "mappo",
      "mc-grpo",
      "etr",
      "bpo",
      "mdpo",
      "gdpo",
      "pdppo",
      "pdmappo",
    ]);
    const r = Object.fromEntries(ALGORITHM_NAMES.map((n) => [n, algorithmByName(n)]));
    for (const n of ALGORITHM_NAMES) assert.equal(r[n].name, n);
    assert.equal(r.ospo.penalty, adaptiveKlPenalty);
    assert.equal(r.grpo.penalty, adaptiveKlPenalty);
    assert.equal(r.ippo.penalty, noPenalty);
    assert.equal(r.mdpo.penalty, noPenalty); // its own KL proximity term is the trust region
    assert.deepEqual(
      ALGORITHM_NAMES.map((n) => r[n].critic),
      [
        ...["none", "none", "agent", "global+agent", "none", "none", "none", "none", "none"],
        ...["agent", "global+agent"],
      ],
    );
    assert.deepEqual(
      ALGORITHM_NAMES.filter((n) => r[n].postDecisionCritic !== undefined),
      ["pdppo", "pdmappo"],
    );
    assert.throws(
      () => algorithmByName("ppo2" as never),
      /unknown algorithm "ppo2" \(expected ospo, grpo, ippo, mappo, mc-grpo, etr, bpo, mdpo, gdpo, pdppo, pdmappo\)/,
    );
  });
});
