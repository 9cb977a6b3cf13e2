/**
 * The layout of a run directory — every file name a command writes and a reader looks for, and
 * which kind of run a directory holds — in one place. Writers (training, simulate, compare,
 * eval, demo), readers (reports, the dashboard server) and the lock all name files from here.
 *
 *   simulate: config.json, metrics.json, events.json (dispatch) or replay.json (mapf)
 *   train:    config.json, train.jsonl|csv, eval.jsonl|csv, checkpoint.safetensors,
 *             best.safetensors, evaluation.json (after `fleetrl eval`), run.lock (while training)
 *   compare:  config.json, compare.json|md|csv, compare-eval.json, one train run per entry/seed
 *   any:      report.html (after `fleetrl report`)
 */
export const RUN_FILES = {
  config: "config.json",
  metrics: "metrics.json",
  events: "events.json",
  replay: "replay.json",
  trainLog: "train.jsonl",
  evalLog: "eval.jsonl",
  checkpoint: "checkpoint.safetensors",
  best: "best.safetensors",
  evaluation: "evaluation.json",
  compare: "compare.json",
  compareTable: "compare.md",
  compareCsv: "compare.csv",
  compareUnits: "compare-eval.json",
  lock: "run.lock",
  report: "report.html",
} as const;

/** The stems of the two metrics logs (`<stem>.jsonl` and `<stem>.csv`, training/train-log.ts). */
export const LOG_STEMS = { train: "train", eval: "eval" } as const;

export type RunKind = "train" | "compare" | "simulate";

/**
 * The kind of run a directory holds, from the names of its files (`has(name)`), or null.
 *
 * @example
 * runKindOf((f) => ["config.json", "train.jsonl"].includes(f)); // "train"
 */
export function runKindOf(has: (name: string) => boolean): RunKind | null {
  if (has(RUN_FILES.compare)) return "compare";
  if (has(RUN_FILES.trainLog) || has(RUN_FILES.checkpoint)) return "train";
  if (has(RUN_FILES.events) || has(RUN_FILES.replay) || has(RUN_FILES.metrics)) return "simulate";
  return null;
}
