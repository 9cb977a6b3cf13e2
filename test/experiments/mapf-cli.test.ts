/**
 * `simulate`, `eval` and `compare` with `--env mapf`, end to end from the CLI on small maps.
 * Known answers: on a two-cell corridor a lone robot's only goal is the other cell, so a
 * controller that always moves scores a goal every step (throughput exactly 1) — shortest-path
 * and WHCA* do, random does not; a trained policy played by `simulate` on an evaluation seed
 * scores exactly what the training log's evaluation row says. Bad inputs exit 2 with a message
 * and no stack trace.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { runCli, tempDir } from "../cli/run-cli.ts";

const dir = tempDir("fleetrl-mapf-cli-");
const corridor = join(dir, "corridor.map");
writeFileSync(corridor, "type octile\nheight 1\nwidth 2\nmap\n..\n");
const badMap = join(dir, "bad.map");
writeFileSync(badMap, "type octile\nheight 2\nwidth 3\nmap\n...\n.#.\n");

const json = (stdout: string) => JSON.parse(stdout);
const userError = (r: ReturnType<typeof runCli>, pattern: RegExp) => {
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/);
};

/** A tiny mapf training run (window 3, 6×6 empty maps), its evaluation on seed 4242. */
const EVAL_SEED = 4242;
const trainedDir = join(dir, "trained");
function trainTinyMapf(): { best: string; evalRows: Record<string, number | boolean>[] } {
  if (!existsSync(join(trainedDir, "best.safetensors"))) {
    const config = join(dir, "mapf.json");
    writeFileSync(
      config,
      JSON.stringify({
        environment: "mapf",
        env: { map: "empty", width: 6, height: 6, agents: 4, steps: 16, window: 3 },
        train: { evalSeeds: [EVAL_SEED], updatesPerEpisode: 2 },
      }),
    );
    const args = ["train", "--config", config, "--algo", "ospo", "--episodes", "2"];
    const r = runCli([...args, "--lr", "1e-3", "--eval-every", "1", "--out", trainedDir, "--json"]);
    assert.equal(r.status, 0, r.stderr);
  }
  const evalRows = readFileSync(join(trainedDir, "eval.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l));
  return { best: join(trainedDir, "best.safetensors"), evalRows };
}

describe("simulate --env mapf", () => {
  test("a lone robot on a two-cell corridor: shortest-path and whca score every step, random does not", () => {
    const through: Record<string, number> = {};
    for (const d of ["shortest-path", "whca", "random"]) {
      const out = join(dir, `sim-${d}`);
      const args = ["simulate", "--env", "mapf", "--map", corridor, "--agents", "1"];
      const r = runCli([...args, "--steps", "20", "--dispatcher", d, "--out", out, "--json"]);
      assert.equal(r.status, 0, r.stderr);
      const result = json(r.stdout);
      assert.equal(result.environment, "mapf");
      assert.equal(result.throughput, result.metrics.goals / 20);
      through[d] = result.throughput;
      const metrics = JSON.parse(readFileSync(join(out, "metrics.json"), "utf8"));
      assert.deepEqual(metrics, result.metrics);
    }
    assert.equal(through["shortest-path"], 1);
    assert.equal(through.whca, 1);
    assert.ok(through.random < 1);
  });

  test("the same seed gives the same episode; replay.json holds every step", () => {
    const run = (out: string) => {
      const args = ["simulate", "--env", "mapf", "--map", "maze", "--agents", "12"];
      const r = runCli([...args, "--steps", "30", "--seed", "7", "--out", out, "--json"]);
      assert.equal(r.status, 0, r.stderr);
      return JSON.parse(readFileSync(join(out, "replay.json"), "utf8"));
    };
    const a = run(join(dir, "rep-a"));
    const b = run(join(dir, "rep-b"));
    assert.deepEqual(a, b);
    assert.equal(a.format, "fleetrl-mapf-replay/1");
    assert.equal(a.recordedSteps, 30);
    assert.equal(a.positions.length, 31 * 12);
    assert.equal(a.goals.length, 31 * 12);
    assert.equal(a.map.rows.length, a.map.height);
    assert.equal(
      a.goalsPerStep.reduce((s: number, g: number) => s + g, 0),
      a.metrics.goals,
    );
    for (let t = 0; t <= 30; t++) {
      const cells = a.positions.slice(t * 12, (t + 1) * 12);
      assert.equal(new Set(cells).size, 12, `step ${t}: two robots on one cell`);
      for (const c of cells)
        assert.equal(a.map.rows[Math.floor(c / a.map.width)][c % a.map.width], ".");
    }
  });

  test("policy:<checkpoint> plays what the training log's evaluation recorded", () => {
    const { best, evalRows } = trainTinyMapf();
    const trained = JSON.parse(readFileSync(join(trainedDir, "config.json"), "utf8"));
    const bestRow = evalRows.filter((r) => r.best === true).at(-1)!;
    const args = ["simulate", "--env", "mapf", "--dispatcher", `policy:${best}`];
    const r = runCli([
      ...args,
      "--seed",
      String(EVAL_SEED),
      "--out",
      join(dir, "sim-pol"),
      "--json",
    ]);
    assert.equal(r.status, 0, r.stderr);
    const result = json(r.stdout);
    assert.equal(result.agents, trained.env.agents); // the checkpoint's env is the default
    assert.equal(result.steps, 16);
    assert.equal(result.metrics.goals, bestRow.goals);
    assert.equal(result.throughput, bestRow.throughput);
  });

  test("bad inputs exit 2 with a message", () => {
    const sim = (...args: string[]) => runCli(["simulate", "--env", "mapf", ...args]);
    userError(sim("--map", badMap), /bad\.map:6:2: unknown cell "#"/);
    userError(sim("--map", join(dir, "none.map")), /none\.map: cannot read the map/);
    userError(sim("--map", corridor, "--agents", "2"), /agents: expected an integer in 1\.\.1/);
    userError(sim("--window", "4"), /window/);
    userError(sim("--vehicles", "3"), /--vehicles: a flag of the dispatch environment/);
    userError(sim("--dispatcher", "min-eta"), /expected one of random, shortest-path, whca/);
    userError(
      sim("--dispatcher", "policy:nope.safetensors"),
      /nope\.safetensors: no such checkpoint/,
    );
    userError(runCli(["simulate", "--map", corridor]), /--map: a flag of the mapf environment/);
    userError(runCli(["simulate", "--env", "tiny"]), /simulate plays dispatch or mapf/);
  });
});

describe("eval --env mapf", () => {
  test("a mapf checkpoint on held-out maps beside shortest-path and whca; evaluation.json", () => {
    const { best } = trainTinyMapf();
    const args = ["eval", "--checkpoint", best, "--maps", `random,${corridor}`, "--agents", "1"];
    const r = runCli([...args, "--seeds", "2", "--json"]); // no --env: the checkpoint's
    assert.equal(r.status, 0, r.stderr);
    const result = json(r.stdout);
    assert.equal(result.environment, "mapf");
    assert.deepEqual(result.maps, ["random", "corridor"]);
    assert.deepEqual(
      result.rows.map((x: { map: string; dispatcher: string }) => `${x.map}/${x.dispatcher}`),
      ["random/policy", "random/shortest-path", "random/whca", "corridor/policy"].concat([
        "corridor/shortest-path",
        "corridor/whca",
      ]),
    );
    for (const row of result.rows.filter((x: { map: string }) => x.map === "corridor"))
      if (row.dispatcher !== "policy") assert.deepEqual(row.throughputs, [1, 1]);
    const written = JSON.parse(readFileSync(join(trainedDir, "evaluation.json"), "utf8"));
    assert.deepEqual(written.rows, result.rows);
  });

  test("wrong-environment checkpoints and dispatch flags exit 2", () => {
    const { best } = trainTinyMapf();
    userError(
      runCli(["eval", "--checkpoint", best, "--env", "dispatch"]),
      /a policy of the mapf environment, not of dispatch \(play it with --env mapf\)/,
    );
    userError(
      runCli(["eval", "--checkpoint", best, "--hours", "3"]),
      /--hours: a flag of the dispatch/,
    );
    userError(runCli(["eval", "--checkpoint", best, "--maps", badMap]), /bad\.map:6:2/);
    const tinyDir = join(dir, "tiny");
    const t = runCli(["train", "--env", "tiny", "--episodes", "1", "--out", tinyDir, "--json"]);
    assert.equal(t.status, 0, t.stderr);
    const ckpt = join(tinyDir, "checkpoint.safetensors");
    userError(
      runCli(["eval", "--env", "mapf", "--checkpoint", ckpt]),
      /a policy of the tiny environment, not mapf/,
    );
    userError(
      runCli(["simulate", "--env", "mapf", "--dispatcher", `policy:${ckpt}`]),
      /a policy of the tiny environment, not mapf/,
    );
  });
});

describe("compare --env mapf", () => {
  test("baselines and a learner on paired episodes; a rerun reads every unit back", () => {
    const out = join(dir, "cmp");
    const args = [
      "compare",
      "--env",
      "mapf",
      "--algos",
      "shortest-path,whca,ospo",
      "--seeds",
      "2",
      "--episodes",
      "1",
      "--map",
      "empty",
      "--agents",
      "1",
      "--steps",
      "8",
      "--window",
      "3",
      "--maps",
      `${corridor},random`,
      "--eval-episodes",
      "2",
      "--out",
      out,
      "--json",
    ];
    const r = runCli(args);
    assert.equal(r.status, 0, r.stderr);
    const result = json(r.stdout);
    assert.deepEqual(
      result.rows.map((x: { entry: string }) => x.entry),
      ["shortest-path", "whca", "ospo"],
    );
    for (const row of result.rows.slice(0, 2)) {
      assert.equal(row.byMap[0].map, "corridor");
      assert.deepEqual(row.byMap[0].metrics.throughput, { mean: 1, ci95: 0 });
    }
    assert.ok(existsSync(join(out, "ospo-seed1", "checkpoint.safetensors")));
    const table = readFileSync(join(out, "compare.md"), "utf8");
    assert.match(table, /Map corridor:/);
    const again = runCli(args);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stderr, /done before; read back/);
    assert.equal(readFileSync(join(out, "compare.md"), "utf8"), table);
  });

  test("bad entries, flags of dispatch and bad maps exit 2 before any training", () => {
    const cmp = (...args: string[]) =>
      runCli(["compare", "--env", "mapf", "--episodes", "1", "--out", join(dir, "bad"), ...args]);
    userError(cmp("--algos", "min-eta"), /algos\.0: expected an algorithm .* or a mapf baseline/);
    userError(cmp("--vehicles", "3"), /--vehicles: a flag of the dispatch environment/);
    userError(cmp("--maps", badMap, "--algos", "ospo"), /bad\.map:6:2/);
    userError(runCli(["compare", "--maps", "random"]), /--maps: a flag of the mapf environment/);
  });
});
