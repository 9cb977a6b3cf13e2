/**
 * The files of a mapf run a report draws, validated where they enter: replay.json (simulate, or
 * beside a checkpoint after `eval --env mapf`), evaluation.json of `eval --env mapf` and
 * compare.json of `compare --env mapf`. The replay's schema is typed against its writer's type
 * (envs/mapf/replay.ts), so a change there fails here.
 */
import { z } from "zod";
import { MAPF_REPLAY_FORMAT, type MapfReplayFile } from "../envs/mapf/replay.ts";

const num = z
  .number()
  .nullable()
  .transform((v) => (v === null ? Number.NaN : v));
const summary = z.object({ mean: num, ci95: num });
const metrics = z.object({
  throughput: summary,
  goals: summary,
  waitFraction: summary,
  fairness: summary,
  conflicts: summary,
});
export type MapfMetricSummaries = z.output<typeof metrics>;

const cells = z.array(z.number().int().min(0));
export const MapfReplaySchema: z.ZodType<MapfReplayFile> = z
  .object({
    format: z.literal(MAPF_REPLAY_FORMAT),
    dispatcher: z.string(),
    seed: z.number(),
    map: z.object({
      name: z.string(),
      width: z.number().int().min(1),
      height: z.number().int().min(1),
      rows: z.array(z.string()),
    }),
    agents: z.number().int().min(1),
    steps: z.number().int().min(0),
    recordedSteps: z.number().int().min(0),
    positions: cells,
    goals: cells,
    goalsPerStep: z.array(z.number().int().min(0)),
    metrics: z.object({
      steps: z.number(),
      agents: z.number(),
      goals: z.number(),
      throughput: z.number(),
      waitFraction: z.number(),
      conflicts: z.number(),
      fairness: z.number(),
      goalsGini: z.number(),
    }),
  })
  .superRefine((r, ctx) => {
    const frames = (r.recordedSteps + 1) * r.agents;
    const size = r.map.width * r.map.height;
    if (r.map.rows.length !== r.map.height || r.map.rows.some((row) => row.length !== r.map.width))
      ctx.addIssue({
        code: "custom",
        path: ["map", "rows"],
        message: "expected height rows of width cells",
      });
    if (r.positions.length !== frames || r.goals.length !== frames)
      ctx.addIssue({
        code: "custom",
        path: ["positions"],
        message: `expected (recordedSteps + 1) × agents = ${frames} cells in positions and goals`,
      });
    if (r.goalsPerStep.length !== r.recordedSteps)
      ctx.addIssue({
        code: "custom",
        path: ["goalsPerStep"],
        message: "expected recordedSteps values",
      });
    if (r.positions.some((c) => c >= size) || r.goals.some((c) => c >= size))
      ctx.addIssue({
        code: "custom",
        path: ["positions"],
        message: `expected cells below ${size}`,
      });
  });

export const MapfEvaluationSchema = z.object({
  environment: z.literal("mapf"),
  checkpoint: z.string(),
  policy: z.string(),
  seeds: z.array(z.number()),
  maps: z.array(z.string()),
  agents: z.number(),
  steps: z.number(),
  rows: z.array(
    z.object({ map: z.string(), dispatcher: z.string(), episodes: z.number(), metrics }),
  ),
});
export type MapfEvaluation = z.output<typeof MapfEvaluationSchema>;

export const MapfCompareFileSchema = z.object({
  environment: z.literal("mapf"),
  config: z
    .object({ algos: z.array(z.string()), seeds: z.number().int().min(1), episodes: z.number() })
    .passthrough(),
  rows: z.array(
    z.object({
      entry: z.string(),
      overall: metrics,
      byMap: z.array(z.object({ map: z.string(), metrics })),
    }),
  ),
});
export type MapfCompareFile = z.output<typeof MapfCompareFileSchema>;
