import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { Rng } from "../../src/core/rng.ts";
import { TinyDispatchEnv } from "../../src/envs/tiny/tiny-env.ts";
import {
  AUTO_EPSILON_TARGET,
  autoEpsilonDecay,
  epsilonDecayOf,
  parseTrainConfig,
  type TrainConfigInput,
} from "../../src/training/train-config.ts";
import { readRows } from "../../src/training/train-log.ts";
import { drawMinibatch, Trainer } from "../../src/training/trainer.ts";

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "fleetrl-trainer-"));
  dirs.push(d);
  return d;
};
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Small, fast runs that still go through evaluation, the KL phase and the critic. */
const base = (algo: TrainConfigInput["algo"], episodes: number): TrainConfigInput => ({
  algo,
  seed: 5,
  episodes,
  lr: 3e-3,
  evalEvery: 2,
  evalSeeds: [1, 2, 3],
  batchSize: 16,
  updatesPerEpisode: 4,
  policyHidden: [16, 16],
  criticHidden: [16, 16],
});
const env = () => new TinyDispatchEnv({ episodeSteps: 8 });

/** Metrics rows without wall-clock fields (those differ between runs by nature). */
const timeless = (rows: Record<string, unknown>[]) =>
  rows.map((r) =>
    Object.fromEntries(Object.entries(r).filter(([k]) => !/(Seconds|PerSecond)$/.test(k))),
  );

describe("Trainer: reproducibility", () => {
  test("same seed ⇒ identical metrics and bit-identical weights; another seed differs", async () => {
    const run = async (seed: number) => {
      const rows: Record<string, unknown>[] = [];
      const evals: Record<string, unknown>[] = [];
      const t = await Trainer.create({
        env: env(),
        config: { ...base("ospo", 6), seed },
        onEpisode: (row, ev) => {
          rows.push(row);
          if (ev) evals.push(ev);
        },
      });
      t.train();
      return { rows: timeless(rows), evals: timeless(evals), params: t.policy.params };
    };
    const a = await run(5);
    const b = await run(5);
    assert.deepEqual(a.rows, b.rows);
    assert.deepEqual(a.evals, b.evals);
    assert.equal(a.evals.length, 4); // the untrained policy's, then every 2 episodes
    assert.equal(a.evals[0].episode, 0);
    assert.deepEqual(Buffer.from(a.params.buffer), Buffer.from(b.params.buffer));
    const c = await run(6);
    assert.notDeepEqual(c.rows, a.rows);
    assert.notDeepEqual(Buffer.from(c.params.buffer), Buffer.from(a.params.buffer));
  });
});

describe("Trainer: policy lag", () => {
  test("lag 1: each update's episode is played with the weights of the update before (the first two with the initial ones)", async () => {
    const config = { ...base("ospo", 4), policyLag: 1 };
    const rows: Record<string, unknown>[] = [];
    const lagged = await Trainer.create({ env: env(), config, onEpisode: (r) => rows.push(r) });
    const initial = lagged.policy.params.slice();
    const versions = () => lagged.nextBatches().map((b) => b.version);
    // before any update: this update's batch and the next, both with the initial weights
    const [b0, b1] = lagged.nextBatches();
    assert.deepEqual([b0.version, b1.version], [0, 0]);
    assert.deepEqual(b1.weights.policy, initial);
    assert.deepEqual([b0.jobs[0].episode, b1.jobs[0].episode], [0, 1]);
    lagged.trainEpisode();
    assert.deepEqual(versions(), [0, 1]); // episode 2 still with the initial weights, 3 with those after 1
    lagged.trainEpisode();
    assert.deepEqual(versions(), [1, 2]);
    lagged.train();
    // a run without lag, same seed: playing episode 2's job with the initial weights gives the
    // lagged run's logged reward of episode 2
    const fresh = await Trainer.create({ env: env(), config: base("ospo", 4) });
    assert.equal(fresh.play(b1.jobs[0]).totals.reward, rows[1].reward);
    fresh.train();
    assert.notDeepEqual(fresh.policy.params, lagged.policy.params); // the lag changes the run
  });
});

describe("Trainer: resume", () => {
  // OSPO: seed, evaluation every episode and a low KL target chosen so that the run goes through
  // every branch of the β rule (switch-on, skipped batches with β doubling, π_ref refresh).
  const configs = {
    ospo: {
      ...base("ospo", 8),
      seed: 4,
      evalEvery: 1,
      klTarget: 4e-4,
      klGuard: "reference" as const,
    },
    "ospo-trust-region": { ...base("ospo", 8), seed: 8, evalEvery: 1, klTarget: 4e-4 },
    mappo: base("mappo", 8),
    // a policy lag: the weights of the last two updates' starts (policy and critic) resume too
    "mappo-policy-lag": { ...base("mappo", 8), rollouts: 2, policyLag: 2 },
    // the second (post-decision) critic, its Adam state and its stream resume too
    pdppo: base("pdppo", 8),
    pdmappo: { ...base("pdmappo", 8), postDecisionAdvantage: "mean" as const },
    // the published code's options: per-pair exploration, mean KL, minibatches with replacement,
    // and the automatic ε decay (which depends on `episodes`)
    "ospo-published-options": {
      ...base("ospo", 8),
      seed: 3, // reaches the KL phase
      evalEvery: 1,
      klTarget: 4e-4,
      explorationUnit: "pair" as const,
      klEstimator: "mean" as const,
      minibatch: "with-replacement" as const,
      epsilonDecay: "auto" as const,
    },
  };
  const names = [
    "ospo",
    "ospo-trust-region",
    "mappo",
    "mappo-policy-lag",
    "pdppo",
    "pdmappo",
  ] as const;
  for (const algo of [...names, "ospo-published-options"] as const) {
    test(`${algo}: N straight = N/2, checkpoint, (kill), resume, N/2 — same weights and logs`, async () => {
      const N = 8;
      const config = configs[algo];
      const straightDir = tempDir();
      const straight = await Trainer.create({ env: env(), config, outDir: straightDir });
      straight.train();

      const splitDir = tempDir();
      const first = await Trainer.create({ env: env(), config, outDir: splitDir });
      first.train(N / 2); // checkpoints at N/2
      first.trainEpisode(); // logged but never checkpointed: a kill before the next checkpoint
      const resumed = await Trainer.resume(join(splitDir, "checkpoint.safetensors"), {
        env: env(),
        outDir: splitDir,
      });
      assert.equal(resumed.counters.episode, N / 2);
      resumed.train();

      const bits = (x: Float32Array | undefined) =>
        x ? Buffer.from(x.buffer).toString("hex") : "none";
      assert.equal(bits(resumed.policy.params), bits(straight.policy.params));
      assert.equal(bits(resumed.critic?.params), bits(straight.critic?.params));
      assert.equal(bits(resumed.postCritic?.params), bits(straight.postCritic?.params));
      if (algo.startsWith("pd")) assert.ok(straight.postCritic, "a post-decision critic");
      assert.equal(bits(resumed.reference?.params), bits(straight.reference?.params));
      assert.deepEqual(resumed.counters, straight.counters);
      for (const name of ["train", "eval"]) {
        const want = timeless(readRows(join(straightDir, `${name}.jsonl`)));
        const got = timeless(readRows(join(splitDir, `${name}.jsonl`)));
        // eval: the untrained policy's row (episode 0), then one per evalEvery episodes
        const updates = N / (config.rollouts ?? 1);
        assert.equal(got.length, name === "train" ? updates : 1 + N / (config.evalEvery ?? 1));
        assert.deepEqual(got, want, `${name}.jsonl`);
      }
      // The CSV holds the same rows (header + N lines), continued across the resume.
      const csv = readFileSync(join(splitDir, "train.csv"), "utf8").trim().split("\n");
      assert.equal(csv.length, N / (config.rollouts ?? 1) + 1);
      assert.ok(csv[0].startsWith("episode,envSeed,reward"));
      if (algo === "ospo-published-options") {
        assert.ok(straight.counters.klEnabled, "the mean KL is exercised");
        const rows = readRows(join(straightDir, "train.jsonl"));
        assert.ok(rows.some((r) => Number.isFinite(r.refKl as number)));
      }
      if (algo === "ospo") {
        const rows = readRows(join(straightDir, "train.jsonl"));
        const evals = readRows(join(straightDir, "eval.jsonl"));
        assert.ok(straight.counters.klEnabled, "the run should reach the KL phase");
        assert.ok(rows.some((r) => (r.skipped as number) > 0 && (r.updates as number) > 0));
        assert.ok(
          evals.slice(N / 2).some((r) => r.best === true),
          "π_ref refreshed after resume",
        );
      }
    });
  }
});

describe("Trainer: options of the published code", () => {
  test("defaults keep today's behaviour; the new keys validate", () => {
    const c = parseTrainConfig({});
    assert.equal(c.explorationUnit, "vehicle");
    assert.equal(c.minibatch, "without-replacement");
    assert.equal(c.klEstimator, "full");
    assert.equal(c.epsilonDecay, 0.99);
    assert.equal(epsilonDecayOf(c), 0.99);
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ explorationUnit: "order" }, /explorationUnit/],
      [{ klEstimator: "k4" }, /klEstimator/],
      [{ minibatch: "bootstrap" }, /minibatch/],
      [{ epsilonDecay: "fast" }, /epsilonDecay: expected a number in \(0, 1\] or "auto"/],
      [{ epsilonDecay: 0 }, /epsilonDecay/],
    ];
    for (const [value, message] of bad)
      assert.throws(() => parseTrainConfig(value, "run.yaml"), message);
  });

  test("explorationUnit and minibatch reach the rollout and the updates", async () => {
    const run = async (extra: TrainConfigInput) => {
      const rows: Record<string, unknown>[] = [];
      const config = { ...base("ospo", 2), evalEvery: 100, ...extra };
      const t = await Trainer.create({ env: env(), config, onEpisode: (row) => rows.push(row) });
      t.train();
      return { rows: timeless(rows), params: Buffer.from(t.policy.params.buffer).toString("hex") };
    };
    const vehicle = await run({});
    assert.deepEqual(await run({ explorationUnit: "vehicle" }), vehicle);
    const pair = await run({ explorationUnit: "pair", epsilon: 0.5 });
    const perVehicle = await run({ epsilon: 0.5 });
    assert.notDeepEqual(pair.rows, perVehicle.rows);
    const withReplacement = await run({ minibatch: "with-replacement" });
    assert.deepEqual(withReplacement.rows[0].reward, vehicle.rows[0].reward); // same rollout
    assert.notEqual(withReplacement.params, vehicle.params); // other minibatches
  });

  test("autoEpsilonDecay: ε reaches 0.01 at half the episodes (hand-computed)", () => {
    // ε0 = 1, 200 episodes: d = 0.01^(2/200) = 0.01^(1/100) = 10^(−0.02) ≈ 0.954993
    const d = autoEpsilonDecay(1, 200);
    assert.ok(Math.abs(d - 10 ** -0.02) < 1e-15 && Math.abs(d - 0.954993) < 1e-6, `${d}`);
    assert.ok(Math.abs(1 * d ** 100 - AUTO_EPSILON_TARGET) < 1e-15);
    // ε0 = 0.5, 10 episodes: d = (0.02)^(1/5) ≈ 0.457305; ε_5 = 0.5 · 0.02 = 0.01
    const d2 = autoEpsilonDecay(0.5, 10);
    assert.ok(Math.abs(d2 - 0.02 ** 0.2) < 1e-15 && Math.abs(d2 - 0.457305) < 1e-6, `${d2}`);
    assert.ok(Math.abs(0.5 * d2 ** 5 - 0.01) < 1e-15);
    // an odd budget: ε0 = 1, 3 episodes → d = 0.01^(2/3); ε after 1.5 episodes would be 0.01
    assert.ok(Math.abs(autoEpsilonDecay(1, 3) - 0.01 ** (2 / 3)) < 1e-15);
    // ε0 at or below the target: no decay (never a factor above 1, never 0/0)
    assert.equal(autoEpsilonDecay(0.01, 100), 1);
    assert.equal(autoEpsilonDecay(0, 100), 1);
    assert.throws(() => autoEpsilonDecay(1, 0), /episodes/);
    assert.equal(epsilonDecayOf(parseTrainConfig({ epsilonDecay: "auto", episodes: 200 })), d);
  });

  test('epsilonDecay "auto" drives the logged ε; the floor still holds', async () => {
    const rows: Record<string, unknown>[] = [];
    const config = {
      ...base("ospo", 6),
      updatesPerEpisode: 1,
      evalEvery: 100,
      epsilonDecay: "auto" as const,
      epsilonFloor: 0.02,
    };
    const t = await Trainer.create({ env: env(), config, onEpisode: (row) => rows.push(row) });
    t.train();
    const d = 0.01 ** (1 / 3); // ε0 = 1, 6 episodes
    assert.deepEqual(
      rows.map((r) => r.epsilon),
      [0, 1, 2, 3, 4, 5].map((e) => Math.max(0.02, d ** e)),
    );
    assert.equal(rows[3].epsilon, 0.02, "0.01 at episode index 3 is below the floor 0.02");
  });

  test('resuming an "auto" run with a larger budget keeps its ε schedule', async () => {
    const dir = tempDir();
    const config = { ...base("ospo", 4), updatesPerEpisode: 1, epsilonDecay: "auto" as const };
    const first = await Trainer.create({ env: env(), config, outDir: dir });
    first.train();
    const resumed = await Trainer.resume(join(dir, "checkpoint.safetensors"), {
      env: env(),
      outDir: dir,
      episodes: 8,
    });
    assert.equal(resumed.config.epsilonDecay, autoEpsilonDecay(1, 4)); // the budget it started with
    const same = await Trainer.resume(join(dir, "checkpoint.safetensors"), { env: env() });
    assert.equal(same.config.epsilonDecay, "auto"); // unchanged budget: stays "auto"
  });

  test('drawMinibatch "with-replacement": min(batchSize, m) uniform draws, repeats allowed', () => {
    // hand replay: draw i is rng.int(m), in order
    const replay = new Rng(3);
    const want = Array.from({ length: 4 }, () => replay.int(10));
    assert.deepEqual([...drawMinibatch(10, 4, new Rng(3), "with-replacement")], want);
    // batchSize > m: capped at m draws, as OSPO's Buffer.sample (size = min(size, num))
    const big = drawMinibatch(5, 9, new Rng(1), "with-replacement");
    assert.equal(big.length, 5);
    for (const i of big) assert.ok(Number.isInteger(i) && i >= 0 && i < 5);
    // deterministic per rng state, and the state advances by exactly the draws
    const rng = new Rng(7);
    rng.uniform();
    const state = rng.getState();
    const a = drawMinibatch(50, 20, rng, "with-replacement");
    const copy = new Rng(0);
    copy.setState(state);
    assert.deepEqual([...drawMinibatch(50, 20, copy, "with-replacement")], [...a]);
    assert.deepEqual(copy.getState(), rng.getState());
    // repeats happen (without replacement they never do) and every index is about equally likely
    const counts = new Array(4).fill(0);
    let repeats = 0;
    for (let t = 0; t < 2000; t++) {
      const idx = drawMinibatch(4, 4, rng, "with-replacement");
      if (new Set(idx).size < idx.length) repeats++;
      for (const i of idx) counts[i]++;
    }
    assert.ok(Math.abs(repeats / 2000 - (1 - 24 / 256)) < 0.03, `repeats ${repeats}`);
    for (const c of counts) assert.ok(Math.abs(c / 8000 - 0.25) < 0.02, `counts ${counts}`);
    // the default is unchanged: min(batchSize, m) distinct indices
    const distinct = drawMinibatch(5, 9, new Rng(1));
    assert.deepEqual([...distinct].sort(), [0, 1, 2, 3, 4]);
  });
});

describe("Trainer: the untrained policy's evaluation", () => {
  test("episode 0 is the initial policy's greedy evaluation, log only: the run is otherwise unchanged", async () => {
    const run = async (evalAtStart: boolean) => {
      const dir = tempDir();
      const t = await Trainer.create({
        env: env(),
        config: { ...base("ospo", 4), seed: 2, evalEvery: 2, evalAtStart },
        outDir: dir,
      });
      const initial = t.evaluate();
      t.train();
      return { t, initial, evals: readRows(join(dir, "eval.jsonl")) };
    };
    const on = await run(true);
    const off = await run(false);
    assert.deepEqual(
      on.evals.map((r) => r.episode),
      [0, 2, 4],
    );
    assert.deepEqual(
      off.evals.map((r) => r.episode),
      [2, 4],
    );
    assert.equal(on.evals[0].reward, on.initial.reward, "it scores the weights before any update");
    assert.equal(on.evals[0].best, false);
    assert.deepEqual(timeless(on.evals.slice(1)), timeless(off.evals));
    assert.deepEqual(on.t.counters, off.t.counters);
    assert.deepEqual(
      Buffer.from(on.t.policy.params.buffer),
      Buffer.from(off.t.policy.params.buffer),
    );
  });
});

describe("Trainer: a post-decision critic (PDPPO)", () => {
  test("is trained beside the state critic and logged; refused on an env without post-decision features", async () => {
    const trainer = await Trainer.create({ env: env(), config: base("pdppo", 2) });
    const before = trainer.postCritic!.params.slice();
    const row = trainer.trainEpisode();
    assert.ok(Number.isFinite(row.postValueLoss as number), "postValueLoss logged");
    assert.ok(Number.isFinite(row.valueLoss as number));
    assert.notDeepEqual(trainer.postCritic!.params, before, "the post-decision critic learned");
    const ippo = await Trainer.create({ env: env(), config: base("ippo", 2) });
    assert.equal(ippo.postCritic, null);
    assert.ok(!("postValueLoss" in ippo.trainEpisode()), "no column without the critic");

    const plain = env();
    const without = Object.assign(Object.create(plain), {
      spec: {
        ...plain.spec,
        postDecisionFeatureDim: undefined,
        postDecisionFeatureNames: undefined,
      },
    });
    await assert.rejects(
      Trainer.create({ env: without, config: base("pdppo", 2) }),
      (e: Error) =>
        e.name === "UserError" && /"pdppo" needs post-decision features/.test(e.message),
    );
  });
});
