/**
 * `fleetrl report <run-dir>`: write `<run-dir>/report.html`, one self-contained page (inline CSS
 * and SVG) with the plots and tables the run's files allow, and print its path.
 */
import type { Command } from "commander";
import { UserError } from "../../core/errors.ts";
import { type ReportResult, writeReport } from "../../reports/report.ts";
import { action, type CommonOptions, withCommonOptions } from "../run.ts";

export function register(program: Command): void {
  withCommonOptions(
    program
      .command("report")
      .argument("<run-dir>", "a run directory of fleetrl train, eval, compare, simulate or demo")
      .description(
        "write <run-dir>/report.html: learning curves, per-hour evaluation bars, pickup-time and detour\n" +
          "distributions, a map of served / lost demand per zone, a summary table and the config\n" +
          "(one self-contained file: opens offline in any browser)",
      ),
  ).action(action(run, printHuman));
}

async function run(_opts: CommonOptions, args: string[]): Promise<ReportResult> {
  const dir = args[0];
  if (!dir) throw new UserError("report: expected a run directory");
  return writeReport(dir);
}

function printHuman(r: ReportResult): void {
  process.stdout.write(`${r.kind} report (${r.sections.join(", ")}):\n${r.path}\n`);
}
