/**
 * `fleetrl demo` (what `npm start` runs): a short GRPO training (--algo picks another) on a named scenario (default
 * ospo-paper) with a progress bar, its policy against min-eta and random on held-out hours, a
 * results table (mean ± 95% CI), one sentence that reads it, and `report.html` in the run
 * directory.
 */
import type { Command } from "commander";
import { ALGORITHM_NAMES } from "../../algorithms/registry.ts";
import { validate } from "../../core/validate.ts";
import {
  DEMO_BASELINES,
  type DemoResult,
  DemoSchema,
  demo,
  QUICK_DEMO,
} from "../../experiments/demo.ts";
import type { MetricSummary } from "../../experiments/evaluate.ts";
import { SCENARIO_NAMES, scenarioByName } from "../../experiments/scenarios.ts";
import { writeReport } from "../../reports/report.ts";
import type { MetricsRow } from "../../training/train-log.ts";
import { onCtrlC } from "../interrupt.ts";
import { countFlag, defaultOf, idleWorkersWarning, numberFlag } from "../options.ts";
import { type Progress, startProgress } from "../progress.ts";
import { action, type CommonOptions, log, readConfigFile, withCommonOptions } from "../run.ts";

interface DemoOptions extends CommonOptions {
  scenario?: string;
  algo?: string;
  episodes?: number;
  seed?: number;
  rollouts?: number;
  workers?: number;
  out?: string;
  quick?: boolean;
}

export interface DemoCliResult extends DemoResult {
  report: string;
}

export function register(program: Command): void {
  const d = (key: string) => defaultOf(DemoSchema, key);
  const c = DemoSchema.parse({});
  const env = scenarioByName(c.scenario).env;
  withCommonOptions(
    program
      .command("demo")
      .description(
        `short ${c.algo.toUpperCase()} training on the ${c.scenario} scenario (${c.episodes} episodes, ${env.vehicles} vehicles from ${env.startHour}:00);\n` +
          `its policy against ${DEMO_BASELINES.join(" and ")} on held-out hours ${c.hours.join(", ")}:\n` +
          "a table (mean ± 95% CI), one sentence that reads it, and report.html (what `npm start` runs)",
      )
      .option(
        "--scenario <name>",
        `environment and training preset: ${SCENARIO_NAMES.join(" | ")}${d("scenario")}; lr, ε decay, vehicles, hour and epochs default to its values`,
      )
      .option("--algo <name>", `learning algorithm: ${ALGORITHM_NAMES.join(" | ")}${d("algo")}`)
      .option("--episodes <n>", `training episodes${d("episodes")}`, numberFlag)
      .option("--seed <s>", `training seed${d("seed")}`, numberFlag)
      .option("--rollouts <k>", "episodes collected per update (default 1)", numberFlag)
      .option(
        "--workers <n>",
        "threads that play each update's episodes (default 1); any number gives the same run",
        countFlag,
      )
      .option("--out <dir>", "run directory (default runs/demo-<timestamp>)")
      .option(
        "--quick",
        `a ~30-second version: ${Object.entries(QUICK_DEMO)
          .map(([k, v]) => `${k} ${v}`)
          .join(", ")}`,
      )
      .addHelpText(
        "after",
        `\n--config <file> sets any of: ${Object.keys(DemoSchema.shape).join(", ")}.`,
      ),
  ).action(action(run, printHuman));
}

async function run(opts: DemoOptions): Promise<DemoCliResult> {
  // An unknown --scenario names the flag and the known names (exit 2).
  if (opts.scenario !== undefined) scenarioByName(opts.scenario, "--scenario");
  const file = opts.config ? readConfigFile(opts.config) : {};
  const flags = Object.fromEntries(
    Object.entries({
      scenario: opts.scenario,
      algo: opts.algo,
      episodes: opts.episodes,
      seed: opts.seed,
      rollouts: opts.rollouts,
    }).filter(([, v]) => v !== undefined),
  );
  const config = validate(
    DemoSchema,
    { ...(opts.quick ? QUICK_DEMO : {}), ...file, ...flags },
    opts.config ? `options (from ${opts.config} and flags)` : "options",
  );
  const ctrlC = onCtrlC(
    "stopping training after this episode; the evaluation and report follow (Ctrl-C again quits)",
  );
  let progress: Progress | null = null;
  let lastEval = "-";
  try {
    const idle = idleWorkersWarning(opts.workers, config.rollouts ?? 1);
    if (idle) log(idle);
    const result = await demo(
      config,
      opts.out,
      {
        log,
        train: {
          shouldStop: ctrlC.stopped,
          onStart: (i) => {
            log(`run directory: ${i.runDir} (start-up ${(i.startupMs / 1000).toFixed(1)} s)`);
            progress = startProgress(
              "training",
              i.episodes,
              "reward {reward} | served {served} | eval {eval}",
            );
            progress.update(0, { reward: "-", served: "-", eval: "-" });
          },
          onEpisode: (row: MetricsRow, evaluation: MetricsRow | null) => {
            if (evaluation) lastEval = fmt(evaluation.reward, 0);
            progress?.update(Number(row.episode), {
              reward: fmt(row.reward, 0),
              served: fmt(row["env.served"], 0),
              eval: lastEval,
            });
          },
        },
        onEvalStart: (total) => {
          (progress as Progress | null)?.stop();
          progress = startProgress("evaluation episodes", total);
        },
        onEvalEpisode: (done) => progress?.update(done),
      },
      { workers: opts.workers },
    );
    (progress as Progress | null)?.stop();
    progress = null;
    const report = writeReport(result.runDir).path;
    return { ...result, report };
  } finally {
    (progress as Progress | null)?.stop();
    ctrlC.dispose();
  }
}

function fmt(value: unknown, digits: number): string {
  return typeof value === "number" && Number.isFinite(value) ? value.toFixed(digits) : "-";
}

/** "mean ± ci" with the CI at the mean's precision; "mean ± –" without a CI (one episode). */
function pm(m: MetricSummary, digits: number, scale = 1): string {
  const ci = Number.isFinite(m.ci95) ? (scale * m.ci95).toFixed(digits) : "–";
  return `${(scale * m.mean).toFixed(digits)} ± ${ci}`;
}

function printHuman(r: DemoCliResult): void {
  const c = r.config;
  const env = r.run.env;
  const algo = c.algo.toUpperCase();
  const name = (d: string) => (d === "policy" ? `${algo} (trained)` : d);
  const lines = [
    "",
    `${algo} trained ${r.train.episodes} episodes on scenario ${r.run.scenario} (${env.vehicles} vehicles × ${env.epochs} min from ` +
      `${env.startHour}:00); best greedy evaluation ${fmt(r.train.bestEval, 0)} (episode ${r.train.bestEpisode}).`,
    `Evaluation at ${c.hours.map((h) => `${h}:00`).join(", ")} (held out), ${c.evalSeeds} episodes per hour, the same ` +
      "for every dispatcher; mean over the hours ± 95% CI:",
    "",
    "| dispatcher | served | service rate | pickup (min) | detour s | reward |",
    "|---|---|---|---|---|---|",
    ...r.rows.map(
      (x) =>
        `| ${name(x.dispatcher)} | ${pm(x.served, 0)} | ${pm(x.serviceRate, 1, 100)}% | ${pm(x.pickupS, 2, 1 / 60)} | ` +
        `${pm(x.detourS, 0)} | ${pm(x.reward, 0)} |`,
    ),
    "",
    r.sentence,
    "",
    `run directory: ${r.runDir}`,
    `report (open in a browser): ${r.report}`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}
