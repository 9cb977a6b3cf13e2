/** One name per setting: a flag is its config key in kebab-case; former names still work. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Command } from "commander";
import * as compare from "../../src/cli/commands/compare.ts";
import * as simulate from "../../src/cli/commands/simulate.ts";
import * as train from "../../src/cli/commands/train.ts";
import { FORMER_FLAGS, kebab } from "../../src/cli/flag-names.ts";
import { runCli } from "./run-cli.ts";

const COMMANDS = { train, compare, simulate };

test("every flag that sets a config key has the key's name (the one exception: --env)", () => {
  for (const [name, mod] of Object.entries(COMMANDS)) {
    const program = new Command();
    mod.register(program);
    const cmd = program.commands[0];
    for (const [flag, key] of Object.entries(mod.FLAGS)) {
      const last = key.split(".").at(-1);
      if (flag === "env") assert.equal(key, "environment");
      else assert.equal(flag, last, `${name} --${kebab(flag)} sets ${key}`);
      const option = cmd.options.find((o) => o.attributeName() === flag);
      assert.equal(option?.long, `--${kebab(flag)}`, `${name} declares --${kebab(flag)}`);
      assert.equal(option?.hidden, false);
    }
    for (const [former, current] of Object.entries(FORMER_FLAGS)) {
      if (!(current in mod.FLAGS)) continue;
      const hidden = cmd.options.find((o) => o.attributeName() === former);
      assert.equal(hidden?.hidden, true, `${name} still accepts --${kebab(former)}, unlisted`);
      assert.doesNotMatch(cmd.helpInformation(), new RegExp(`--${kebab(former)} `));
    }
  }
});

test("a former flag name sets the same key; giving both names is refused before any work", () => {
  const r = runCli(["train", "--hour", "3", "--start-hour", "4", "--episodes", "1"]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /--hour is the former name of --start-hour: give only one of them/);
  assert.doesNotMatch(r.stderr, /run directory|at .*\.ts:/);
});
