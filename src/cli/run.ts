/**
 * Shared plumbing for every command: `--json` / `--config` options, one JSON object on stdout in
 * JSON mode, progress and logs on stderr, and exit codes 0 (ok), 2 (user error), 1 (internal).
 */
import { readFileSync } from "node:fs";
import { type Command, CommanderError } from "commander";
import YAML from "yaml";
import { UserError } from "../core/errors.ts";

export interface CommonOptions {
  json?: boolean;
  config?: string;
}

/** Add the options every command takes. */
export function withCommonOptions(cmd: Command): Command {
  return cmd
    .option("--json", "print exactly one JSON object (the result) on stdout; logs go to stderr")
    .option("--config <file>", "read options from a JSON or YAML file (flags override it)");
}

/**
 * Wrap a command's action: run it, print its result (human text, or JSON with --json), and turn
 * errors into exit codes. A UserError prints its message only; anything else prints the stack.
 */
export function action<O extends CommonOptions, R>(
  run: (opts: O, args: string[]) => Promise<R> | R,
  printHuman: (result: R, opts: O) => void,
) {
  return async (...params: unknown[]) => {
    // commander passes positional args first, then the options object, then the Command.
    const cmd = params[params.length - 1] as Command;
    const opts = cmd.opts() as O;
    const args = params.slice(0, -2).filter((p): p is string => typeof p === "string");
    const result = await run(opts, args);
    if (opts.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else printHuman(result, opts);
  };
}

/** Map an error to the process exit code, printing it the way a user should see it. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    // --help and --version end through here with exit code 0; bad flags with 1 -> user error 2.
    return err.exitCode === 0 ? 0 : 2;
  }
  if (err instanceof UserError) {
    process.stderr.write(`fleetrl: error: ${err.message}\n`);
    return 2;
  }
  process.stderr.write(
    `fleetrl: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  return 1;
}

/** Read a JSON or YAML config file into a plain object (validation is the caller's schema's job). */
export function readConfigFile(
  path: string,
  knownKeys?: readonly string[],
): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new UserError(`${path}: cannot read config file`);
  }
  let value: unknown;
  try {
    value = path.endsWith(".json") ? JSON.parse(text) : YAML.parse(text);
  } catch (e) {
    throw new UserError(
      `${path}: not valid ${path.endsWith(".json") ? "JSON" : "YAML"}: ${(e as Error).message}`,
    );
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new UserError(`${path}: expected an object of options at the top level`);
  }
  const bad = nonFinite(value, []);
  if (bad) throw new UserError(`${path}: ${bad.path}: expected a finite number (got ${bad.value})`);
  // Commands whose file is not one zod schema name their top-level keys: a misspelt key must not
  // be silently ignored.
  const unknown = knownKeys ? Object.keys(value).filter((k) => !knownKeys.includes(k)) : [];
  if (unknown.length > 0)
    throw new UserError(
      `${path}: unknown key${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `"${k}"`).join(", ")} (expected ${knownKeys!.join(", ")})`,
    );
  return value as Record<string, unknown>;
}

/** The first NaN or ±Infinity in a parsed config (YAML's .nan / .inf), with its dotted path. */
function nonFinite(value: unknown, path: string[]): { path: string; value: string } | null {
  if (typeof value === "number" && !Number.isFinite(value))
    return { path: path.join(".") || "(top level)", value: String(value) };
  if (value === null || typeof value !== "object") return null;
  for (const [key, v] of Object.entries(value)) {
    const found = nonFinite(v, [...path, key]);
    if (found) return found;
  }
  return null;
}

/** Write a line of progress or log to stderr (never stdout, which --json reserves). */
export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}
