/**
 * `--env mapf` on `simulate`, `eval` and `compare`: which environment a command plays (the flag,
 * else `environment:` in the config file, else dispatch), the MAPF flags (`--map`, `--agents`,
 * `--steps`, `--window`), and the refusal of a flag that belongs to the other environment — a
 * silently ignored `--vehicles` would make a user believe they changed something.
 */
import type { Command } from "commander";
import { UserError } from "../core/errors.ts";
import { numberFlag } from "./options.ts";
import { readConfigFile } from "./run.ts";

/** The environments a study command plays. */
export const STUDY_ENVIRONMENTS = ["dispatch", "mapf"] as const;
export type StudyEnvironment = (typeof STUDY_ENVIRONMENTS)[number];

/** Add `--env` and the MAPF flags to a command (call before its action). */
export function withMapfOptions(cmd: Command, mapHelp: string): Command {
  return cmd
    .option("--env <name>", "the environment: dispatch (default) | mapf (warehouse robots)")
    .option("--map <name>", `mapf: ${mapHelp}`)
    .option("--agents <n>", "mapf: robots on the map (default 64)", numberFlag)
    .option("--steps <n>", "mapf: steps per episode (default 64)", numberFlag)
    .option(
      "--window <n>",
      "mapf: side of each robot's observation window, odd (default 11)",
      numberFlag,
    );
}

/** The MAPF flags (commander names) every study command takes with `--env mapf`. */
export const MAPF_FLAGS = ["map", "agents", "steps", "window"] as const;

/** `--env`, else the config file's `environment`, else dispatch; other names exit 2. */
export function studyEnvironment(
  opts: { env?: string; config?: string },
  command: string,
): StudyEnvironment {
  const file = opts.config ? readConfigFile(opts.config) : {};
  const name = opts.env ?? (file.environment as string | undefined) ?? "dispatch";
  if (!(STUDY_ENVIRONMENTS as readonly string[]).includes(name))
    throw new UserError(
      `${opts.env !== undefined ? "--env" : `${opts.config}: environment`}: ${command} plays ${STUDY_ENVIRONMENTS.join(" or ")} (got ${JSON.stringify(name)})`,
    );
  return name as StudyEnvironment;
}

/** Refuse every flag of `flags` that was given (they belong to the other environment). */
export function refuseFlags(
  opts: Record<string, unknown>,
  flags: readonly string[],
  environment: StudyEnvironment,
): void {
  const given = flags.filter((f) => opts[f] !== undefined);
  if (given.length === 0) return;
  const names = given.map((f) => `--${f.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
  const other = environment === "mapf" ? "dispatch" : "mapf";
  throw new UserError(
    `${names.join(", ")}: ${given.length > 1 ? "flags" : "a flag"} of the ${other} environment, not of --env ${environment}`,
  );
}
