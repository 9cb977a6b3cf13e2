/**
 * The algorithms `--algo` names: name → recipe (recipe.ts). A new variant is one file exporting
 * its recipe and one line here.
 */
import { grpo } from "./grpo.ts";
import { ippo } from "./ippo.ts";
import { mappo } from "./mappo.ts";
import { ospo } from "./ospo.ts";
import type { Algorithm } from "./recipe.ts";

const ALGORITHMS = { ospo, grpo, ippo, mappo } satisfies Record<string, Algorithm>;

export type AlgorithmName = keyof typeof ALGORITHMS;
export const ALGORITHM_NAMES = Object.keys(ALGORITHMS) as [AlgorithmName, ...AlgorithmName[]];

/**
 * The recipe of a name.
 *
 * @example
 * algorithmByName("grpo").critic; // "none"
 */
export function algorithmByName(name: AlgorithmName): Algorithm {
  const found = (ALGORITHMS as Record<string, Algorithm>)[name];
  if (!found)
    throw new RangeError(`unknown algorithm "${name}" (expected ${ALGORITHM_NAMES.join(", ")})`);
  return found;
}
