/**
 * `fleetrl train --algo NAME [--env NAME]`: train a fleet policy with any registered algorithm
 * (default: the dispatch environment on the shipped day), with
 * a progress bar (episode, reward, the environment's headline metrics, ETA), a checkpoint after every episode,
 * Ctrl-C to stop cleanly after the current episode, and `--resume DIR` to continue.
 */
import type { Command } from "commander";
import { ALGORITHM_NAMES } from "../../algorithms/registry.ts";
import { UserError } from "../../core/errors.ts";
import { ENVIRONMENT_NAMES, environmentByName } from "../../envs/registry.ts";
import {
  type AnyTrainRun,
  TrainRunSchema,
  trainRunSchemaFor,
} from "../../experiments/run-config.ts";
import { resume, type TrainHooks, type TrainResult, train } from "../../experiments/train.ts";
import type { MetricsRow } from "../../training/train-log.ts";
import { epsilonDecayFlag, epsilonWarning } from "../epsilon-warning.ts";
import { onCtrlC } from "../interrupt.ts";
import {
  countFlag,
  defaultOf,
  idleWorkersWarning,
  nonNegativeFlag,
  numberFlag,
  resolveConfig,
  SCENARIO_HELP,
  withFormerFlags,
} from "../options.ts";
import { type Progress, startProgress } from "../progress.ts";
import { action, type CommonOptions, log, withCommonOptions } from "../run.ts";

/** commander option name → run config key */
export const FLAGS: Record<string, string> = {
  env: "environment",
  algo: "train.algo",
  episodes: "train.episodes",
  rollouts: "train.rollouts",
  policyLag: "train.policyLag",
  seed: "train.seed",
  lr: "train.lr",
  evalEvery: "train.evalEvery",
  epsilonDecay: "train.epsilonDecay",
  vehicles: "env.vehicles",
  startHour: "env.startHour",
  epochs: "env.epochs",
  date: "env.date",
  demand: "demand",
};

interface TrainOptions extends CommonOptions {
  out?: string;
  resume?: string;
  episodes?: number;
  workers?: number;
  [flag: string]: unknown;
}

export function register(program: Command): void {
  withFormerFlags(
    withCommonOptions(
      withTrainOptions(
        program
          .command("train")
          .description(
            "train a fleet dispatch policy (OSPO, GRPO, IPPO or MAPPO) on real Manhattan demand;\n" +
              "the run directory gets config.json, train/eval logs (JSONL + CSV), checkpoint.safetensors\n" +
              "(every episode, atomic) and best.safetensors (the best evaluated policy)",
          ),
      )
        .option(
          "--workers <n>",
          "threads that play each update's episodes (default 1: this one); any number gives the same run, more than one needs --rollouts > 1 to help",
          countFlag,
        )
        .option("--out <dir>", "run directory (default runs/train-<timestamp>)")
        .option(
          "--resume <dir>",
          "continue the run in this directory (other options come from its config.json; --episodes raises the total)",
        )
        .addHelpText("after", TRAIN_HELP_AFTER),
    ),
  ).action(action(run, printHuman));
}

/** The `--help` footer of commands that take the train options. */
export const TRAIN_HELP_AFTER =
  "\nEvery hyperparameter (clip, entropy, KL schedule, ε schedule, γ, GAE λ, network widths, and the\n" +
  "environment's options) can be set in --config <file> under `train:` and `env:`; see docs/algorithms.md.";

/** The options of a training run (FLAGS), shared by `train` and `learner`. */
export function withTrainOptions(cmd: Command): Command {
  const d = (key: string) => defaultOf(TrainRunSchema, key);
  return cmd
    .option(
      "--env <name>",
      `the environment: ${ENVIRONMENT_NAMES.join(" | ")} (default dispatch; the flags below from --scenario on are dispatch's)`,
    )
    .option("--scenario <name>", SCENARIO_HELP)
    .option("--algo <name>", `${ALGORITHM_NAMES.join(" | ")}${d("train.algo")}`)
    .option("--episodes <n>", `training episodes in total${d("train.episodes")}`, numberFlag)
    .option(
      "--seed <s>",
      `seed of everything: demand, fleet, init, exploration, minibatches${d("train.seed")}`,
      numberFlag,
    )
    .option(
      "--lr <x>",
      `policy learning rate (decays ×0.99 per episode)${d("train.lr")}`,
      numberFlag,
    )
    .option(
      "--eval-every <n>",
      `greedy evaluation every N episodes${d("train.evalEvery")}`,
      numberFlag,
    )
    .option(
      "--epsilon-decay <d>",
      `ε × d per episode, or auto (ε 0.01 at half the budget)${d("train.epsilonDecay")}`,
      epsilonDecayFlag,
    )
    .option("--vehicles <n>", `fleet size${d("env.vehicles")}`, numberFlag)
    .option(
      "--start-hour <h>",
      `local start hour of the training window${d("env.startHour")}`,
      numberFlag,
    )
    .option("--epochs <n>", `decision epochs per episode${d("env.epochs")}`, numberFlag)
    .option("--date <YYYY-MM-DD>", `demand date${d("env.date")}`)
    .option("--demand <file>", "trip file (TLC CSV, CSV.gz or Parquet; default the shipped day)")
    .option(
      "--rollouts <k>",
      `episodes collected per update (each with its own seed and ε)${d("train.rollouts")}`,
      countFlag,
    )
    .option(
      "--policy-lag <n>",
      `play each update's episodes with the weights of n updates before, so players can play ahead while the learner updates (learner's actors do); same seed and n, same run${d("train.policyLag")}`,
      nonNegativeFlag,
    );
}

function run(opts: TrainOptions): Promise<TrainResult> {
  return withTrainProgress((hooks) => start(opts, hooks), "fleetrl train");
}

/**
 * Run a training run with the progress bar, Ctrl-C stopping after the current update (exit
 * 130, with the resume command `command --resume DIR`); shared by `train` and `learner`.
 */
export async function withTrainProgress(
  start: (hooks: TrainHooks) => Promise<TrainResult>,
  command: string,
): Promise<TrainResult> {
  const ctrlC = onCtrlC(
    "stopping after this episode (checkpoint follows); Ctrl-C again to quit at once",
  );
  let progress: Progress | null = null;
  const hooks = {
    shouldStop: ctrlC.stopped,
    onStart: (i: {
      runDir: string;
      environment: string;
      startupMs: number;
      fromEpisode: number;
      episodes: number;
    }) => {
      log(`run directory: ${i.runDir} (start-up ${(i.startupMs / 1000).toFixed(1)} s)`);
      environment = i.environment;
      const fields = headlineFields(environment);
      progress = startProgress("episodes", i.episodes, `reward {reward}${fields} | eval {eval}`);
      progress.update(i.fromEpisode, { reward: "-", ...headlineValues(environment, null) });
    },
    onEpisode: (row: MetricsRow, evaluation: MetricsRow | null) => {
      lastEval = evaluation ? fmt(evaluation.reward, 1) : lastEval;
      progress?.update(Number(row.episode), {
        reward: fmt(row.reward, 1),
        ...headlineValues(environment, row),
        eval: lastEval,
      });
    },
  };
  let environment = "";
  let lastEval = "-";
  try {
    const result = await start(hooks);
    if (result.stoppedEarly) {
      // The shell's convention for an interrupted program (128 + SIGINT).
      process.exitCode = 130;
      log(
        `stopped early after episode ${result.episodes}; the checkpoint is saved: ${command} --resume ${result.runDir}`,
      );
    }
    return result;
  } finally {
    (progress as Progress | null)?.stop();
    ctrlC.dispose();
  }
}

async function start(opts: TrainOptions, hooks: TrainHooks): Promise<TrainResult> {
  if (opts.resume) {
    log(`resuming ${opts.resume}`);
    return resume(opts.resume, opts.episodes, hooks, { workers: opts.workers });
  }
  const config = trainRunOf(opts);
  const idle = idleWorkersWarning(opts.workers, config.train.rollouts);
  if (idle) log(idle);
  return train(config, opts.out, hooks, { workers: opts.workers });
}

/**
 * The run config of a new training run from the train options (FLAGS and --config), with the
 * log line that says what will be trained and the ε warning, if any.
 */
export function trainRunOf(opts: Record<string, unknown> & CommonOptions): AnyTrainRun {
  if (opts.scenario !== undefined && opts.env !== undefined && opts.env !== "dispatch")
    throw new UserError(
      `--scenario ${opts.scenario}: scenarios are presets of the dispatch environment, not of ${opts.env}`,
    );
  const config = resolveConfig((merged) => trainRunSchemaFor(merged, "--env"), opts, FLAGS, {
    env: "env",
    train: "train",
  });
  const what = `train: ${config.train.algo}, ${config.train.episodes} episodes, seed ${config.train.seed}`;
  if (config.environment === "dispatch") {
    const env = TrainRunSchema.shape.env.parse(config.env);
    log(
      `${what}; ${env.vehicles} vehicles × ${env.epochs} epochs from ${env.startHour}:00 on ${env.date}`,
    );
  } else log(`${what}; environment ${config.environment}`);
  const warning = epsilonWarning(config.train);
  if (warning) log(warning);
  return config;
}

function fmt(value: unknown, digits: number): string {
  return typeof value === "number" && Number.isFinite(value) ? value.toFixed(digits) : "-";
}

// The untrained policy's evaluation (episode 0) is only logged, so a run shorter than the
// evaluation interval has no best yet although eval.jsonl has a row.
const NO_BEST_YET = "none yet (the first evaluation after an update comes at train.evalEvery)";

/**
 * The environment's headline metrics of a training row (envs/environment.ts), label → value:
 * { served: "3114", pickup: "66.2" } for dispatch, { throughput: "0.412" } for mapf.
 */
export function headlineValues(
  environment: string,
  row: MetricsRow | null,
): Record<string, string> {
  return Object.fromEntries(
    environmentByName(environment).headline.map((m) => [
      m.label,
      fmt(row?.[`env.${m.key}`], m.digits),
    ]),
  );
}

/** The progress bar's fields of the headline metrics: " | served {served} | pickup {pickup} s". */
export function headlineFields(environment: string): string {
  return environmentByName(environment)
    .headline.map((m) => ` | ${m.label} {${m.label}}${m.unit ?? ""}`)
    .join("");
}

/** ["served 3114", "pickup 66.2 s"]: the headline values with their labels and units. */
function headlineText(environment: string, row: MetricsRow | null): string[] {
  const values = headlineValues(environment, row);
  return environmentByName(environment).headline.map(
    (m) => `${m.label} ${values[m.label]}${m.unit ?? ""}`,
  );
}

/** The human summary of a finished training run (train, learner). */
export function printHuman(r: TrainResult): void {
  const lines = [
    `${r.algo}: ${r.episodes} episodes${r.stoppedEarly ? " (stopped early; --resume continues)" : ""}`,
    `last episode: ${[`reward ${fmt(r.last?.reward, 1)}`, ...headlineText(r.environment, r.last)].join(", ")}`,
    `best evaluation: ${r.bestEval === null ? NO_BEST_YET : `${r.bestEval.toFixed(1)} (episode ${r.bestEpisode})`}`,
    `checkpoint: ${r.checkpoint}`,
    `best policy: ${r.best ?? "none yet"}${r.environment === "dispatch" ? `  (npx fleetrl simulate --dispatcher policy:${r.best ?? r.checkpoint})` : ""}`,
    `run directory: ${r.runDir}`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}
