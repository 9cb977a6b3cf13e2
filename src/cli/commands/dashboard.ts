/**
 * `fleetrl dashboard`: a local web app over the runs folder — runs with their config and final
 * metrics, learning curves (live while a training runs), and an animated map replay of simulated
 * episodes, one or two dispatchers side by side. Runs until Ctrl-C.
 */
import type { Command } from "commander";
import { z } from "zod";
import { startDashboard } from "../../dashboard/server.ts";
import { DEFAULT_RUNS_DIR } from "../../experiments/run-dir.ts";
import { defaultOf, numberFlag, resolveConfig } from "../options.ts";
import { action, type CommonOptions, log, withCommonOptions } from "../run.ts";

const DashboardConfigSchema = z
  .object({
    port: z.number().int().min(0).max(65535).default(8787),
    runs: z.string().default(DEFAULT_RUNS_DIR),
    host: z.string().min(1).default("127.0.0.1"),
  })
  .strict();

interface DashboardResult {
  url: string;
  runsDir: string;
}

export function register(program: Command): void {
  const d = (key: string) => defaultOf(DashboardConfigSchema, key);
  withCommonOptions(
    program
      .command("dashboard")
      .description(
        "local web app: runs, live learning curves, animated map replay of simulated episodes",
      )
      .option("--port <p>", `port to listen on; 0 picks a free one${d("port")}`, numberFlag)
      .option("--runs <dir>", `runs folder to show${d("runs")}`)
      .option(
        "--host <h>",
        `interface to bind; anything but 127.0.0.1 / localhost exposes your runs to the network${d("host")}`,
      ),
  ).action(action(run, () => {}));
}

async function run(opts: CommonOptions & Record<string, unknown>): Promise<DashboardResult> {
  const config = resolveConfig(DashboardConfigSchema, opts, {
    port: "port",
    runs: "runs",
    host: "host",
  });
  const dashboard = await startDashboard({
    runsDir: config.runs,
    port: config.port,
    host: config.host,
  });
  if (!["127.0.0.1", "localhost", "::1"].includes(config.host)) {
    log(
      `fleetrl dashboard: warning: listening on ${config.host}: anyone who can reach it can read your runs`,
    );
  }
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
