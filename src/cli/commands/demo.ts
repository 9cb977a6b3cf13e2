/**
 * `fleetrl demo` (what `npm start` runs): a short OSPO training on the shipped day with a
 * progress bar, its policy against min-eta, greedy and random on held-out hours, a results table,
 * and `report.html` in the run directory.
 */
import type { Command } from "commander";
import { ALGORITHM_NAMES } from "../../algorithms/algorithm.ts";
import { validate } from "../../core/validate.ts";
import {
  DEMO_BASELINES,
  type DemoResult,
  DemoSchema,
  demo,
  QUICK_DEMO,
} from "../../experiments/demo.ts";
import type { MetricsRow } from "../../experiments/train-log.ts";
import { writeReport } from "../../reports/report.ts";
import { defaultOf, numberFlag } from "../options.ts";
import { type Progress, startProgress } from "../progress.ts";
import { action, type CommonOptions, log, readConfigFile, withCommonOptions } from "../run.ts";

interface DemoOptions extends CommonOptions {
  algo?: string;
  episodes?: number;
  seed?: number;
  out?: string;
  quick?: boolean;
}

export interface DemoCliResult extends DemoResult {
  report: string;
}

export function register(program: Command): void {
  const d = (key: string) => defaultOf(DemoSchema, key);
  const c = DemoSchema.parse({});
  withCommonOptions(
    program
      .command("demo")
      .description(
        `short ${c.algo.toUpperCase()} training on the shipped day (${c.vehicles} vehicles, ${c.hour}:00), then the\n` +
          `policy against ${DEMO_BASELINES.join(", ")} on held-out hours ${c.hours.join(", ")}:\n` +
          "a results table and report.html in the run directory (what `npm start` runs)",
      )
      .option("--algo <name>", `learning algorithm: ${ALGORITHM_NAMES.join(" | ")}${d("algo")}`)
      .option("--episodes <n>", `training episodes${d("episodes")}`, numberFlag)
      .option("--seed <s>", `training seed${d("seed")}`, numberFlag)
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
  const file = opts.config ? readConfigFile(opts.config) : {};
  const flags = Object.fromEntries(
    Object.entries({ algo: opts.algo, episodes: opts.episodes, seed: opts.seed }).filter(
      ([, v]) => v !== undefined,
    ),
  );
  const config = validate(
    DemoSchema,
    { ...(opts.quick ? QUICK_DEMO : {}), ...file, ...flags },
    opts.config ? `options (from ${opts.config} and flags)` : "options",
  );
  let stop = false;
  const onSigint = () => {
    if (stop) process.exit(130);
    stop = true;
    log(
      "\nstopping training after this episode; the evaluation and report follow (Ctrl-C again quits)",
    );
  };
  process.on("SIGINT", onSigint);
  let progress: Progress | null = null;
  let lastEval = "-";
  try {
    const result = await demo(config, opts.out, {
      log,
      train: {
        shouldStop: () => stop,
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
    });
    (progress as Progress | null)?.stop();
    progress = null;
    const report = writeReport(result.runDir).path;
    return { ...result, report };
  } finally {
    (progress as Progress | null)?.stop();
    process.off("SIGINT", onSigint);
  }
}

function fmt(value: unknown, digits: number): string {
  return typeof value === "number" && Number.isFinite(value) ? value.toFixed(digits) : "-";
}

function printHuman(r: DemoCliResult): void {
  const c = r.config;
  const algo = c.algo.toUpperCase();
  const name = (d: string) => (d === "policy" ? `${algo} (trained)` : d);
  const lines = [
    "",
    `${algo} trained ${r.train.episodes} episodes on ${c.vehicles} vehicles × ${c.epochs} min from ${c.hour}:00; ` +
      `best greedy evaluation ${fmt(r.train.bestEval, 0)} (episode ${r.train.bestEpisode}).`,
    `Held-out hours ${c.hours.join(", ")}, ${c.evalSeeds} episodes each (the same episodes for every dispatcher); mean over them:`,
    "",
    "| dispatcher | episode reward | served | service rate | pickup s | detour s |",
    "|---|---|---|---|---|---|",
    ...r.rows.map(
      (x) =>
        `| ${name(x.dispatcher)} | ${x.reward.toFixed(0)} | ${x.served.toFixed(0)} | ${(100 * x.serviceRate).toFixed(1)}% | ${x.pickupS.toFixed(1)} | ${x.detourS.toFixed(1)} |`,
    ),
    "",
    `run directory: ${r.runDir}`,
    `report (open in a browser): ${r.report}`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}
