/**
 * What a report is drawn from: a run directory of `fleetrl train` (optionally with the
 * evaluation.json of `fleetrl eval`), `fleetrl compare` or `fleetrl simulate`, recognised by its
 * files and loaded with every file validated.
 */
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { z } from "zod";
import { UserError } from "../core/errors.ts";
import { RUN_FILES, type RunKind, runKindOf } from "../core/run-layout.ts";
import type { MapfReplayFile } from "../envs/mapf/replay.ts";
import {
  type MapfCompareFile,
  MapfCompareFileSchema,
  type MapfEvaluation,
  MapfEvaluationSchema,
  MapfReplaySchema,
} from "./mapf-files.ts";
import {
  type CompareFile,
  CompareFileSchema,
  type Evaluation,
  EvaluationSchema,
  type EventsFile,
  EventsFileSchema,
  type LogRow,
  MetricsFileSchema,
  readJsonFile,
  readLog,
} from "./run-files.ts";

export type { RunKind };

/** The learning curves of one training run (a compare entry's seed, or the run itself). */
export interface TrainingLogs {
  algo: string;
  seed: number;
  train: LogRow[];
  eval: LogRow[];
}

interface RunBase {
  dir: string;
  /** The run's resolved config (config.json), as written. */
  config: Record<string, unknown>;
}
export interface TrainRun extends RunBase {
  kind: "train";
  logs: TrainingLogs;
  /** evaluation.json of `fleetrl eval`, if the run has been evaluated. */
  evaluation: Evaluation | null;
}
export interface CompareRun extends RunBase {
  kind: "compare";
  compare: CompareFile;
  /** Every training run of the comparison found on disk, by entry and seed. */
  runs: TrainingLogs[];
}
export interface SimulateRun extends RunBase {
  kind: "simulate";
  metrics: Record<string, number>;
  events: EventsFile;
}
/** Any run of the mapf environment (its config says `environment: "mapf"`). */
export interface MapfRun extends RunBase {
  kind: "mapf";
  /** What the run is: a simulation, a training run or a comparison. */
  runKind: RunKind;
  /** Training logs: the run's own (train), or one per entry and seed (compare). */
  logs: TrainingLogs[];
  /** replay.json: a simulation's episode, or a trained policy's after `eval --env mapf`. */
  replay: MapfReplayFile | null;
  evaluation: MapfEvaluation | null;
  compare: MapfCompareFile | null;
  /** metrics.json of a simulation. */
  metrics: Record<string, number> | null;
}
export type RunData = TrainRun | CompareRun | SimulateRun | MapfRun;

const ConfigSchema = z.record(z.string(), z.unknown());

/** The kind of run in `dir` from the files it holds; UserError if it is none. */
export function runKind(dir: string): RunKind {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UserError(`${dir}: no such run directory`);
  const kind = runKindOf((name) => existsSync(join(dir, name)));
  if (kind && existsSync(join(dir, RUN_FILES.config))) return kind;
  throw new UserError(
    `${dir}: not a run directory (expected config.json with train.jsonl from fleetrl train, compare.json from fleetrl compare, or metrics.json and events.json from fleetrl simulate)`,
  );
}

/** Load a run directory for a report. */
export function loadRun(path: string): RunData {
  const dir = resolve(path);
  const kind = runKind(dir);
  const config = readJsonFile(dir, RUN_FILES.config, ConfigSchema);
  if (config.environment === "mapf") return loadMapfRun(dir, kind, config);
  if (kind === "compare") {
    const compare = readJsonFile(dir, RUN_FILES.compare, CompareFileSchema);
    const runs: TrainingLogs[] = [];
    for (const algo of compare.config.algos)
      for (let seed = 0; seed < compare.config.seeds; seed++) {
        const logs = seedLogs(dir, algo, seed);
        if (logs) runs.push(logs);
      }
    return { kind, dir, config, compare, runs };
  }
  if (kind === "simulate") {
    return {
      kind,
      dir,
      config,
      metrics: readJsonFile(dir, RUN_FILES.metrics, MetricsFileSchema),
      events: readJsonFile(dir, RUN_FILES.events, EventsFileSchema),
    };
  }
  return {
    kind,
    dir,
    config,
    logs: ownLogs(dir, config),
    evaluation: existsSync(join(dir, RUN_FILES.evaluation))
      ? readJsonFile(dir, RUN_FILES.evaluation, EvaluationSchema)
      : null,
  };
}

/** The logs of a compare entry's seed (`<dir>/<algo>-seed<s>`), or null if it has none yet. */
function seedLogs(dir: string, algo: string, seed: number): TrainingLogs | null {
  const runDir = join(dir, `${algo}-seed${seed}`);
  if (!existsSync(join(runDir, RUN_FILES.trainLog))) return null;
  return {
    algo,
    seed,
    train: readLog(runDir, RUN_FILES.trainLog),
    eval: readLog(runDir, RUN_FILES.evalLog),
  };
}

/** A training run's own logs, its algorithm and seed from its config. */
function ownLogs(dir: string, config: Record<string, unknown>): TrainingLogs {
  const train = (config.train ?? {}) as { algo?: unknown; seed?: unknown };
  return {
    algo: typeof train.algo === "string" ? train.algo : "policy",
    seed: typeof train.seed === "number" ? train.seed : 0,
    train: readLog(dir, RUN_FILES.trainLog),
    eval: readLog(dir, RUN_FILES.evalLog),
  };
}

function loadMapfRun(dir: string, kind: RunKind, config: Record<string, unknown>): MapfRun {
  const has = (name: string) => existsSync(join(dir, name));
  const run: MapfRun = {
    kind: "mapf",
    runKind: kind,
    dir,
    config,
    logs: [],
    replay: has(RUN_FILES.replay) ? readJsonFile(dir, RUN_FILES.replay, MapfReplaySchema) : null,
    evaluation: null,
    compare: null,
    metrics: null,
  };
  if (kind === "simulate") run.metrics = readJsonFile(dir, RUN_FILES.metrics, MetricsFileSchema);
  else if (kind === "train") {
    run.logs = [ownLogs(dir, config)];
    if (has(RUN_FILES.evaluation))
      run.evaluation = readJsonFile(dir, RUN_FILES.evaluation, MapfEvaluationSchema);
  } else {
    run.compare = readJsonFile(dir, RUN_FILES.compare, MapfCompareFileSchema);
    for (const algo of run.compare.config.algos)
      for (let seed = 0; seed < run.compare.config.seeds; seed++) {
        const logs = seedLogs(dir, algo, seed);
        if (logs) run.logs.push(logs);
      }
  }
  return run;
}
