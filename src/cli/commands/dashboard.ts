/**
 * `fleetrl dashboard`: a local web app over the runs folder — runs with their config and final
 * metrics, learning curves (live while a training runs), and an animated map replay of simulated
 * episodes, one or two dispatchers side by side. Runs until Ctrl-C.
 */
import type { Command } from "commander";
import { UserError } from "../../core/errors.ts";
import { startDashboard } from "../../dashboard/server.ts";
import { DEFAULT_RUNS_DIR } from "../../experiments/run-dir.ts";
import { numberFlag } from "../options.ts";
import { action, type CommonOptions, log, withCommonOptions } from "../run.ts";

interface DashboardOptions extends CommonOptions {
  port: number;
  runs: string;
  host: string;
}

interface DashboardResult {
  url: string;
  runsDir: string;
}

export function register(program: Command): void {
  withCommonOptions(
    program
      .command("dashboard")
      .description(
        "local web app: runs, live learning curves, animated map replay of simulated episodes",
      )
      .option("--port <p>", "port to listen on; 0 picks a free one", numberFlag, 8787)
      .option("--runs <dir>", "runs folder to show", DEFAULT_RUNS_DIR)
      .option(
        "--host <h>",
        "interface to bind; anything but 127.0.0.1 / localhost exposes your runs to the network",
        "127.0.0.1",
      ),
  ).action(action(run, () => {}));
}

async function run(opts: DashboardOptions): Promise<DashboardResult> {
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
    throw new UserError(`--port: expected an integer 0..65535 (got ${opts.port})`);
  }
  const dashboard = await startDashboard({ runsDir: opts.runs, port: opts.port, host: opts.host });
  log(`fleetrl dashboard: ${dashboard.url} (runs: ${dashboard.runsDir}) — Ctrl-C stops`);
  if (!opts.json) process.stdout.write(`${dashboard.url}\n`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await dashboard.close();
  log("fleetrl dashboard: stopped");
  return { url: dashboard.url, runsDir: dashboard.runsDir };
}
