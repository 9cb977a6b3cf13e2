/** What a first-time user meets: --version, and a hint for a config key named like its flag. */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { epsilonWarning, finalEpsilon } from "../../src/cli/epsilon-warning.ts";
import { editDistance } from "../../src/cli/key-hints.ts";
import { runCli, tempDir } from "./run-cli.ts";

test("--version prints the package's version", () => {
  const r = runCli(["--version"]);
  assert.equal(r.status, 0, r.stderr);
  const { version } = JSON.parse(readFileSync("package.json", "utf8"));
  assert.equal(r.stdout.trim(), version);
});

test("an unknown config key says which key was meant", () => {
  const dir = tempDir();
  const sim = join(dir, "sim.yaml");
  writeFileSync(sim, "hour: 18\nvehicels: 10\nmax-wait: 100\n");
  const r = runCli(["simulate", "--config", sim]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /hour: did you mean startHour \(the key of --start-hour\)\?/);
  assert.match(r.stderr, /vehicels: did you mean vehicles\?/);
  assert.match(r.stderr, /max-wait: did you mean maxWait/);
  const train = join(dir, "train.yaml");
  writeFileSync(train, "env:\n  hour: 18\ntrain:\n  epsilondecay: 0.9\n");
  const t = runCli(["train", "--config", train]);
  assert.equal(t.status, 2, t.stderr);
  assert.match(t.stderr, /env\.hour: did you mean startHour/);
  assert.match(t.stderr, /train\.epsilondecay: did you mean epsilonDecay\?/);
});

test("editDistance counts single-character edits", () => {
  assert.equal(editDistance("vehicels", "vehicles"), 2);
  assert.equal(editDistance("", "abc"), 3);
  assert.equal(editDistance("hour", "hour"), 0);
});

test("--help: one paragraph per description, defaults as typed on the command line", () => {
  const r = runCli(["train", "--help"]);
  assert.equal(r.status, 0, r.stderr);
  const description = r.stdout.split("\n\n")[1].split("\n");
  // Wrapped at the width, not at a line break in the middle of a sentence.
  for (const line of description.slice(0, -1)) assert.ok(line.length >= 60, `short line: ${line}`);
  assert.match(r.stdout, /\(default ospo\)/);
  const compare = runCli(["compare", "--help"]).stdout.replace(/\s+/g, " ");
  assert.match(compare, /\(default 14,17,20,21,22\)/);
  assert.doesNotMatch(compare, /\(default [[{"]/);
});

test("train warns before any work when ε is still high at the end of the budget", () => {
  const args = ["train", "--episodes", "60", "--demand", join(tempDir(), "none.csv")];
  const r = runCli([...args, "--out", join(tempDir(), "a")]);
  assert.equal(r.status, 2, "the missing trip file still fails the run");
  assert.match(r.stderr, /warning: ε is still 0\.55 in episode 60 \(ε decay 0\.99/);
  const auto = runCli([...args, "--epsilon-decay", "auto", "--out", join(tempDir(), "b")]);
  assert.doesNotMatch(auto.stderr, /warning: ε/, "auto: ε 0.01 at half the budget");
  const long = runCli(["train", "--episodes", "1000", "--demand", join(tempDir(), "none.csv")]);
  assert.doesNotMatch(long.stderr, /warning: ε/, "the default 1000 episodes end at the floor");
});

test("finalEpsilon follows ε0·d^(episodes−1) down to the floor", () => {
  const c = { epsilon: 1, epsilonFloor: 5e-4, exploration: "epsilon-greedy" as const };
  assert.ok(
    Math.abs(finalEpsilon({ ...c, epsilonDecay: 0.99, episodes: 60 }) - 0.99 ** 59) < 1e-12,
  );
  assert.ok(finalEpsilon({ ...c, epsilonDecay: "auto", episodes: 60 }) < 0.011);
  assert.equal(finalEpsilon({ ...c, epsilonDecay: 0.5, episodes: 100 }), 5e-4);
  assert.equal(epsilonWarning({ ...c, epsilonDecay: 0.95, episodes: 60 }), null); // 0.95^59 ≈ 0.05
});
