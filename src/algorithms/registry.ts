/**
 * The algorithms `--algo` names: name → recipe (recipe.ts). A new variant is one file exporting
 * its recipe and one line here. `resolveAlgorithm` applies the training config's piece overrides
 * (`surrogate`, `baseline`), so e.g. OSPO's one-step advantage with the bounded-ratio surrogate
 * is one config line, not a new algorithm.
 */
import type { BaselineName } from "./baselines.ts";
import { bpo } from "./bpo.ts";
import { etr } from "./etr.ts";
import { gdpo } from "./gdpo.ts";
import { grpo } from "./grpo.ts";
import { ippo } from "./ippo.ts";
import { mappo } from "./mappo.ts";
import { mcGrpo } from "./mc-grpo.ts";
import { mdpo } from "./mdpo.ts";
import { ospo } from "./ospo.ts";
import { pdmappo, pdppo } from "./pdppo.ts";
import type { Algorithm } from "./recipe.ts";
import { SURROGATES, type SurrogateName } from "./surrogates.ts";

const ALGORITHMS = {
  ospo,
  grpo,
  ippo,
  mappo,
  "mc-grpo": mcGrpo,
  etr,
  bpo,
  mdpo,
  gdpo,
  pdppo,
  pdmappo,
} satisfies Record<string, Algorithm>;

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

/** The config keys that pick an algorithm and override its pieces. */
export interface AlgorithmChoice {
  algo: AlgorithmName;
  /** Replace the recipe's surrogate (surrogates.ts). */
  surrogate?: SurrogateName;
  /** The group baseline of a critic-free recipe (baselines.ts); read by its estimator. */
  baseline?: BaselineName;
}

/**
 * The recipe a run trains: `algo`'s, with the surrogate replaced when the config names one.
 * `baseline` is read by the recipe's estimator (AdvantageSettings); it has no meaning for a
 * recipe with a critic, so it is refused there.
 *
 * @example
 * resolveAlgorithm({ algo: "ospo", surrogate: "bpo" }).surrogate === SURROGATES.bpo; // true
 */
export function resolveAlgorithm(choice: AlgorithmChoice): Algorithm {
  const base = algorithmByName(choice.algo);
  if (choice.baseline !== undefined && base.critic !== "none")
    throw new RangeError(
      `baseline "${choice.baseline}" applies to critic-free algorithms; "${base.name}" has a critic`,
    );
  if (choice.surrogate === undefined) return base;
  return { ...base, surrogate: SURROGATES[choice.surrogate] };
}
