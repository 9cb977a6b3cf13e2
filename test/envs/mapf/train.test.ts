/**
 * `mapf` through the registry and the real train path: every algorithm trains a few episodes,
 * the CLI trains it end to end (bad keys and bad maps exit 2), and a learning test on a tiny map
 * whose best behaviour is known — every robot walks a shortest path to its goal and steps around
 * the others — where OSPO must reach the shortest-path baseline's throughput within 10 episodes.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { MAPF_BASELINES, runMapfEpisode } from "../../../src/envs/mapf/baselines.ts";
import { MapfTrainSchema, mapfEnvOf } from "../../../src/envs/mapf/entry.ts";
import { trainRunSchemaFor } from "../../../src/experiments/run-config.ts";
import { train } from "../../../src/experiments/train.ts";
import { runCli, tempDir } from "../../cli/run-cli.ts";

const EVAL_SEEDS = [100, 101, 102, 103];
const TINY = { map: "empty", width: 6, height: 6, agents: 4, steps: 32, window: 3 };

/** A validated run config on mapf, as `train --config` would make it. */
function runConfig(env: Record<string, unknown>, trainKeys: Record<string, unknown>) {
  const raw = { environment: "mapf", env, train: trainKeys };
  return trainRunSchemaFor(raw, "test").parse(raw) as Parameters<typeof train>[0];
}

const evalRows = (dir: string) =>
  readFileSync(join(dir, "eval.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l));

describe("train --env mapf", () => {
  for (const algo of ["ospo", "grpo", "ippo", "mappo"]) {
    test(`${algo} trains 2 episodes on a generated map; eval rows carry throughput`, async () => {
      const out = join(tempDir("fleetrl-mapf-"), "run");
      const config = runConfig(
        { width: 8, height: 8, agents: 6, steps: 8, window: 3 },
        { algo, episodes: 2, evalEvery: 1, evalSeeds: [7, 8], updatesPerEpisode: 2 },
      );
      const result = await train(config, out);
      assert.equal(result.environment, "mapf");
      assert.equal(result.episodes, 2);
      const rows = evalRows(out);
      assert.deepEqual(
        rows.map((r) => r.episode),
        [0, 1, 2], // the untrained policy's evaluation, then every episode
      );
      for (const row of rows) {
        assert.equal(row.steps, 8);
        assert.ok(row.throughput >= 0 && Math.abs(row.throughput - row.goals / 8) < 1e-9);
      }
    });
  }

  test("the env: section: defaults, an unknown key refused", () => {
    const env = MapfTrainSchema.parse({});
    assert.deepEqual([env.map, env.agents, env.steps, env.window], ["random", 64, 64, 11]);
    assert.throws(() => runConfig({ vehicles: 3 }, {}), /Unrecognized key/);
  });

  test("learning: OSPO reaches shortest-path following on a tiny open map in 10 episodes", async () => {
    const env = { ...TINY, progressReward: 0.1 };
    const envOf = mapfEnvOf("empty", MapfTrainSchema.parse(env));
    const mean = (name: string) => {
      const d = MAPF_BASELINES.find((b) => b.name === name)!;
      return EVAL_SEEDS.reduce((s, seed) => s + runMapfEpisode(envOf, d, seed).throughput, 0) / 4;
    };
    const [random, shortest] = [mean("random"), mean("shortest-path")];
    assert.ok(random < 0.1 && shortest > 0.5, `random ${random}, shortest-path ${shortest}`);
    const out = join(tempDir("fleetrl-mapf-"), "run");
    const config = runConfig(env, {
      algo: "ospo",
      episodes: 10,
      lr: 1e-3,
      epsilonDecay: "auto",
      evalEvery: 5,
      evalSeeds: EVAL_SEEDS,
      seed: 1,
    });
    await train(config, out);
    const best = Math.max(...evalRows(out).map((r) => r.throughput));
    assert.ok(best >= shortest, `best evaluation throughput ${best} < shortest-path ${shortest}`);
  });

  test("the CLI: trains, and refuses a bad map file with exit 2 naming line and character", () => {
    const dir = tempDir("fleetrl-mapf-");
    const config = join(dir, "c.json");
    writeFileSync(config, JSON.stringify({ environment: "mapf", env: { ...TINY, steps: 4 } }));
    const args = ["train", "--config", config, "--episodes", "1", "--eval-every", "1"];
    const ok = runCli([...args, "--out", join(dir, "run"), "--json"]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).environment, "mapf");
    const bad = join(dir, "bad.map");
    writeFileSync(bad, "type octile\nheight 2\nwidth 3\nmap\n...\n.#.\n");
    writeFileSync(config, JSON.stringify({ environment: "mapf", env: { map: bad } }));
    const refused = runCli([...args, "--out", join(dir, "run2")]);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /bad\.map:6:2: unknown cell "#"/);
    assert.doesNotMatch(refused.stderr, /at .*\.ts:\d+/);
  });
});
