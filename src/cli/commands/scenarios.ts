/**
 * `fleetrl scenarios`: the named scenarios (`--scenario NAME` on simulate, train, eval, compare
 * and demo) with every value each one sets.
 */
import type { Command } from "commander";
import { SCENARIOS, type Scenario } from "../../experiments/scenarios.ts";
import { action, type CommonOptions, withCommonOptions } from "../run.ts";

export function register(program: Command): void {
  withCommonOptions(
    program
      .command("scenarios")
      .description(
        "list the named scenarios and the environment and training values each one sets\n" +
          "(use one with --scenario NAME, or `scenario: NAME` in a config file; flags and files override it)",
      ),
  ).action(action(async (_opts: CommonOptions) => ({ scenarios: SCENARIOS }), printHuman));
}

function printHuman(r: { scenarios: readonly Scenario[] }): void {
  const out: string[] = [];
  for (const s of r.scenarios) {
    out.push(`${s.name}`, ...wrap(s.summary, 96).map((l) => `  ${l}`), "  env:");
    for (const [k, v] of Object.entries(s.env)) out.push(`    ${k}: ${JSON.stringify(v)}`);
    if (Object.keys(s.train).length > 0) {
      out.push("  train:");
      for (const [k, v] of Object.entries(s.train)) out.push(`    ${k}: ${JSON.stringify(v)}`);
    }
    out.push("");
  }
  process.stdout.write(`${out.join("\n")}`);
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line.length > 0 && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line.length > 0 ? `${line} ${word}` : word;
  }
  if (line.length > 0) lines.push(line);
  return lines;
}
