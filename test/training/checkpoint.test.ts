import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { UserError } from "../../src/core/errors.ts";
import { Rng } from "../../src/core/rng.ts";
import { TinyDispatchEnv } from "../../src/envs/tiny/tiny-env.ts";
import { PairScorer, saveNetworks } from "../../src/nn/index.ts";
import { loadCheckpoint, loadPolicy, saveCheckpoint } from "../../src/training/checkpoint.ts";
import { parseTrainConfig } from "../../src/training/train-config.ts";
import { envShape, Trainer } from "../../src/training/trainer.ts";

let dir: string;
let good: string;
const small = { episodes: 2, evalEvery: 1, evalSeeds: [1], policyHidden: [8], criticHidden: [8] };

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "fleetrl-ckpt-"));
  const t = await Trainer.create({
    env: new TinyDispatchEnv(),
    config: { ...small, algo: "ippo" },
    outDir: dir,
  });
  t.train();
  good = join(dir, "checkpoint.safetensors");
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Assert a UserError whose message contains every fragment. */
function userError(fn: () => unknown, ...fragments: string[]): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof UserError, `expected a UserError, got ${err}`);
    for (const f of fragments) assert.ok(err.message.includes(f), `"${err.message}" lacks "${f}"`);
    return true;
  });
}

describe("checkpoint contents", () => {
  test("round trip: config, counters, RNG states, networks and Adam moments", () => {
    const c = loadCheckpoint(good, { env: envShape(new TinyDispatchEnv()), algo: "ippo" });
    assert.equal(c.config.algo, "ippo");
    assert.equal(c.counters.episode, 2);
    assert.deepEqual(Object.keys(c.rng).sort(), ["minibatch"]);
    assert.equal(c.critic?.config.inputDim, 5); // IPPO: the agent's own features
    assert.equal(c.reference, undefined); // no KL penalty for IPPO
    assert.equal(c.adam.policy.step, 20); // 2 episodes × 10 updates
    assert.equal(c.adam.policy.m.length, c.policy.params.length);
    assert.equal(loadPolicy(good, 5).config.inputDim, 5);
    assert.ok(readFileSync(join(dir, "best.safetensors")).length > 0);
  });
});

describe("checkpoint bad input → UserError naming the file and field", () => {
  test("missing file", () => {
    userError(
      () => loadCheckpoint(join(dir, "nope.safetensors")),
      "nope.safetensors",
      "cannot read",
    );
  });

  test("corrupt file: truncated, or garbage bytes", () => {
    const bytes = readFileSync(good);
    const truncated = join(dir, "truncated.safetensors");
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 100));
    userError(() => loadCheckpoint(truncated), "truncated.safetensors");
    const garbage = join(dir, "garbage.safetensors");
    writeFileSync(garbage, "this is not a checkpoint at all");
    userError(() => loadCheckpoint(garbage), "garbage.safetensors");
  });

  test("a weights file that is not a training checkpoint", () => {
    const weights = join(dir, "weights.safetensors");
    saveNetworks(weights, { policy: PairScorer.create(5, new Rng(1), { hidden: [8] }) });
    userError(
      () => loadCheckpoint(weights),
      "weights.safetensors",
      "fleetrl.checkpoint",
      "missing",
    );
  });

  test("trained on another environment shape", () => {
    const other = envShape(new TinyDispatchEnv({ numVehicles: 4 }));
    userError(
      () => loadCheckpoint(good, { env: other }),
      "checkpoint.safetensors",
      "env.numAgents",
      "4",
    );
  });

  test("another algorithm than requested", () => {
    userError(() => loadCheckpoint(good, { algo: "ospo" }), "config.algo", '"ospo"', "ippo");
  });

  test("networks that do not match the stored config (other network shape)", () => {
    const c = loadCheckpoint(good);
    const wrong = join(dir, "wrong-shape.safetensors");
    saveCheckpoint(wrong, { ...c, config: { ...c.config, policyHidden: [16] } });
    userError(() => loadCheckpoint(wrong), "wrong-shape.safetensors", "policy.config", "5→16→1");
  });

  test("invalid stored config value or counters", () => {
    const c = loadCheckpoint(good);
    const badConfig = join(dir, "bad-config.safetensors");
    saveCheckpoint(badConfig, { ...c, config: { ...c.config, lr: -1 } });
    userError(() => loadCheckpoint(badConfig), "bad-config.safetensors", "config", "lr");
    const badCounters = join(dir, "bad-counters.safetensors");
    saveCheckpoint(badCounters, { ...c, counters: { ...c.counters, episode: -3 } });
    userError(() => loadCheckpoint(badCounters), "bad-counters.safetensors", "counters.episode");
  });

  test("lagged weights (a policy lag) of the wrong size", () => {
    const c = loadCheckpoint(good);
    const policy = c.policy.params.slice(0, 7);
    const critic = c.critic?.params.slice() ?? null;
    const lagged = join(dir, "bad-lagged.safetensors");
    saveCheckpoint(lagged, { ...c, lagged: [{ version: 1, weights: { policy, critic } }] });
    userError(
      () => loadCheckpoint(lagged),
      "bad-lagged.safetensors",
      "lagged.0.policy",
      "weights of episode 1",
      "7 values",
    );
  });

  test("resume refuses a checkpoint for another environment", async () => {
    await assert.rejects(
      Trainer.resume(good, { env: new TinyDispatchEnv({ numVehicles: 4 }) }),
      (err: unknown) => err instanceof UserError && err.message.includes("env.numAgents"),
    );
  });
});

describe("training config", () => {
  test("defaults are OSPO's published ones", () => {
    const c = parseTrainConfig({});
    assert.equal(c.algo, "ospo");
    assert.equal(c.lr, 1e-5);
    assert.equal(c.lrDecay, 0.99);
    assert.equal(c.gradClip, 1);
    assert.equal(c.updatesPerEpisode, 10);
    assert.equal(c.batchSize, 256);
    assert.deepEqual([c.clipLow, c.clipHigh, c.entropyCoef], [0.2, 0.28, 0.05]);
    assert.deepEqual([c.klCoef, c.klTarget], [0.5, 0.01]);
    assert.deepEqual([c.epsilon, c.epsilonDecay, c.epsilonFloor], [1, 0.99, 5e-4]);
    assert.deepEqual([c.gamma, c.gaeLambda], [0.99, 0.95]);
    assert.deepEqual([c.rollouts, c.policyLag], [1, 0]);
  });

  test("invalid values and unknown fields name the source and the field", async () => {
    userError(() => parseTrainConfig({ lr: 0 }, "run.yaml"), "run.yaml", "lr", "(got 0)");
    userError(() => parseTrainConfig({ algo: "dqn" }, "run.yaml"), "run.yaml", "algo", '"dqn"');
    userError(() => parseTrainConfig({ evalSeeds: [] }, "run.yaml"), "evalSeeds");
    userError(() => parseTrainConfig({ epsilon: 1.5 }, "run.yaml"), "epsilon", "1.5");
    userError(() => parseTrainConfig({ learningRate: 1 }, "run.yaml"), "learningRate");
    userError(() => parseTrainConfig({ policyLag: -1 }, "run.yaml"), "policyLag", "(got -1)");
    userError(() => parseTrainConfig({ policyLag: 17 }, "run.yaml"), "policyLag", "(got 17)");
    await assert.rejects(
      Trainer.create({ env: new TinyDispatchEnv(), config: { batchSize: 2.5 } }),
      (err: unknown) => err instanceof UserError && err.message.includes("batchSize"),
    );
  });
});
