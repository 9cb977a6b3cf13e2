/**
 * Map a path from a request onto a file inside one root folder, or refuse it: the dashboard
 * serves only its own assets and the runs directory, never anything a crafted URL points at
 * (`../`, absolute paths, encoded traversal, NUL bytes, symlinks that lead out).
 */
import { realpathSync } from "node:fs";
import { isAbsolute, resolve, sep } from "node:path";

/**
 * The real path of `relative` inside `root` (which must itself be a real path, see
 * `realpathSync`), or null when the request must be refused. `relative` is already
 * percent-decoded; a path that does not exist resolves to its lexical location (the caller then
 * answers 404).
 *
 * @example
 * resolveInside("/srv/runs", "sim-a/events.json"); // "/srv/runs/sim-a/events.json"
 * resolveInside("/srv/runs", "../etc/passwd");     // null
 */
export function resolveInside(root: string, relative: string): string | null {
  if (relative.includes("\0") || isAbsolute(relative) || /^[a-zA-Z]:/.test(relative)) return null;
  if (relative.split(/[\\/]/).some((part) => part === "..")) return null;
  const lexical = resolve(root, relative);
  if (!within(root, lexical)) return null;
  let real: string;
  try {
    real = realpathSync(lexical);
  } catch {
    return lexical; // missing: nothing to follow
  }
  return within(root, real) ? real : null;
}

function within(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}
