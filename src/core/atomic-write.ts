import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Write a file so that readers see either the old content or the new, never a torn file: write a
 * temp file in the same folder, then rename it over the target (atomic on POSIX filesystems).
 *
 * @example
 * writeFileAtomic("runs/a/metrics.json", JSON.stringify(metrics));
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}
