/**
 * How flags are named: every flag is its config key in kebab-case (`--start-hour` ↔ `startHour`,
 * `--eval-every` ↔ `train.evalEvery`), with one exception: `--env` sets `environment`, because
 * `env:` holds the environment's own options. Flags renamed to follow the rule keep their former
 * name, hidden from `--help`, so that scripts keep working.
 */

/** Former flag name → current one, as commander names them (camelCase). */
export const FORMER_FLAGS: Readonly<Record<string, string>> = { hour: "startHour" };

/** A commander option name as its flag: `startHour` → `start-hour`. */
export function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
