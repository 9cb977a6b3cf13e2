/**
 * What a report is drawn from: a run directory of `fleetrl train` (optionally with the
 * evaluation.json of `fleetrl eval`), `fleetrl compare` or `fleetrl simulate`, recognised by its
 * files and loaded with every file validated.
 */
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { z } from "zod";
import { UserError } from "../core/errors.ts";
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

export type RunKind = "train" | "compare" | "simulate";

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
export type RunData = TrainRun | CompareRun | SimulateRun;

const ConfigSchema = z.record(z.string(), z.unknown());

/** The kind of run in `dir` from the files it holds; UserError if it is none. */
export function runKind(dir: string): RunKind {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UserError(`${dir}: no such run directory`);
  const has = (name: string) => existsSync(join(dir, name));
  if (has("config.json")) {
    if (has("compare.json")) return "compare";
    if (has("metrics.json") && has("events.json")) return "simulate";
    if (has("train.jsonl")) return "train";
  }
  throw new UserError(
    `${dir}: not a run directory (expected config.json with train.jsonl from fleetrl train, compare.json from fleetrl compare, or metrics.json and events.json from fleetrl simulate)`,
  );
}

/** Load a run directory for a report. */
export function loadRun(path: string): RunData {
  const dir = resolve(path);
  const kind = runKind(dir);
  const config = readJsonFile(dir, "config.json", ConfigSchema);
  if (kind === "compare") {
    const compare = readJsonFile(dir, "compare.json", CompareFileSchema);
    const runs: TrainingLogs[] = [];
    for (const algo of compare.config.algos)
      for (let seed = 0; seed < compare.config.seeds; seed++) {
        const runDir = join(dir, `${algo}-seed${seed}`);
        if (existsSync(join(runDir, "train.jsonl")))
          runs.push({
            algo,
            seed,
            train: readLog(runDir, "train.jsonl"),
            eval: readLog(runDir, "eval.jsonl"),
          });
      }
    return { kind, dir, config, compare, runs };
  }
  if (kind === "simulate") {
    return {
      kind,
      dir,
      config,
      metrics: readJsonFile(dir, "metrics.json", MetricsFileSchema),
      events: readJsonFile(dir, "events.json", EventsFileSchema),
    };
  }
  const train = (config.train ?? {}) as { algo?: unknown; seed?: unknown };
  return {
    kind,
    dir,
    config,
    logs: {
      algo: typeof train.algo === "string" ? train.algo : "policy",
      seed: typeof train.seed === "number" ? train.seed : 0,
      train: readLog(dir, "train.jsonl"),
      eval: readLog(dir, "eval.jsonl"),
    },
    evaluation: existsSync(join(dir, "evaluation.json"))
      ? readJsonFile(dir, "evaluation.json", EvaluationSchema)
      : null,
  };
}
