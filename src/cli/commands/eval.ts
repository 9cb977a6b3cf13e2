/**
 * `fleetrl eval --checkpoint <path> [--hours 14,17,20] [--seeds N]`: a trained policy against the
 * non-learning dispatchers on held-out hours, mean ± 95% CI over seeds. A mapf policy (or
 * `--env mapf`) plays held-out maps instead: `--maps random,maze,data/mapf/…map`.
 */
import { existsSync } from "node:fs";
import { dirname } from "node:path";
import type { Command } from "commander";
import { UserError } from "../../core/errors.ts";
import { RUN_FILES } from "../../core/run-layout.ts";
import { validate } from "../../core/validate.ts";
import { DispatchConfigSchema } from "../../envs/dispatch/config.ts";
import { MapfTrainSchema } from "../../envs/mapf/entry.ts";
import {
  type EvalResult,
  envOfCheckpoint,
  evaluate,
  type MetricSummary,
} from "../../experiments/evaluate.ts";
import {
  evaluateMapf,
  type MapfEvalResult,
  policyReplay,
} from "../../experiments/mapf-evaluate.ts";
import { checkpointEnvironment, mapfEnvOfCheckpoint } from "../../experiments/mapf-policy.ts";
import { writeJson } from "../../experiments/run-dir.ts";
import { scenarioByName } from "../../experiments/scenarios.ts";
import { MAPF_FLAGS, refuseFlags, studyEnvironment, withMapfOptions } from "../mapf-flags.ts";
import { deepMerge, listFlag, numberFlag, numberListFlag, SCENARIO_HELP } from "../options.ts";
import { startProgress } from "../progress.ts";
import { action, type CommonOptions, readConfigFile, withCommonOptions } from "../run.ts";

export interface EvalCliResult extends EvalResult {
  /** Where the result was written (beside the checkpoint). */
  written: string;
}

export interface MapfEvalCliResult extends MapfEvalResult {
  written: string;
}

interface EvalCliOptions extends CommonOptions {
  checkpoint?: string;
  hours?: number[];
  seeds?: number;
  baselines?: string[];
  vehicles?: number;
  demand?: string;
  matchWeight?: string;
  scenario?: string;
  env?: string;
  maps?: string[];
  [flag: string]: unknown;
}

export function register(program: Command): void {
  withCommonOptions(
    program
      .command("eval")
      .description(
        "evaluate a trained policy against the non-learning dispatchers on held-out hours of the day\n" +
          "(mean ± 95% CI over seeds; every dispatcher sees the same episodes)",
      )
      .option("--checkpoint <path>", "checkpoint.safetensors or best.safetensors of a training run")
      .option(
        "--scenario <name>",
        `${SCENARIO_HELP.replace("default manhattan-peak", "default: the training run's environment")}`,
      )
      .option(
        "--hours <list>",
        "local start hours to evaluate on (default 14,17,20,21,22)",
        numberListFlag,
      )
      .option("--seeds <n>", "episodes per hour and dispatcher (default 3)", numberFlag)
      .option(
        "--baselines <list>",
        "dispatchers to compare with (default min-eta,greedy,random)",
        listFlag,
      )
      .option("--vehicles <n>", "fleet size (default: the training run's)", numberFlag)
      .option("--demand <file>", "trip file (default: the training run's, else the shipped day)")
      .option(
        "--match-weight <kind>",
        "match the policy's joint action on 'probability' or 'score' (exp(logit)); default: as trained",
      )
      .option(
        "--maps <list>",
        "mapf: evaluation maps, kinds (random, maze, mixed, warehouse, empty: drawn from evaluation seeds) or .map files (default: the run's evalMap, else its map)",
        listFlag,
      ),
  );
  withMapfOptions(
    program.commands.find((c) => c.name() === "eval")!,
    "one evaluation map (as --maps with one entry)",
  ).action(action(run, printHuman));
}

const DISPATCH_ONLY = ["hours", "vehicles", "demand", "matchWeight", "scenario"];

/** The keys an `eval --config` file may set (each is also a flag, except `env`). */
const FILE_KEYS = [
  "checkpoint",
  "environment",
  "scenario",
  "env",
  "hours",
  "seeds",
  "baselines",
  "demand",
  "matchWeight",
  "maps",
];

async function run(opts: EvalCliOptions): Promise<EvalCliResult | MapfEvalCliResult> {
  const file = opts.config ? readConfigFile(opts.config, FILE_KEYS) : {};
  const checkpoint = opts.checkpoint ?? (file.checkpoint as string | undefined);
  if (!checkpoint) throw new UserError("eval: --checkpoint <path> is required");
  if (!existsSync(checkpoint)) throw new UserError(`${checkpoint}: no such checkpoint`);
  // No --env: the environment the checkpoint was trained on.
  const named = opts.env ?? (file.environment as string | undefined);
  const environment =
    named === undefined &&
    existsSync(checkpoint) &&
    checkpointEnvironment(checkpoint)?.environment === "mapf"
      ? "mapf"
      : studyEnvironment(opts, "eval");
  if (environment === "mapf") return runMapf(opts, file, checkpoint);
  refuseFlags(opts, [...MAPF_FLAGS, "maps"], "dispatch");
  const hours = opts.hours ?? (file.hours as number[] | undefined) ?? [14, 17, 20, 21, 22];
  for (const h of hours) {
    if (!(Number.isInteger(h) && h >= 0 && h <= 23))
      throw new UserError(`--hours: expected hours 0..23 (got ${h})`);
  }
  const seeds = opts.seeds ?? (file.seeds as number | undefined) ?? 3;
  if (!(Number.isInteger(seeds) && seeds >= 1))
    throw new UserError(`--seeds: expected a positive integer (got ${seeds})`);
  const trained = envOfCheckpoint(checkpoint);
  // Layers, each over the one before: the training run's environment, the scenario, the file's
  // env, the flags.
  const scenarioName = opts.scenario ?? (file.scenario as string | undefined);
  const scenario = scenarioName === undefined ? undefined : scenarioByName(String(scenarioName));
  const layers = [
    trained ?? {},
    scenario?.env ?? {},
    (file.env as Record<string, unknown>) ?? {},
    opts.vehicles !== undefined ? { vehicles: opts.vehicles } : {},
  ];
  const env = validate(
    DispatchConfigSchema,
    layers.reduce<Record<string, unknown>>(
      (a, b) => deepMerge(a, b as Record<string, unknown>),
      {},
    ),
    "eval options",
  );
  const matchWeight = opts.matchWeight ?? (file.matchWeight as string | undefined);
  if (matchWeight !== undefined && matchWeight !== "probability" && matchWeight !== "score") {
    throw new UserError(
      `--match-weight: expected probability or score (got ${JSON.stringify(matchWeight)})`,
    );
  }
  const baselines = opts.baselines ??
    (file.baselines as string[] | undefined) ?? ["min-eta", "greedy", "random"];
  const progress = startProgress("episodes", hours.length * seeds * (baselines.length + 1));
  try {
    const result = await evaluate({
      checkpoint,
      hours,
      seeds,
      baselines,
      env,
      demand: opts.demand ?? (file.demand as string | undefined),
      matchWeight,
      onEpisode: (done) => progress.update(done),
    });
    // Saved beside the checkpoint, where `fleetrl report` and the dashboard find it.
    const written = writeJson(dirname(checkpoint), RUN_FILES.evaluation, result);
    return { ...result, written };
  } finally {
    progress.stop();
  }
}

/** A mapf policy on held-out maps against shortest-path and WHCA*. */
async function runMapf(
  opts: EvalCliOptions,
  file: Record<string, unknown>,
  checkpoint: string,
): Promise<MapfEvalCliResult> {
  refuseFlags(opts, DISPATCH_ONLY, "mapf");
  const trained = mapfEnvOfCheckpoint(checkpoint) ?? {};
  const flags: Record<string, unknown> = {};
  for (const key of ["agents", "steps", "window"])
    if (opts[key] !== undefined) flags[key] = opts[key];
  const env = validate(
    MapfTrainSchema,
    deepMerge(deepMerge(trained, (file.env as Record<string, unknown>) ?? {}), flags),
    "eval options: env",
  );
  const fromFile = file.maps as string[] | undefined;
  const maps = opts.maps ??
    (opts.map ? [String(opts.map)] : undefined) ??
    fromFile ?? [env.evalMap ?? env.map];
  const seeds = opts.seeds ?? (file.seeds as number | undefined) ?? 3;
  if (!(Number.isInteger(seeds) && seeds >= 1))
    throw new UserError(`--seeds: expected a positive integer (got ${seeds})`);
  const baselines = opts.baselines ??
    (file.baselines as string[] | undefined) ?? ["shortest-path", "whca"];
  const progress = startProgress("episodes", maps.length * seeds * (baselines.length + 1));
  try {
    const result = await evaluateMapf({
      checkpoint,
      maps,
      seeds,
      baselines,
      env,
      onEpisode: (done) => progress.update(done),
    });
    const written = writeJson(dirname(checkpoint), RUN_FILES.evaluation, result);
    // the policy's first evaluation episode, for the report's and the dashboard's grid replay
    const replay = await policyReplay(checkpoint, maps[0], env, result.seeds[0]);
    writeJson(dirname(checkpoint), RUN_FILES.replay, replay);
    return { ...result, written };
  } finally {
    progress.stop();
  }
}

function printHuman(r: EvalCliResult | MapfEvalCliResult): void {
  if ("environment" in r) {
    printMapf(r);
    return;
  }
  const ci = (m: MetricSummary, d: number) =>
    `${m.mean.toFixed(d)} ± ${Number.isNaN(m.ci95) ? "–" : m.ci95.toFixed(d)}`;
  const out = [
    `${r.policy}: ${r.checkpoint}, seeds ${r.seeds.join(", ")} (mean ± 95% CI)`,
    "",
    "| hour | dispatcher | reward | served | service rate | pickup s | detour s | income Gini |",
    "|---|---|---|---|---|---|---|---|",
    ...r.rows.map(
      (x) =>
        `| ${x.hour} | ${x.dispatcher === "policy" ? r.policy : x.dispatcher} | ${ci(x.reward, 0)} | ${ci(x.served, 0)} | ${ci({ mean: 100 * x.serviceRate.mean, ci95: 100 * x.serviceRate.ci95 }, 1)}% | ${ci(x.pickupS, 1)} | ${ci(x.detourS, 1)} | ${ci(x.incomeGini, 3)} |`,
    ),
  ];
  process.stdout.write(`${out.join("\n")}\n\nwritten to ${r.written}\n`);
}

function printMapf(r: MapfEvalCliResult): void {
  const ci = (m: MetricSummary, d: number, scale = 1) =>
    `${(m.mean * scale).toFixed(d)} ± ${Number.isNaN(m.ci95) ? "–" : (m.ci95 * scale).toFixed(d)}`;
  const out = [
    `${r.policy}: ${r.checkpoint}; ${r.agents} agents, ${r.steps} steps, seeds ${r.seeds.join(", ")} (mean ± 95% CI)`,
    "",
    "| map | dispatcher | throughput | goals | waits % | fairness |",
    "|---|---|---|---|---|---|",
    ...r.rows.map(
      (x) =>
        `| ${x.map} | ${x.dispatcher === "policy" ? r.policy : x.dispatcher} | ${ci(x.metrics.throughput, 3)} | ${ci(x.metrics.goals, 1)} | ${ci(x.metrics.waitFraction, 1, 100)} | ${ci(x.metrics.fairness, 3)} |`,
    ),
  ];
  process.stdout.write(`${out.join("\n")}\n\nwritten to ${r.written}\n`);
}
