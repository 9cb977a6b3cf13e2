/**
 * A runs folder made by the real CLI with tiny settings: two simulations of the same episode
 * (seed 1) under min-eta and greedy, and a two-episode training run. The three commands run in
 * parallel (~10 s on two cores).
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SIM = ["simulate", "--vehicles", "60", "--epochs", "5", "--start-hour", "1", "--seed", "1"];

export async function makeRunsDir(): Promise<string> {
  const runs = mkdtempSync(join(tmpdir(), "fleetrl-dashboard-"));
  await Promise.all([
    cli([...SIM, "--dispatcher", "min-eta", "--out", join(runs, "sim-a")]),
    cli([...SIM, "--dispatcher", "greedy", "--out", join(runs, "sim-b")]),
    cli([
      "train",
      "--episodes",
      "2",
      "--eval-every",
      "1",
      "--vehicles",
      "60",
      "--epochs",
      "3",
      "--start-hour",
      "1",
      "--out",
      join(runs, "train-a"),
    ]),
  ]);
  return runs;
}

function cli(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "src/cli/main.ts", ...args, "--json"],
      {
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`fleetrl ${args[0]} exited ${code}: ${stderr}`)),
    );
  });
}
