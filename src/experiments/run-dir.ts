/**
 * Run directories: every command that produces results writes them under one folder — the
 * resolved config, metrics, logs, checkpoints — so a run can be inspected, reported, replayed.
 */
import { accessSync, constants, existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { writeJsonAtomic } from "../core/atomic-write.ts";
import { UserError } from "../core/errors.ts";

/** Default parent folder of run directories. */
export const DEFAULT_RUNS_DIR = "runs";

/**
 * Create (if needed) and return the run directory: `out` when given, else
 * `runs/<kind>-YYYYMMDD-HHMMSS` (with a numeric suffix if that exists already). Call it before
 * any expensive work: an `out` that is a file or cannot be created is a UserError naming it.
 */
export function createRunDir(kind: string, out?: string): string {
  if (out) {
    makeDir(out);
    return resolve(out);
  }
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  let dir = join(DEFAULT_RUNS_DIR, `${kind}-${stamp}`);
  for (let i = 2; existsSync(dir); i++) dir = join(DEFAULT_RUNS_DIR, `${kind}-${stamp}-${i}`);
  makeDir(dir);
  return resolve(dir);
}

/**
 * mkdir -p, one level at a time (a recursive mkdir spins forever under /proc), with every
 * failure worded for the user.
 */
function makeDir(dir: string, out = dir): void {
  const path = resolve(dir);
  const info = statOrNull(path, out);
  const top = dir === out;
  if (info?.isDirectory()) {
    if (!top) return; // a parent: mkdir below says if it cannot be written
    try {
      accessSync(path, constants.W_OK);
    } catch {
      throw new UserError(`--out ${out}: cannot write to this folder (permission denied)`);
    }
    return;
  }
  if (info) throw new UserError(`--out ${out}: exists and is not a directory (choose another)`);
  const parent = dirname(path);
  if (parent !== path) makeDir(parent, out);
  try {
    mkdirSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EEXIST" && statOrNull(path, out)?.isDirectory()) return;
    const why =
      code === "EACCES" || code === "EPERM"
        ? "permission denied"
        : code === "ENOTDIR"
          ? "a parent is not a directory"
          : code === "ENOENT"
            ? `cannot create a folder in ${parent}`
            : code === "EROFS"
              ? "read-only file system"
              : (e as Error).message;
    throw new UserError(`--out ${out}: cannot create the run directory (${why})`);
  }
}

function statOrNull(path: string, out: string) {
  try {
    return statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return null;
    if (code === "ENOTDIR")
      throw new UserError(
        `--out ${out}: cannot create the run directory (a parent is not a directory)`,
      );
    throw new UserError(`--out ${out}: cannot use it as a run directory (${(e as Error).message})`);
  }
}

/** Write `value` as pretty JSON to `dir/name`, atomically. */
export function writeJson(dir: string, name: string, value: unknown): string {
  const path = join(dir, name);
  writeJsonAtomic(path, value);
  return path;
}
