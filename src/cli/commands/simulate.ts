/**
 * `fleetrl simulate`: one episode of the ride-pooling simulator under a dispatcher, with a
 * progress bar on stderr, a summary table, and a run directory (config, metrics, event log);
 * with `--env mapf`, one lifelong MAPF episode under a baseline or a policy (config, metrics,
 * replay).
 */
import type { Command } from "commander";
import { validate } from "../../core/validate.ts";
import { reportLine } from "../../demand/report-line.ts";
import { mapfEnvOfCheckpoint } from "../../experiments/mapf-policy.ts";
import {
  type MapfSimulateResult,
  MapfSimulateSchema,
  simulateMapf,
} from "../../experiments/mapf-simulate.ts";
import {
  type SimulateConfig,
  SimulateConfigSchema,
  type SimulateResult,
  simulate,
} from "../../experiments/simulate.ts";
import { MAPF_FLAGS, refuseFlags, studyEnvironment, withMapfOptions } from "../mapf-flags.ts";
import {
  defaultOf,
  numberFlag,
  resolveConfig,
  SCENARIO_HELP,
  withFormerFlags,
} from "../options.ts";
import { startProgress } from "../progress.ts";
import { action, type CommonOptions, log, readConfigFile, withCommonOptions } from "../run.ts";

/** commander option name → config key */
export const FLAGS: Record<string, string> = {
  dispatcher: "dispatcher",
  vehicles: "vehicles",
  capacity: "capacity",
  startHour: "startHour",
  date: "date",
  day: "day",
  epochs: "epochs",
  dt: "dt",
  maxWait: "maxWait",
  maxDetour: "maxDetour",
  seed: "seed",
  demand: "demand",
  sampleFraction: "sampleFraction",
};

/** commander option name → config key, with --env mapf (the config is flat). */
const MAPF_SIM_FLAGS: Record<string, string> = {
  env: "environment",
  dispatcher: "dispatcher",
  seed: "seed",
  map: "map",
  agents: "agents",
  steps: "steps",
  window: "window",
};

interface SimulateOptions extends CommonOptions {
  out?: string;
  [flag: string]: unknown;
}

export function register(program: Command): void {
  const d = (key: string) => defaultOf(SimulateConfigSchema, key);
  withFormerFlags(
    withCommonOptions(
      program
        .command("simulate")
        .description(
          "run one episode of the dispatch simulator on real Manhattan demand under a dispatcher\n" +
            "(--env mapf: one lifelong MAPF episode under random | shortest-path | whca | policy:<checkpoint>)",
        )
        .option("--scenario <name>", SCENARIO_HELP)
        .option(
          "--dispatcher <name>",
          `random | greedy | min-eta | max-reward | policy:<checkpoint>${d("dispatcher")}`,
        )
        .option("--vehicles <n>", `fleet size${d("vehicles")}`, numberFlag)
        .option("--capacity <c>", `seats per vehicle${d("capacity")}`, numberFlag)
        .option("--start-hour <h>", `local start hour of the episode${d("startHour")}`, numberFlag)
        .option("--date <YYYY-MM-DD>", `demand date to replay${d("date")}`)
        .option(
          "--day <type>",
          `travel-time profile: auto | weekday | saturday | sunday${d("day")}`,
        )
        .option("--epochs <n>", `decision epochs${d("epochs")}`, numberFlag)
        .option("--dt <s>", `seconds between decisions${d("dt")}`, numberFlag)
        .option(
          "--max-wait <s>",
          `an unassigned order is lost after this wait${d("maxWait")}`,
          numberFlag,
        )
        .option(
          "--max-detour <s>",
          `extra in-vehicle time allowed over the direct trip${d("maxDetour")}`,
          numberFlag,
        )
        .option(
          "--sample-fraction <f>",
          `seeded share of the trips kept${d("sampleFraction")}`,
          numberFlag,
        )
        .option(
          "--seed <s>",
          `seed of demand sampling, fleet placement and exploration${d("seed")}`,
          numberFlag,
        )
        .option(
          "--demand <file>",
          "trip file (TLC CSV, CSV.gz or Parquet; default the shipped day)",
        )
        .option("--out <dir>", "run directory (default runs/simulate-<timestamp>)"),
    ),
  );
  withMapfOptions(
    program.commands.find((c) => c.name() === "simulate")!,
    "random | maze | mixed | warehouse | empty (generated from --seed) | a MovingAI .map file (default random)",
  ).action(action(run, printHuman));
}

async function run(opts: SimulateOptions): Promise<SimulateResult | MapfSimulateResult> {
  if (studyEnvironment(opts, "simulate") === "mapf") return runMapf(opts);
  refuseFlags(opts, MAPF_FLAGS, "dispatch");
  const config: SimulateConfig = resolveConfig(SimulateConfigSchema, opts, FLAGS, {
    env: "",
  });
  log(
    `simulate: ${config.dispatcher}, ${config.vehicles} vehicles × ${config.epochs} epochs of ${config.dt} s from ${config.startHour}:00 on ${config.date}`,
  );
  const progress = startProgress("epochs", config.epochs);
  try {
    return await simulate(config, opts.out, {
      onDemand: (report) => log(`demand: ${reportLine(report)}`),
      onStartup: (ms) => log(`start-up (data + travel-time table): ${(ms / 1000).toFixed(1)} s`),
      onEpoch: (e) => progress.update(e),
    });
  } finally {
    progress.stop();
  }
}

/** One MAPF episode; a policy's training options are the bottom layer (its window above all). */
async function runMapf(opts: SimulateOptions): Promise<MapfSimulateResult> {
  refuseFlags(
    opts,
    [...Object.keys(FLAGS).filter((f) => !(f in MAPF_SIM_FLAGS)), "scenario"],
    "mapf",
  );
  const file = opts.config ? readConfigFile(opts.config) : {};
  const raw: Record<string, unknown> = { ...file, environment: "mapf" };
  for (const [flag, key] of Object.entries(MAPF_SIM_FLAGS))
    if (flag !== "env" && opts[flag] !== undefined) raw[key] = opts[flag];
  const dispatcher = String(raw.dispatcher ?? "whca");
  const trained = dispatcher.startsWith("policy:")
    ? mapfEnvOfCheckpoint(dispatcher.slice("policy:".length))
    : null;
  const { evalMap: _evalMap, ...base } = trained ?? {};
  const source = opts.config ? `options (from ${opts.config} and flags)` : "options";
  const config = validate(MapfSimulateSchema, { ...base, ...raw }, source);
  log(
    `simulate --env mapf: ${config.dispatcher}, ${config.agents} agents × ${config.steps} steps on ${config.map}`,
  );
  const progress = startProgress("steps", config.steps);
  try {
    return await simulateMapf(config, opts.out, (s) => progress.update(s));
  } finally {
    progress.stop();
  }
}

function printHuman(r: SimulateResult | MapfSimulateResult): void {
  if ("environment" in r) {
    printMapf(r);
    return;
  }
  const m = r.metrics;
  const rows: [string, string][] = [
    ["dispatcher", r.dispatcher],
    ["orders requested", String(m.requested)],
    ["served", `${m.served} (${(100 * m.serviceRate).toFixed(1)}%)`],
    ["lost", `${m.lost} (${m.pendingAtEnd} still pending at the end)`],
    ["mean confirmation", `${m.meanConfirmationS.toFixed(1)} s`],
    ["mean pickup (drive to rider)", `${m.meanPickupS.toFixed(1)} s`],
    ["mean wait (request → pickup)", `${m.meanWaitS.toFixed(1)} s`],
    ["mean in-vehicle", `${m.meanInVehicleS.toFixed(1)} s`],
    ["mean detour", `${m.meanDetourS.toFixed(1)} s`],
    ["occupancy", `${m.occupancy.toFixed(2)} riders per vehicle`],
    ["distance (empty)", `${m.distanceKm.toFixed(0)} km (${m.emptyDistanceKm.toFixed(0)} km)`],
    [
      "income per vehicle",
      `${m.meanIncome.toFixed(2)} ± ${m.incomeStd.toFixed(2)}, Gini ${m.incomeGini.toFixed(3)}`,
    ],
    [
      "episode reward",
      `${m.episodeReward.toFixed(1)} (discounted ${m.discountedReward.toFixed(1)})`,
    ],
    [
      "episode time",
      `${(r.episodeMs / 1000).toFixed(2)} s (start-up ${(r.startupMs / 1000).toFixed(1)} s)`,
    ],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
  process.stdout.write(`\nrun directory: ${r.runDir}\n`);
}

function printMapf(r: MapfSimulateResult): void {
  const m = r.metrics;
  const rows: [string, string][] = [
    ["dispatcher", r.dispatcher],
    ["map", `${r.map}, ${r.agents} agents, ${r.steps} steps, seed ${r.seed}`],
    ["throughput", `${m.throughput.toFixed(3)} goals per step (${m.goals} goals)`],
    ["waits", `${(100 * m.waitFraction).toFixed(1)}% of agent-steps`],
    ["conflicts", `${m.conflicts} (lost to a lower id)`],
    ["fairness", `Jain ${m.fairness.toFixed(3)}, Gini ${m.goalsGini.toFixed(3)}`],
    ["episode time", `${(r.episodeMs / 1000).toFixed(2)} s`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
  process.stdout.write(`\nrun directory: ${r.runDir}\n`);
}
