/**
 * One process at a time per run directory: `<dir>/run.lock` holds the owner's pid, host and start
 * time. A lock whose pid is gone (same host) is stale and taken over; any other lock is a
 * UserError that says who holds it.
 *
 * @example
 * const release = lockRunDir("runs/ospo");   // throws if another trainer uses runs/ospo
 * try { … } finally { release(); }
 */
import { closeSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { UserError } from "../core/errors.ts";
import { RUN_FILES } from "../core/run-layout.ts";

interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
}

/** Run `work` holding the run directory's lock, released however it ends. */
export async function withRunDirLock<T>(dir: string, work: () => Promise<T>): Promise<T> {
  const release = lockRunDir(dir);
  try {
    return await work();
  } finally {
    release();
  }
}

/** Take the run directory's lock; returns the function that releases it. */
export function lockRunDir(dir: string): () => void {
  const path = join(dir, RUN_FILES.lock);
  const mine: LockInfo = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, "wx");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const holder = readLock(path);
      if (holder && !isStale(holder))
        throw new UserError(
          `${dir}: in use by process ${holder.pid} on ${holder.host} since ${holder.startedAt} ` +
            `(${RUN_FILES.lock}; delete it only if that process is gone)`,
        );
      unlinkSync(path); // stale: its process is gone
      continue;
    }
    writeSync(fd, `${JSON.stringify(mine)}\n`);
    closeSync(fd);
    return () => {
      const now = readLock(path);
      if (now?.pid === mine.pid && now.host === mine.host) unlinkSync(path);
    };
  }
  throw new UserError(`${dir}: could not take ${RUN_FILES.lock} (another process races for it)`);
}

function readLock(path: string): LockInfo | null {
  try {
    const v = JSON.parse(readFileSync(path, "utf8")) as LockInfo;
    return Number.isInteger(v.pid) && typeof v.host === "string" ? v : null;
  } catch {
    return null; // unreadable or torn: treated as stale
  }
}

function isStale(lock: LockInfo): boolean {
  if (lock.host !== hostname()) return false; // cannot tell: another machine's process
  try {
    process.kill(lock.pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/**
 * Delete the temp files an interrupted atomic write left (`<name>.tmp-<pid>[-<time>]`); call it
 * while holding the lock, so no live writer owns them. Returns the names removed.
 */
export function removeStaleTempFiles(dir: string): string[] {
  const removed = readdirSync(dir).filter((f) => /\.tmp-\d+(-\d+)?$/.test(f));
  for (const f of removed) unlinkSync(join(dir, f));
  return removed;
}
