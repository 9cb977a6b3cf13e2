import assert from "node:assert/strict";
import { test } from "node:test";
import { assertEnvConforms, checkEnv, EnvConformanceError } from "../../src/core/conformance.ts";
import { type MultiAgentEnv, type Observation, PASS, type StepResult } from "../../src/core/env.ts";
import { TinyDispatchEnv } from "../../src/envs/tiny/tiny-env.ts";

/**
 * Deliberately broken variants of the tiny environment: each wraps the real environment and
 * breaks exactly one promise of the contract, so the checker must report that promise.
 */
class Wrapped implements MultiAgentEnv {
  readonly inner = new TinyDispatchEnv({ numVehicles: 4, maxOrders: 6 });
  readonly spec = this.inner.spec;
  reset(seed: number): Observation {
    return this.inner.reset(seed);
  }
  step(actions: Int32Array): StepResult {
    return this.inner.step(actions);
  }
  globalState(): Float32Array {
    return this.inner.globalState();
  }
}

let resets = 0;
class NonDeterministicReset extends Wrapped {
  override reset(seed: number): Observation {
    return this.inner.reset(seed + resets++);
  }
}
class IgnoresSeed extends Wrapped {
  override reset(): Observation {
    return this.inner.reset(0);
  }
}
class ShortCandPtr extends Wrapped {
  override reset(seed: number): Observation {
    const obs = this.inner.reset(seed);
    return { ...obs, candPtr: obs.candPtr.subarray(0, obs.candPtr.length - 1) };
  }
}
class ReadsInactiveActions extends Wrapped {
  private lastObs: Observation | null = null;
  override reset(seed: number): Observation {
    return (this.lastObs = this.inner.reset(seed));
  }
  override step(actions: Int32Array): StepResult {
    const obs = this.lastObs!;
    const r = this.inner.step(actions);
    for (let i = 0; i < actions.length; i++)
      if (!obs.active[i] && actions[i] !== PASS) r.rewards[i] += 1;
    this.lastObs = r.obs;
    return r;
  }
}
class ClampsInvalidActions extends Wrapped {
  override step(actions: Int32Array): StepResult {
    const fixed = new Int32Array(this.spec.numAgents).fill(PASS);
    fixed.set(actions.subarray(0, fixed.length));
    try {
      return this.inner.step(fixed);
    } catch {
      return this.inner.step(new Int32Array(this.spec.numAgents).fill(PASS));
    }
  }
}
class StepsForever extends Wrapped {
  private last: StepResult | null = null;
  override step(actions: Int32Array): StepResult {
    if (this.last?.terminations[0]) return this.last;
    return (this.last = this.inner.step(actions));
  }
  override reset(seed: number): Observation {
    this.last = null;
    return this.inner.reset(seed);
  }
}
class HighestIdWins extends Wrapped {
  private lastObs: Observation | null = null;
  override reset(seed: number): Observation {
    return (this.lastObs = this.inner.reset(seed));
  }
  override step(actions: Int32Array): StepResult {
    // Reverse the agents' priority by dropping the lower id's pick when two pick the same order.
    const obs = this.lastObs!;
    const a = actions.slice();
    const taken = new Map<number, number>();
    for (let i = a.length - 1; i >= 0; i--) {
      if (!obs.active[i] || a[i] === PASS) continue;
      const id = obs.candId![obs.candPtr[i] + a[i]];
      if (taken.has(id)) a[i] = PASS;
      else taken.set(id, i);
    }
    const r = this.inner.step(a);
    this.lastObs = r.obs;
    return r;
  }
}
class NaNGlobalState extends Wrapped {
  override globalState(): Float32Array {
    const s = this.inner.globalState();
    s[0] = Number.NaN;
    return s;
  }
}
/** Post-decision features (EnvSpec.postDecisionFeatureDim): each variant breaks one promise. */
class MissingPostDecision extends Wrapped {
  override step(actions: Int32Array): StepResult {
    const r = this.inner.step(actions);
    return { ...r, infos: { ...r.infos, postDecisionFeatures: undefined } };
  }
}
class NaNPostDecision extends Wrapped {
  override step(actions: Int32Array): StepResult {
    const r = this.inner.step(actions);
    r.infos.postDecisionFeatures![0] = Number.NaN;
    return r;
  }
}
class UndeclaredPostDecision extends Wrapped {
  override readonly spec = {
    ...this.inner.spec,
    postDecisionFeatureDim: undefined,
    postDecisionFeatureNames: undefined,
  };
}
let postDecisionCalls = 0;
class NondeterministicPostDecision extends Wrapped {
  override step(actions: Int32Array): StepResult {
    const r = this.inner.step(actions);
    r.infos.postDecisionFeatures![1] += postDecisionCalls++;
    return r;
  }
}

test("the tiny environment conforms and the conflict rule is exercised", () => {
  const report = assertEnvConforms(() => new TinyDispatchEnv(), { seeds: [0, 1, 2, 3] });
  assert.deepEqual(report.problems, []);
  assert.equal(report.episodes, 4);
  assert.ok(report.steps >= 4 * 4);
  assert.ok(report.conflictsExercised > 0, "no step tested the conflict rule");
  // The unbroken wrapper (4 vehicles, up to 6 orders) conforms too, so each failure below is
  // caused by its one defect.
  assert.deepEqual(checkEnv(() => new Wrapped(), { seeds: [0, 1, 2] }).problems, []);
});

const broken: [string, () => MultiAgentEnv, RegExp][] = [
  ["non-deterministic reset", () => new NonDeterministicReset(), /same seed differ/],
  ["reset ignores the seed", () => new IgnoresSeed(), /all give identical episodes/],
  [
    "candPtr one entry short",
    () => new ShortCandPtr(),
    /candPtr: expected an Int32Array of length n \+ 1 = 5/,
  ],
  [
    "reads inactive agents' actions",
    () => new ReadsInactiveActions(),
    /inactive agents' actions not ignored/,
  ],
  [
    "accepts invalid actions",
    () => new ClampsInvalidActions(),
    /for agent \d+ \(\d+ candidates\): expected an error, but the call succeeded/,
  ],
  [
    "steps after the episode ended",
    () => new StepsForever(),
    /step\(\) after the episode ended: expected an error/,
  ],
  [
    "highest agent id wins conflicts",
    () => new HighestIdWins(),
    /a lower id.s holds one of its resources/,
  ],
  ["NaN in the global state", () => new NaNGlobalState(), /globalState\(\): contains NaN/],
  [
    "declared post-decision features missing",
    () => new MissingPostDecision(),
    /infos.postDecisionFeatures: expected a Float32Array of 4 × 5/,
  ],
  [
    "NaN in the post-decision features",
    () => new NaNPostDecision(),
    /infos.postDecisionFeatures: contains NaN/,
  ],
  [
    "post-decision features the spec does not declare",
    () => new UndeclaredPostDecision(),
    /infos.postDecisionFeatures: given, but spec.postDecisionFeatureDim is 0/,
  ],
  [
    "post-decision features differ for the same seed",
    () => new NondeterministicPostDecision(),
    /postDecisionFeatures/,
  ],
];

for (const [name, make, expected] of broken) {
  test(`checkEnv catches a broken environment: ${name}`, () => {
    const { problems } = checkEnv(make, { seeds: [0, 1, 2] });
    assert.ok(
      problems.some((p) => expected.test(p)),
      `expected a problem matching ${expected}, got:\n${problems.join("\n")}`,
    );
  });
}

/** Legal: once step() returns, the observation before it may be overwritten (buffer reuse). */
class OverwritesPreviousObservation extends Wrapped {
  private lastObs: Observation | null = null;
  override reset(seed: number): Observation {
    return (this.lastObs = this.inner.reset(seed));
  }
  override step(actions: Int32Array): StepResult {
    const r = this.inner.step(actions);
    const old = this.lastObs!;
    old.active.fill(0);
    old.candPtr.fill(0);
    old.agentFeatures.fill(Number.NaN);
    old.candFeatures.fill(Number.NaN);
    this.lastObs = r.obs;
    return r;
  }
}

test("an environment that overwrites the previous observation after a step conforms", () => {
  const report = checkEnv(() => new OverwritesPreviousObservation(), { seeds: [1, 2] });
  assert.deepEqual(report.problems, []);
});

test("assertEnvConforms throws a readable report", () => {
  assert.throws(
    () => assertEnvConforms(() => new ShortCandPtr()),
    (err: Error) =>
      err instanceof EnvConformanceError &&
      /fails the MultiAgentEnv contract \(\d+ problem\(s\)\):\n {2}- seed 0: reset\(\): observation candPtr/.test(
        err.message,
      ),
  );
});

test("checkEnv needs two seeds and reports a throwing factory", () => {
  assert.throws(() => checkEnv(() => new TinyDispatchEnv(), { seeds: [1] }), /at least 2 seeds/);
  const { problems } = checkEnv(() => {
    throw new Error("no city loaded");
  });
  assert.deepEqual(problems, ["makeEnv() threw: no city loaded"]);
});
