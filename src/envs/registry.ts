/**
 * The environments fleetrl trains on: name → { summary, the schema of a training run's `env:`
 * section, a factory }. `train` (and `--env NAME` on the CLI) resolves the environment here, so
 * the trainer and the algorithms never name one. A new environment is a folder under `envs/`
 * exporting an `EnvironmentEntry` (environment.ts) and one line below.
 */
import { UserError } from "../core/errors.ts";
import { dispatchEntry } from "./dispatch/entry.ts";
import type { EnvironmentEntry } from "./environment.ts";
import { mapfEntry } from "./mapf/entry.ts";
import { tinyEntry } from "./tiny/entry.ts";

const ENVIRONMENTS = { dispatch: dispatchEntry, tiny: tinyEntry, mapf: mapfEntry } satisfies Record<
  string,
  EnvironmentEntry
>;

export type EnvironmentName = keyof typeof ENVIRONMENTS;
export const ENVIRONMENT_NAMES = Object.keys(ENVIRONMENTS) as [
  EnvironmentName,
  ...EnvironmentName[],
];
export const DEFAULT_ENVIRONMENT: EnvironmentName = "dispatch";

/**
 * The entry of a name; an unknown name is a user error listing the known ones.
 *
 * @example
 * environmentByName("tiny").summary; // "a 5×5 grid with a known best matching (tests, examples)"
 */
export function environmentByName(name: string, source = "--env"): EnvironmentEntry {
  const found = (ENVIRONMENTS as Record<string, EnvironmentEntry>)[name];
  if (!found)
    throw new UserError(
      `${source}: unknown environment "${name}" (expected one of: ${ENVIRONMENT_NAMES.join(", ")})`,
    );
  return found;
}
