/**
 * From flags and a config file to one validated config: the file gives values, flags override
 * them, the schema fills defaults and checks ranges. Flag values arrive as strings and are
 * converted here, so `--vehicles abc` fails with a message that names the flag.
 */
import { type Command, InvalidArgumentError, Option } from "commander";
import type { z } from "zod";
import { UserError } from "../core/errors.ts";
import { validate } from "../core/validate.ts";
import { SCENARIO_NAMES, scenarioByName } from "../experiments/scenarios.ts";
import { FORMER_FLAGS, kebab } from "./flag-names.ts";
import { unknownKeyHints } from "./key-hints.ts";
import { readConfigFile } from "./run.ts";

/** Commander parser for a numeric flag: `.option("--vehicles <n>", "…", numberFlag)`. */
export function numberFlag(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n))
    throw new InvalidArgumentError(`expected a number, got "${value}"`);
  return n;
}

/** Commander parser for a count (an integer ≥ 1): `--workers 2`. */
export function countFlag(value: string): number {
  const n = numberFlag(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`expected a whole number ≥ 1, got "${value}"`);
  return n;
}

/** Commander parser for a whole number ≥ 0: `--policy-lag 1`. */
export function nonNegativeFlag(value: string): number {
  const n = numberFlag(value);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(`expected a whole number ≥ 0, got "${value}"`);
  return n;
}

/** Commander parser for a comma-separated list of numbers: `--hours 14,17,20`. */
export function numberListFlag(value: string): number[] {
  return value.split(",").map((part) => numberFlag(part.trim()));
}

/** Commander parser for a comma-separated list of names: `--algos ospo,grpo`. */
export function listFlag(value: string): string[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Give `cmd` the hidden former names of its flags (call after declaring its options). */
export function withFormerFlags(cmd: Command): Command {
  for (const [former, current] of Object.entries(FORMER_FLAGS)) {
    const option = cmd.options.find((o) => o.attributeName() === current);
    if (!option) continue;
    const flag = new Option(
      `--${kebab(former)} <value>`,
      `former name of ${option.long}`,
    ).hideHelp();
    if (option.parseArg) flag.argParser(option.parseArg);
    cmd.addOption(flag);
  }
  return cmd;
}

/** The options with former flag names moved to the current ones (both given: an error). */
function withCurrentNames(opts: Record<string, unknown>): Record<string, unknown> {
  const out = { ...opts };
  for (const [former, current] of Object.entries(FORMER_FLAGS)) {
    if (out[former] === undefined) continue;
    if (out[current] !== undefined)
      throw new UserError(
        `--${kebab(former)} is the former name of --${kebab(current)}: give only one of them`,
      );
    out[current] = out[former];
    delete out[former];
  }
  return out;
}

/** `--help` text of `--scenario` (commands that build an environment). */
export const SCENARIO_HELP = `named preset of environment values: ${SCENARIO_NAMES.join(" | ")} (default manhattan-peak; see fleetrl scenarios); a config file and flags override it`;

/**
 * Where a command's config keeps a scenario's values: the key of its environment object and of
 * its training object ("" = the top level; no `train` = the command takes no training keys).
 */
export interface ScenarioPlacement {
  env: string;
  train?: string;
}

/**
 * Merge the `--config` file (if any) with the flags given and validate against `schemaOf` (a
 * schema, or a function of the merged values that picks one, e.g. by their environment).
 * `flagToKey` maps commander's option names to config keys, dotted for nested objects
 * (`vehicles` → `env.vehicles`); flags left unset do not override the file. With `placement`,
 * a scenario (`--scenario`, or `scenario:` in the file) is laid under both, and its name is
 * kept in the result's `scenario` key.
 */
export function resolveConfig<S extends z.ZodType>(
  schemaOf: S | ((merged: Record<string, unknown>) => S),
  opts: Record<string, unknown> & { config?: string; scenario?: string },
  flagToKey: Record<string, string>,
  placement?: ScenarioPlacement,
): z.output<S> {
  opts = withCurrentNames(opts);
  const file: Record<string, unknown> = opts.config ? readConfigFile(opts.config) : {};
  const merged = deepMerge(placement ? scenarioLayer(opts, file, placement) : {}, file);
  for (const [flag, key] of Object.entries(flagToKey)) {
    if (opts[flag] !== undefined) setPath(merged, key.split("."), opts[flag]);
  }
  const source = opts.config ? `options (from ${opts.config} and flags)` : "options";
  const schema = typeof schemaOf === "function" ? schemaOf(merged) : schemaOf;
  try {
    return validate(schema, merged, source);
  } catch (e) {
    const hints = e instanceof UserError ? unknownKeyHints(schema, merged, flagToKey) : "";
    throw hints ? new UserError(`${(e as Error).message} — ${hints}`) : e;
  }
}

/** The named scenario's values placed where the command keeps them (empty without a scenario). */
function scenarioLayer(
  opts: { config?: string; scenario?: string },
  file: Record<string, unknown>,
  placement: ScenarioPlacement,
): Record<string, unknown> {
  const name = opts.scenario ?? file.scenario;
  if (name === undefined) return {};
  const source = opts.scenario !== undefined ? "--scenario" : `${opts.config}: scenario`;
  const scenario = scenarioByName(String(name), source);
  const layer: Record<string, unknown> = {};
  const put = (key: string, values: object) => {
    if (key === "") Object.assign(layer, values);
    else layer[key] = { ...values };
  };
  put(placement.env, scenario.env);
  if (placement.train !== undefined) put(placement.train, scenario.train);
  layer.scenario = scenario.name;
  return layer;
}

/** `over` laid on `base`: nested plain objects merge, everything else (arrays too) replaces. */
export function deepMerge(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prev = out[key];
    out[key] = isPlainObject(prev) && isPlainObject(value) ? deepMerge(prev, value) : value;
  }
  return out;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === "object" && !Array.isArray(x);
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    node[key] =
      next !== null && typeof next === "object" && !Array.isArray(next) ? { ...next } : {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}

/**
 * " (default 1000)" for `--help`, read from the schema so help and behaviour never disagree;
 * `key` may be dotted for nested objects (`env.vehicles`).
 */
export function defaultOf(schema: z.ZodType, key: string): string {
  let node: z.ZodType | undefined = schema;
  for (const part of key.split(".")) {
    const inner = unwrap(node);
    node = (inner as z.ZodObject | undefined)?.shape?.[part] as z.ZodType | undefined;
  }
  const result = node?.safeParse(undefined);
  return result?.success && result.data !== undefined ? ` (default ${shown(result.data)})` : "";
}

/** A default as a user types it: `14,17,20`, `min-eta`, `0.00001`, not JSON. */
function shown(value: unknown): string {
  if (Array.isArray(value)) return value.map(shown).join(",");
  if (value !== null && typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** The object schema inside a `.default(...)` / `.optional()` wrapper. */
function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let s = schema as { def?: { innerType?: z.ZodType } } | undefined;
  while (s?.def?.innerType) s = s.def.innerType as typeof s;
  return s as z.ZodType | undefined;
}

/** The warning for more rollout threads than an update has episodes to play, or null. */
export function idleWorkersWarning(workers: number | undefined, rollouts: number): string | null {
  if ((workers ?? 1) <= rollouts) return null;
  return `--workers ${workers}: an update collects ${rollouts} episode(s), so only ${rollouts} worker(s) play at a time (raise --rollouts)`;
}
