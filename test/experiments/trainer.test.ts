import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { TinyDispatchEnv } from "../../src/envs/tiny/tiny-env.ts";
import type { TrainConfigInput } from "../../src/experiments/train-config.ts";
import { readRows } from "../../src/experiments/train-log.ts";
import { Trainer } from "../../src/experiments/trainer.ts";

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
  rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !k.endsWith("Seconds"))));

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
    assert.equal(a.evals.length, 3);
    assert.deepEqual(Buffer.from(a.params.buffer), Buffer.from(b.params.buffer));
    const c = await run(6);
    assert.notDeepEqual(c.rows, a.rows);
    assert.notDeepEqual(Buffer.from(c.params.buffer), Buffer.from(a.params.buffer));
  });
});

describe("Trainer: resume", () => {
  // OSPO: seed, evaluation every episode and a low KL target chosen so that the run goes through
  // every branch of the β rule (switch-on, skipped batches with β doubling, π_ref refresh).
  const configs = {
    ospo: {
      ...base("ospo", 8),
      seed: 8,
      evalEvery: 1,
      klTarget: 4e-4,
      klGuard: "reference" as const,
    },
    "ospo-trust-region": { ...base("ospo", 8), seed: 8, evalEvery: 1, klTarget: 4e-4 },
    mappo: base("mappo", 8),
  };
  for (const algo of ["ospo", "ospo-trust-region", "mappo"] as const) {
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
      assert.equal(bits(resumed.reference?.params), bits(straight.reference?.params));
      assert.deepEqual(resumed.counters, straight.counters);
      for (const name of ["train", "eval"]) {
        const want = timeless(readRows(join(straightDir, `${name}.jsonl`)));
        const got = timeless(readRows(join(splitDir, `${name}.jsonl`)));
        assert.equal(got.length, name === "train" ? N : N / (config.evalEvery ?? 1));
        assert.deepEqual(got, want, `${name}.jsonl`);
      }
      // The CSV holds the same rows (header + N lines), continued across the resume.
      const csv = readFileSync(join(splitDir, "train.csv"), "utf8").trim().split("\n");
      assert.equal(csv.length, N + 1);
      assert.ok(csv[0].startsWith("episode,envSeed,reward"));
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
