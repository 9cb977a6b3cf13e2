/**
 * Run directories: every command that produces results writes them under one folder — the
 * resolved config, metrics, logs, checkpoints — so a run can be inspected, reported, replayed.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { writeFileAtomic } from "../core/atomic-write.ts";

/** Default parent folder of run directories. */
export const DEFAULT_RUNS_DIR = "runs";

/**
 * Create (if needed) and return the run directory: `out` when given, else
 * `runs/<kind>-YYYYMMDD-HHMMSS` (with a numeric suffix if that exists already).
 */
export function createRunDir(kind: string, out?: string): string {
  if (out) {
    mkdirSync(out, { recursive: true });
    return resolve(out);
  }
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  let dir = join(DEFAULT_RUNS_DIR, `${kind}-${stamp}`);
  for (let i = 2; existsSync(dir); i++) dir = join(DEFAULT_RUNS_DIR, `${kind}-${stamp}-${i}`);
  mkdirSync(dir, { recursive: true });
  return resolve(dir);
}

/** Write `value` as pretty JSON to `dir/name`, atomically. */
export function writeJson(dir: string, name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileAtomic(path, `${JSON.stringify(value, null, 1)}\n`);
  return path;
}
