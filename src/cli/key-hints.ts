/**
 * "did you mean …?" for unknown config keys: a flag's name used as a key (`hour` → `startHour`),
 * kebab-case (`max-wait` → `maxWait`), or a near miss by edit distance (`vehicels` → `vehicles`).
 */
import type { z } from "zod";
import { FORMER_FLAGS, kebab } from "./flag-names.ts";

/**
 * Hints for every unknown key of `value` under `schema`, e.g.
 * `hour: did you mean startHour (the key of --start-hour)?`; "" when there is none to give.
 */
export function unknownKeyHints(
  schema: z.ZodType,
  value: unknown,
  flagToKey: Record<string, string>,
): string {
  const result = schema.safeParse(value);
  if (result.success) return "";
  const hints: string[] = [];
  for (const issue of result.error.issues) {
    if (issue.code !== "unrecognized_keys") continue;
    const known = Object.keys(shapeAt(schema, issue.path.map(String)));
    for (const key of issue.keys) {
      const hint = suggest(key, issue.path.map(String), known, flagToKey);
      if (hint) hints.push(`${[...issue.path, key].join(".")}: did you mean ${hint}?`);
    }
  }
  return hints.join("; ");
}

function suggest(
  key: string,
  path: string[],
  known: string[],
  flagToKey: Record<string, string>,
): string | null {
  const camel = key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  const prefix = path.length > 0 ? `${path.join(".")}.` : "";
  const flag = FORMER_FLAGS[camel] ?? camel;
  const alias = flagToKey[flag];
  if (alias?.startsWith(prefix) && known.includes(alias.slice(prefix.length))) {
    return `${alias.slice(prefix.length)} (the key of --${kebab(flag)})`;
  }
  if (camel !== key && known.includes(camel)) return camel;
  let best: string | null = null;
  let bestDistance = Math.max(1, Math.floor(key.length / 3)) + 1;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

/** The keys of the object schema at `path` (through defaults and optionals). */
function shapeAt(schema: z.ZodType, path: string[]): Record<string, unknown> {
  let node: unknown = schema;
  for (const part of [...path, ""]) {
    let s = node as { def?: { innerType?: unknown }; shape?: Record<string, unknown> } | undefined;
    while (s?.def?.innerType) s = s.def.innerType as typeof s;
    if (part === "") return s?.shape ?? {};
    node = s?.shape?.[part];
  }
  return {};
}

/** Levenshtein distance (insert, delete, substitute; each costs 1). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}
