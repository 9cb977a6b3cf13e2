/**
 * Shared action handling for `MultiAgentEnv` implementations, so every environment rejects bad
 * joint actions with the same messages and resolves conflicts by the same rule.
 */
import { claimsOf, InvalidActionError, type Observation, PASS } from "./env.ts";

/**
 * Throw `InvalidActionError` unless `actions` fits `obs`: length n, and each ACTIVE agent's entry
 * is `PASS` or a local index within its candidate list. Inactive agents' entries are not read.
 * Call it before changing any state, so a rejected step leaves the environment untouched.
 *
 * @example
 * validateActions(obs, Int32Array.of(0, PASS, 2)); // throws if agent 2 has < 3 candidates
 */
export function validateActions(obs: Observation, actions: Int32Array): void {
  const n = obs.active.length;
  if (!(actions instanceof Int32Array)) {
    throw new InvalidActionError(`actions: expected an Int32Array of length ${n}`);
  }
  if (actions.length !== n) {
    throw new InvalidActionError(
      `actions: expected length ${n} (one per agent), got length ${actions.length}`,
    );
  }
  for (let i = 0; i < n; i++) {
    if (obs.active[i] === 0) continue;
    const a = actions[i];
    const count = obs.candPtr[i + 1] - obs.candPtr[i];
    if (a !== PASS && (a < 0 || a >= count)) {
      throw new InvalidActionError(
        `actions[${i}]: agent ${i} has ${count} candidate(s); expected PASS (−1) or an index in ` +
          `0..${count - 1} (got ${a})`,
      );
    }
  }
}

/**
 * Resolve a validated joint action into the actions that take effect, written to `effective`
 * (length n): inactive agents and passes become `PASS`; agents in id order take their candidate
 * unless one of its claimed resources (`candId`, or `candClaims`) is already held by a lower id's
 * action that took effect — then they become `PASS`. Returns the number of agents that lost a
 * conflict.
 *
 * @example
 * // agents 0 and 1 both pick order 7: agent 0 wins
 * resolveActions(obs, Int32Array.of(0, 0), effective); // → 1, effective = [0, PASS]
 */
export function resolveActions(
  obs: Observation,
  actions: Int32Array,
  effective: Int32Array,
): number {
  const n = obs.active.length;
  const claimed = new Set<number>();
  let conflicts = 0;
  for (let i = 0; i < n; i++) {
    const a = actions[i];
    if (obs.active[i] === 0 || a === PASS) {
      effective[i] = PASS;
      continue;
    }
    const claims = claimsOf(obs, obs.candPtr[i] + a);
    if (claims.some((id) => claimed.has(id))) {
      effective[i] = PASS;
      conflicts++;
      continue;
    }
    for (const id of claims) claimed.add(id);
    effective[i] = a;
  }
  return conflicts;
}
