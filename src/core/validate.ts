import type { z } from "zod";
import { UserError } from "./errors.ts";

/**
 * Validate `value` against a zod schema and return the parsed (defaulted) result, or throw a
 * UserError that names the source, every bad field, the value given and what was expected.
 *
 * @example
 * validate(DispatchConfigSchema, { vehicles: 0 }, "config.yaml");
 * // UserError: config.yaml: vehicles: Too small: expected number to be >=1 (got 0)
 */
export function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
  source: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const path = issue.path.join(".") || "(top level)";
    const at = valueAt(value, issue.path);
    // For unknown keys, the values of those keys, not the whole object that holds them.
    const got =
      issue.code === "unrecognized_keys" && at !== null && typeof at === "object"
        ? Object.fromEntries(issue.keys.map((k) => [k, (at as Record<string, unknown>)[k]]))
        : at;
    const shown = got === undefined ? "" : ` (got ${JSON.stringify(got)})`;
    return `${path}: ${issue.message}${shown}`;
  });
  throw new UserError(`${source}: ${lines.join("; ")}`);
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}
