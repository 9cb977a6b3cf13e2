/**
 * Reading a run directory's files for a report, each validated where it enters: a missing or
 * corrupt file is a UserError naming the file (and the line or field). Only the fields the
 * report draws are checked; anything else in the files is kept as is.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { inputError, UserError } from "../core/errors.ts";
import { validate } from "../core/validate.ts";
import type { EventsFile } from "../envs/dispatch/event-log.ts";

/** JSON writes NaN (e.g. the CI of a single sample) as null: read it back as NaN. */
const num = z
  .number()
  .nullable()
  .transform((v) => (v === null ? Number.NaN : v));
const summary = z.object({ mean: num, ci95: num });
const counts = z.record(z.string(), z.number());
const histogram = z.object({ binWidth: z.number().positive(), counts: z.array(z.number()) });
export const DistributionsSchema = z.object({
  pickupS: histogram,
  detourS: histogram,
  servedByZone: counts,
  lostByZone: counts,
});
export type Distributions = z.output<typeof DistributionsSchema>;

const METRIC_SUMMARIES = {
  reward: summary,
  served: summary,
  serviceRate: summary,
  pickupS: summary,
  detourS: summary,
  incomeGini: summary,
};
export type MetricKey = keyof typeof METRIC_SUMMARIES;
export type Summary = z.output<typeof summary>;

export const EvaluationSchema = z.object({
  checkpoint: z.string(),
  seeds: z.array(z.number()),
  rows: z.array(
    z.object({
      hour: z.number(),
      dispatcher: z.string(),
      episodes: z.number(),
      ...METRIC_SUMMARIES,
    }),
  ),
  distributions: z.array(DistributionsSchema),
});
export type Evaluation = z.output<typeof EvaluationSchema>;

const metricSummaries = z.object(METRIC_SUMMARIES);
export const CompareFileSchema = z.object({
  config: z
    .object({
      algos: z.array(z.string()),
      seeds: z.number().int().min(1),
      episodes: z.number(),
      hours: z.array(z.number()),
    })
    .passthrough(),
  rows: z.array(
    z.object({
      entry: z.string(),
      overall: metricSummaries,
      byHour: z.array(z.object({ hour: z.number(), metrics: metricSummaries })),
    }),
  ),
  distributions: z.record(z.string(), z.array(DistributionsSchema)),
});
export type CompareFile = z.output<typeof CompareFileSchema>;

export const MetricsFileSchema = z.record(z.string(), num);

const ints = z.array(z.number());
/** events.json (its type is the writer's, envs/dispatch/event-log.ts: a change there fails here). */
export const EventsFileSchema: z.ZodType<EventsFile> = z.object({
  startTime: z.number(),
  orders: z.object({ requestTime: ints, pickupNode: ints, dropoffNode: ints }),
  eventTypes: z.array(z.string()),
  events: z.object({ time: ints, type: ints, order: ints, vehicle: ints }),
  snapshots: z.array(z.object({ time: z.number(), node: ints, at: ints, onboard: ints })),
});
export type { EventsFile };

/** One row of train.jsonl / eval.jsonl: `episode` and `reward` are required. */
export type LogRow = Record<string, unknown> & { episode: number; reward: number };

/** Parse `dir/name` as JSON and validate it; UserError naming the file on any problem. */
export function readJsonFile<S extends z.ZodType>(
  dir: string,
  name: string,
  schema: S,
): z.output<S> {
  const path = join(dir, name);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new UserError(`${path}: cannot read file`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  return validate(schema, value, path);
}

/**
 * Rows of a JSONL metrics log (empty if the file does not exist). A torn last line (a run still
 * writing) is skipped; any other bad line is an error naming the file and line.
 */
export function readLog(dir: string, name: string): LogRow[] {
  const path = join(dir, name);
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, "utf8").split("\n");
  while (lines.length > 0 && lines[lines.length - 1].trim() === "") lines.pop();
  const rows: LogRow[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      if (i === lines.length - 1) return;
      throw inputError(path, { row: i + 1, expected: "one JSON object per line" });
    }
    const r = row as Record<string, unknown>;
    if (r === null || typeof r !== "object" || typeof r.episode !== "number")
      throw inputError(path, {
        row: i + 1,
        field: "episode",
        expected: "a number",
        got: r?.episode,
      });
    if (typeof r.reward !== "number")
      throw inputError(path, { row: i + 1, field: "reward", expected: "a number", got: r.reward });
    rows.push(r as LogRow);
  });
  return rows;
}
