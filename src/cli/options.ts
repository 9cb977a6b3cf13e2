/**
 * From flags and a config file to one validated config: the file gives values, flags override
 * them, the schema fills defaults and checks ranges. Flag values arrive as strings and are
 * converted here, so `--vehicles abc` fails with a message that names the flag.
 */
import { InvalidArgumentError } from "commander";
import type { z } from "zod";
import { validate } from "../core/validate.ts";
import { readConfigFile } from "./run.ts";

/** Commander parser for a numeric flag: `.option("--vehicles <n>", "…", numberFlag)`. */
export function numberFlag(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n))
    throw new InvalidArgumentError(`expected a number, got "${value}"`);
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

/**
 * Merge the `--config` file (if any) with the flags given (`flagToKey` maps commander's option
 * names to config keys; flags left unset do not override) and validate against `schema`.
 */
export function resolveConfig<S extends z.ZodType>(
  schema: S,
  opts: Record<string, unknown> & { config?: string },
  flagToKey: Record<string, string>,
): z.output<S> {
  const fromFile = opts.config ? readConfigFile(opts.config) : {};
  const fromFlags: Record<string, unknown> = {};
  for (const [flag, key] of Object.entries(flagToKey)) {
    if (opts[flag] !== undefined) fromFlags[key] = opts[flag];
  }
  const source = opts.config ? `options (from ${opts.config} and flags)` : "options";
  return validate(schema, { ...fromFile, ...fromFlags }, source);
}

/** "(default 1000)" for `--help`, read from the schema so help and behaviour never disagree. */
export function defaultOf(schema: z.ZodObject, key: string): string {
  const field = schema.shape[key] as z.ZodType | undefined;
  const result = field?.safeParse(undefined);
  return result?.success && result.data !== undefined
    ? ` (default ${JSON.stringify(result.data)})`
    : "";
}
