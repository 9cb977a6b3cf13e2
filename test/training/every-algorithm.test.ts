/**
 * Every registered algorithm trains from the command line (`fleetrl train --env tiny --algo NAME`,
 * two episodes with an evaluation), a piece override is one config line (OSPO's one-step advantage
 * with the bounded-ratio surrogate and the median baseline), and bad choices exit 2 naming what is
 * allowed.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { ALGORITHM_NAMES } from "../../src/algorithms/registry.ts";
import { runCli, tempDir } from "../cli/run-cli.ts";

/** Train 2 tiny episodes with `train` overrides; returns the exit status, stderr and log rows. */
function trainTiny(algo: string, train: Record<string, unknown> = {}) {
  const dir = tempDir("fleetrl-algos-");
  const config = join(dir, "tiny.json");
  writeFileSync(
    config,
    JSON.stringify({
      environment: "tiny",
      env: { episodeSteps: 8 },
      train: { lr: 1e-3, updatesPerEpisode: 2, evalSeeds: [10_000], ...train },
    }),
  );
  const out = join(dir, "run");
  const r = runCli([
    ...["train", "--config", config, "--algo", algo, "--episodes", "2"],
    ...["--eval-every", "1", "--seed", "1", "--out", out, "--json"],
  ]);
  const rows = () =>
    readFileSync(join(out, "train.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
  return { r, out, rows };
}

describe("every registered algorithm trains end to end", () => {
  for (const algo of ALGORITHM_NAMES) {
    test(`--algo ${algo}: 2 episodes, finite losses, config and checkpoint written`, () => {
      const { r, out, rows } = trainTiny(algo);
      assert.equal(r.status, 0, r.stderr);
      const log = rows();
      assert.deepEqual(
        log.map((row) => row.episode),
        [1, 2],
      );
      for (const row of log) {
        assert.ok(Number.isFinite(row.loss), `loss ${row.loss}`);
        assert.ok(row.updates > 0, "updates applied");
      }
      assert.equal(JSON.parse(readFileSync(join(out, "config.json"), "utf8")).train.algo, algo);
    });
  }

  test("a piece override is one config line: OSPO + bounded-ratio surrogate + median baseline", () => {
    const { r, out } = trainTiny("ospo", { surrogate: "bpo", baseline: "median" });
    assert.equal(r.status, 0, r.stderr);
    const train = JSON.parse(readFileSync(join(out, "config.json"), "utf8")).train;
    assert.equal(train.surrogate, "bpo");
    assert.equal(train.baseline, "median");
  });

  test("unknown names exit 2 and list the known ones; a baseline on a critic is refused", () => {
    const unknown = trainTiny("ppo9");
    assert.equal(unknown.r.status, 2);
    for (const name of ALGORITHM_NAMES) assert.match(unknown.r.stderr, new RegExp(`"${name}"`));
    const surrogate = trainTiny("grpo", { surrogate: "trpo" });
    assert.equal(surrogate.r.status, 2);
    assert.match(surrogate.r.stderr, /surrogate.*"clip"\|"etr"\|"bpo"\|"mdpo"/);
    const critic = trainTiny("ippo", { baseline: "median" });
    assert.equal(critic.r.status, 2);
    assert.match(critic.r.stderr, /baseline: a group baseline applies to critic-free algorithms/);
    assert.doesNotMatch(critic.r.stderr, /at .*\.ts:\d+/, "no stack trace");
  });

  test("pdppo on an environment without post-decision features (mapf) exits 2 saying so", () => {
    const out = join(tempDir("fleetrl-algos-"), "run");
    const r = runCli([
      "train",
      "--env",
      "mapf",
      "--algo",
      "pdppo",
      "--episodes",
      "1",
      "--out",
      out,
    ]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /"pdppo" needs post-decision features/);
    assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/, "no stack trace");
  });
});
