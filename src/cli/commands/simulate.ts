/**
 * `fleetrl simulate`: one episode of the ride-pooling simulator under a dispatcher, with a
 * progress bar on stderr, a summary table, and a run directory (config, metrics, event log).
 */
import type { Command } from "commander";
import { reportLine } from "../../demand/report-line.ts";
import {
  type SimulateConfig,
  SimulateConfigSchema,
  type SimulateResult,
  simulate,
} from "../../experiments/simulate.ts";
import {
  defaultOf,
  numberFlag,
  resolveConfig,
  SCENARIO_HELP,
  withFormerFlags,
} from "../options.ts";
import { startProgress } from "../progress.ts";
import { action, type CommonOptions, log, withCommonOptions } from "../run.ts";

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
          "run one episode of the dispatch simulator on real Manhattan demand under a dispatcher",
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
  ).action(action(run, printHuman));
}

async function run(opts: SimulateOptions): Promise<SimulateResult> {
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

function printHuman(r: SimulateResult): void {
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
