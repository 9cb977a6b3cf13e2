/**
 * `fleetrl compare --algos ospo,grpo,ippo,min-eta,greedy --seeds N --episodes N --out DIR`:
 * train and evaluate every entry over seeds; a table (mean ± 95% CI) in Markdown and CSV.
 */
import type { Command } from "commander";
import { ALGORITHM_NAMES } from "../../algorithms/algorithm.ts";
import { type CompareResult, CompareSchema, compare } from "../../experiments/compare.ts";
import { TrainConfigSchema } from "../../experiments/train-config.ts";
import { epsilonDecayFlag, epsilonWarning } from "../epsilon-warning.ts";
import {
  defaultOf,
  listFlag,
  numberFlag,
  numberListFlag,
  resolveConfig,
  SCENARIO_HELP,
} from "../options.ts";
import { action, type CommonOptions, log, withCommonOptions } from "../run.ts";

const FLAGS: Record<string, string> = {
  algos: "algos",
  seeds: "seeds",
  episodes: "episodes",
  hours: "hours",
  lr: "train.lr",
  evalEvery: "train.evalEvery",
  epsilonDecay: "train.epsilonDecay",
  vehicles: "env.vehicles",
  hour: "env.startHour",
  epochs: "env.epochs",
  demand: "demand",
};

interface CompareOptions extends CommonOptions {
  out?: string;
  [flag: string]: unknown;
}

export function register(program: Command): void {
  const d = (key: string) => defaultOf(CompareSchema, key);
  withCommonOptions(
    program
      .command("compare")
      .description(
        "train and evaluate learning algorithms and non-learning dispatchers over seeds, side by side;\n" +
          "writes compare.md, compare.csv and compare.json plus one run directory per training run",
      )
      .option("--scenario <name>", SCENARIO_HELP)
      .option("--algos <list>", `entries, comma-separated${d("algos")}`, listFlag)
      .option("--seeds <n>", `training seeds / paired evaluation episodes${d("seeds")}`, numberFlag)
      .option("--episodes <n>", `training episodes per run${d("episodes")}`, numberFlag)
      .option("--hours <list>", `evaluation hours${d("hours")}`, numberListFlag)
      .option(
        "--lr <x>",
        "policy learning rate of every run (default: the training default, 1e-5)",
        numberFlag,
      )
      .option(
        "--eval-every <n>",
        "in-training evaluation every N episodes (default 10)",
        numberFlag,
      )
      .option(
        "--epsilon-decay <d>",
        "ε × d per episode, or auto (ε 0.01 at half the budget; default: the training default, 0.99)",
        epsilonDecayFlag,
      )
      .option("--vehicles <n>", `fleet size${d("env.vehicles")}`, numberFlag)
      .option("--hour <h>", `training start hour${d("env.startHour")}`, numberFlag)
      .option("--epochs <n>", `decision epochs per episode${d("env.epochs")}`, numberFlag)
      .option("--demand <file>", "trip file (default the shipped day)")
      .option("--out <dir>", "output directory (default runs/compare-<timestamp>)"),
  ).action(action(run, printHuman));
}

async function run(opts: CompareOptions): Promise<CompareResult> {
  const config = resolveConfig(CompareSchema, opts, FLAGS, { env: "env", train: "train" });
  const learns = config.algos.some((a) => (ALGORITHM_NAMES as readonly string[]).includes(a));
  const warning = epsilonWarning(
    TrainConfigSchema.parse({ ...config.train, episodes: config.episodes }),
  );
  if (learns && warning) log(warning);
  return compare(config, opts.out, { log });
}

function printHuman(r: CompareResult): void {
  process.stdout.write(
    `${r.markdown}\nwritten to ${r.outDir}/compare.md, compare.csv, compare.json\n`,
  );
}
