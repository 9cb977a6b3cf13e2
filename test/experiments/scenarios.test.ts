/** The named scenarios: manhattan-peak is the defaults spelled out; every scenario validates. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { DispatchConfigSchema } from "../../src/envs/dispatch/config.ts";
import { TrainRunSchema } from "../../src/experiments/run-config.ts";
import { SCENARIOS, scenarioByName } from "../../src/experiments/scenarios.ts";
import { TrainConfigSchema } from "../../src/training/train-config.ts";

test("manhattan-peak restates the schema defaults: no value differs from a flag-free run", () => {
  const defaults = DispatchConfigSchema.parse({}) as Record<string, unknown>;
  const { env, train } = scenarioByName("manhattan-peak");
  for (const [key, value] of Object.entries(env)) {
    if (key === "reward") {
      for (const [k, v] of Object.entries(value as object))
        assert.deepEqual((defaults.reward as Record<string, unknown>)[k], v, `reward.${k}`);
    } else assert.deepEqual(defaults[key], value, key);
  }
  assert.deepEqual(train, {});
});

test("every scenario is a valid training run and differs from the defaults where it says", () => {
  for (const s of SCENARIOS) {
    const run = TrainRunSchema.parse({ env: s.env, train: s.train, scenario: s.name });
    for (const [key, value] of Object.entries(s.train))
      assert.deepEqual((run.train as Record<string, unknown>)[key], value, `${s.name}: ${key}`);
  }
  const paper = TrainRunSchema.parse({ env: scenarioByName("ospo-paper").env });
  assert.equal(paper.env.deadline, "assignment");
  assert.equal(paper.env.candidates, "all");
  assert.equal(
    paper.env.reward.base,
    3,
    "a scenario's partial reward keeps the other coefficients",
  );
  assert.notEqual(TrainConfigSchema.parse({}).explorationUnit, "pair");
});

test("scenarioByName names the known scenarios when it refuses one", () => {
  assert.throws(() => scenarioByName("paper", "run.yaml: scenario"), {
    message:
      'run.yaml: scenario: unknown scenario "paper" (expected one of ospo-paper, manhattan-peak)',
  });
});
