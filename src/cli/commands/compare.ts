/**
 * `fleetrl compare --algos ospo,grpo,ippo,min-eta,greedy --seeds N --episodes N --out DIR`:
 * train and evaluate every entry over seeds; a table (mean ± 95% CI) in Markdown and CSV.
 * `--env mapf --algos shortest-path,whca,ospo,grpo,ippo,mappo --maps …`: the same on held-out maps.
 */
import type { Command } from "commander";
import { ALGORITHM_NAMES } from "../../algorithms/registry.ts";
import { type CompareResult, CompareSchema, compare } from "../../experiments/compare.ts";
import {
  compareMapf,
  type MapfCompareResult,
  MapfCompareSchema,
} from "../../experiments/mapf-compare.ts";
import { TrainConfigSchema } from "../../training/train-config.ts";
import { epsilonDecayFlag, epsilonWarning } from "../epsilon-warning.ts";
import { onCtrlC } from "../interrupt.ts";
import { MAPF_FLAGS, refuseFlags, studyEnvironment, withMapfOptions } from "../mapf-flags.ts";
import {
  countFlag,
  defaultOf,
  idleWorkersWarning,
  listFlag,
  numberFlag,
  numberListFlag,
  resolveConfig,
  SCENARIO_HELP,
  withFormerFlags,
} from "../options.ts";
import { type Progress, startProgress } from "../progress.ts";
import { action, type CommonOptions, log, withCommonOptions } from "../run.ts";
import { headlineFields, headlineValues } from "./train.ts";

export const FLAGS: Record<string, string> = {
  algos: "algos",
  seeds: "seeds",
  episodes: "episodes",
  hours: "hours",
  lr: "train.lr",
  evalEvery: "train.evalEvery",
  epsilonDecay: "train.epsilonDecay",
  rollouts: "train.rollouts",
  vehicles: "env.vehicles",
  startHour: "env.startHour",
  epochs: "env.epochs",
  demand: "demand",
};

/** commander option name → config key, with --env mapf. */
const MAPF_COMPARE_FLAGS: Record<string, string> = {
  env: "environment",
  algos: "algos",
  seeds: "seeds",
  episodes: "episodes",
  maps: "maps",
  evalEpisodes: "evalEpisodes",
  evalSteps: "evalSteps",
  lr: "train.lr",
  evalEvery: "train.evalEvery",
  epsilonDecay: "train.epsilonDecay",
  rollouts: "train.rollouts",
  map: "env.map",
  agents: "env.agents",
  steps: "env.steps",
  window: "env.window",
};

interface CompareOptions extends CommonOptions {
  out?: string;
  [flag: string]: unknown;
}

export function register(program: Command): void {
  const d = (key: string) => defaultOf(CompareSchema, key);
  withFormerFlags(
    withCommonOptions(
      program
        .command("compare")
        .description(
          "train and evaluate learning algorithms and non-learning dispatchers over seeds, side by side;\n" +
            "writes compare.md, compare.csv and compare.json plus one run directory per training run",
        )
        .option("--scenario <name>", SCENARIO_HELP)
        .option("--algos <list>", `entries, comma-separated${d("algos")}`, listFlag)
        .option(
          "--seeds <n>",
          `training seeds / paired evaluation episodes${d("seeds")}`,
          numberFlag,
        )
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
        .option(
          "--rollouts <k>",
          "episodes collected per update in every training run (default 1)",
          numberFlag,
        )
        .option(
          "--workers <n>",
          "threads that play each update's episodes (default 1); any number gives the same results, more than one needs --rollouts > 1 to help",
          countFlag,
        )
        .option("--vehicles <n>", `fleet size${d("env.vehicles")}`, numberFlag)
        .option("--start-hour <h>", `training start hour${d("env.startHour")}`, numberFlag)
        .option("--epochs <n>", `decision epochs per episode${d("env.epochs")}`, numberFlag)
        .option("--demand <file>", "trip file (default the shipped day)")
        .option("--out <dir>", "output directory (default runs/compare-<timestamp>)")
        .option(
          "--maps <list>",
          "mapf: evaluation maps, kinds (drawn from evaluation seeds) or .map files (default: env.evalMap, else the training map)",
          listFlag,
        )
        .option(
          "--eval-episodes <n>",
          "mapf: evaluation episodes per map and seed (default 2)",
          numberFlag,
        )
        .option(
          "--eval-steps <n>",
          "mapf: steps of an evaluation episode (default: --steps)",
          numberFlag,
        ),
    ),
  );
  withMapfOptions(
    program.commands.find((c) => c.name() === "compare")!,
    "the training map: random | maze | mixed | warehouse | empty (generated per episode) | a .map file",
  ).action(action(run, printHuman));
}

async function run(opts: CompareOptions): Promise<CompareResult | MapfCompareResult> {
  const mapf = studyEnvironment(opts, "compare") === "mapf";
  refuseFlags(
    opts,
    mapf
      ? Object.keys(FLAGS).filter((f) => !(f in MAPF_COMPARE_FLAGS))
      : [...MAPF_FLAGS, "maps", "evalEpisodes", "evalSteps"],
    mapf ? "mapf" : "dispatch",
  );
  if (mapf && opts.scenario !== undefined) refuseFlags(opts, ["scenario"], "mapf");
  const config = mapf
    ? resolveConfig(MapfCompareSchema, { ...opts, env: "mapf" }, MAPF_COMPARE_FLAGS)
    : resolveConfig(CompareSchema, opts, FLAGS, { env: "env", train: "train" });
  const learns = config.algos.some((a) => (ALGORITHM_NAMES as readonly string[]).includes(a));
  const warning = epsilonWarning(
    TrainConfigSchema.parse({ ...config.train, episodes: config.episodes }),
  );
  if (learns && warning) log(warning);
  const runOptions = { workers: opts.workers as number | undefined };
  const idle = idleWorkersWarning(runOptions.workers, config.train.rollouts ?? 1);
  if (learns && idle) log(idle);
  const ctrlC = onCtrlC(
    "stopping after this episode (the run's checkpoint and every finished run are kept; the same command resumes)",
  );
  const overall = overallEta(
    config.algos.filter((a) => ALGORITHM_NAMES.includes(a as never)).length *
      config.seeds *
      config.episodes,
  );
  let progress: Progress | null = null;
  let environment = "";
  try {
    const study = mapf
      ? (c: typeof config, o: string | undefined, h: Parameters<typeof compare>[2]) =>
          compareMapf(c as never, o, h, runOptions)
      : (c: typeof config, o: string | undefined, h: Parameters<typeof compare>[2]) =>
          compare(c as never, o, h, runOptions);
    const result = await study(config, opts.out, {
      log,
      onUnitStart: (u) => {
        if (u.cached) overall.skip(u.episodes);
        log(
          `run ${u.index + 1}/${u.total}: ${u.entry}${u.seed === null ? "" : `, seed ${u.seed}`}${u.cached ? " (done before; read back)" : ""} — ${overall.text()}`,
        );
      },
      train: {
        shouldStop: ctrlC.stopped,
        onStart: (i) => {
          overall.skip(i.fromEpisode); // a resumed run's episodes done before
          environment = i.environment;
          const fields = headlineFields(environment);
          progress = startProgress("  episodes", i.episodes, `reward {reward}${fields}`);
          progress.update(i.fromEpisode, { reward: "-", ...headlineValues(environment, null) });
        },
        onEpisode: (row) => {
          overall.tick();
          progress?.update(Number(row.episode), {
            reward: typeof row.reward === "number" ? row.reward.toFixed(0) : "-",
            ...headlineValues(environment, row),
          });
        },
      },
    });
    if (result.stoppedEarly) {
      process.exitCode = 130;
      log(
        `stopped early: ${result.rows.length} entries finished; rerun the same command with --out ${result.outDir} to resume`,
      );
    }
    return result;
  } finally {
    (progress as Progress | null)?.stop();
    ctrlC.dispose();
  }
}

/** Elapsed time and ETA over all training episodes of the comparison. */
function overallEta(totalEpisodes: number) {
  const started = Date.now();
  let episodes = 0;
  const clock = (ms: number) => {
    const s = Math.round(ms / 1000);
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  };
  return {
    tick: () => episodes++,
    /** Episodes done by an earlier, interrupted compare: out of the ETA. */
    skip: (n: number) => {
      totalEpisodes -= n;
    },
    text: () => {
      const elapsed = Date.now() - started;
      const eta = episodes > 0 ? clock((elapsed / episodes) * (totalEpisodes - episodes)) : "–";
      return `overall ${episodes}/${totalEpisodes} training episodes, ${clock(elapsed)} elapsed, ETA ${eta}`;
    },
  };
}

function printHuman(r: CompareResult | MapfCompareResult): void {
  if (r.stoppedEarly) {
    process.stdout.write(
      `${r.markdown}\n(partial: stopped early; nothing written yet to ${r.outDir}/compare.md)\n`,
    );
    return;
  }
  process.stdout.write(
    `${r.markdown}\nwritten to ${r.outDir}/compare.md, compare.csv, compare.json\n`,
  );
}
