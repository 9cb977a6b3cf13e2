/** Run the CLI as a user would (a child process), for end-to-end tests. */
import { type SpawnSyncReturns, spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ENTRY = ["--import", "tsx", "src/cli/main.ts"];

export function runCli(args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [...ENTRY, ...args], { encoding: "utf8", timeout: 300_000 });
}

/** Start the CLI without waiting (to send it signals). */
export function startCli(args: string[]) {
  return spawn(process.execPath, [...ENTRY, ...args], { stdio: ["ignore", "pipe", "pipe"] });
}

export function tempDir(prefix = "fleetrl-cli-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
