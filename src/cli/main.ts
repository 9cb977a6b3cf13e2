/**
 * The `fleetrl` command line. Each command lives in its own file under `commands/` and exports
 * `register(program)`; this file discovers them, wires them up and runs.
 */
import { readdirSync, readFileSync } from "node:fs";
import { Command } from "commander";
import { exitCodeFor } from "./run.ts";

/** Order of commands in `--help` (DESIGN §7); files not listed here come after, by name. */
const ORDER = [
  "demo",
  "data",
  "route",
  "scenarios",
  "simulate",
  "train",
  "eval",
  "compare",
  "learner",
  "actor",
  "swarm",
  "report",
  "dashboard",
];

const { version } = JSON.parse(
  readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
) as { version: string };

const program = new Command();
program
  .name("fleetrl")
  .version(version, "-V, --version", "print fleetrl's version")
  .description(
    "Train and evaluate fleet dispatch policies (OSPO, GRPO, IPPO, MAPPO and classic dispatchers)\n" +
      "on real Manhattan demand and road network.",
  )
  .showHelpAfterError("(run with --help for usage)")
  .exitOverride();

const dir = new URL("./commands/", import.meta.url);
const names = readdirSync(dir)
  .filter((f) => f.endsWith(".ts"))
  .map((f) => f.slice(0, -3))
  .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
// A command file's name is its command's name. `fleetrl train …` loads train.ts alone: every
// command imports its own slice of the library (the nn backend, the dashboard server, Redis…),
// and loading them all cost ~3 s per invocation. Anything else (`--help`, `help train`, a typo
// that wants suggestions) loads them all.
const requested = process.argv[2] ?? "";
for (const name of names.includes(requested) ? [requested] : names) {
  const mod = (await import(new URL(`${name}.ts`, dir).href)) as {
    register: (p: Command) => void;
  };
  mod.register(program);
}

// Descriptions are written as one paragraph each; commander wraps them at the terminal's width
// (a line break in the source would break a sentence in the middle).
for (const cmd of [program, ...allCommands(program)])
  cmd.description(cmd.description().replace(/\s*\n\s*/g, " "));

// `fleetrl … | head` closes stdout early: that is not an error.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw err;
});

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.exitCode = exitCodeFor(err);
}

function rank(name: string): number {
  const i = ORDER.indexOf(name);
  return i < 0 ? ORDER.length : i;
}

function allCommands(cmd: Command): Command[] {
  return cmd.commands.flatMap((c) => [c, ...allCommands(c)]);
}
