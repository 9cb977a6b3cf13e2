/**
 * A training run's config (config.json of a train run): its schema per environment, and reading
 * it back from a run directory. `train`, `resume`, `eval` and `demo` share it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { UserError } from "../core/errors.ts";
import { RUN_FILES } from "../core/run-layout.ts";
import { validate } from "../core/validate.ts";
import { DispatchTrainSchema } from "../envs/dispatch/entry.ts";
import { DEFAULT_ENVIRONMENT, environmentByName } from "../envs/registry.ts";
import { TrainConfigSchema } from "../training/train-config.ts";

/** A training run's config on the environment `name`, whose `env:` section `envSchema` checks. */
function runSchemaOf<E extends z.ZodObject>(name: string, envSchema: E) {
  return z
    .object({
      environment: z
        .literal(name)
        .default(name as never)
        .describe("the environment (--env)"),
      train: TrainConfigSchema.default(TrainConfigSchema.parse({})),
      env: envSchema.default(envSchema.parse({}) as never),
      demand: z.string().optional().describe("trip file; default the shipped day"),
      scenario: z.string().optional().describe("the scenario the values came from (informative)"),
    })
    .strict();
}

/** A training run on the dispatch environment (the default), fully typed. */
export const TrainRunSchema = runSchemaOf("dispatch", DispatchTrainSchema);
export type TrainRunConfig = z.output<typeof TrainRunSchema>;

/** A training run on any registered environment. */
export interface AnyTrainRun {
  environment: string;
  train: z.output<typeof TrainConfigSchema>;
  env: Record<string, unknown>;
  demand?: string;
  scenario?: string;
}

/**
 * The schema of a run config: the one of its `environment` (default dispatch; an unknown name is
 * a user error naming `source`).
 */
export function trainRunSchemaFor(raw: unknown, source: string) {
  const named =
    raw !== null && typeof raw === "object" && "environment" in raw ? raw.environment : undefined;
  if (named === undefined) return TrainRunSchema;
  const entry = environmentByName(String(named), `${source}: environment`);
  return entry.name === DEFAULT_ENVIRONMENT
    ? TrainRunSchema
    : runSchemaOf(entry.name, entry.trainSchema);
}

/** The run config saved in a run directory, validated (against its environment's schema). */
export function readRunConfig(runDir: string): AnyTrainRun {
  const path = join(runDir, RUN_FILES.config);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new UserError(`${path}: cannot read the run's config (${(e as Error).message})`);
  }
  if (raw !== null && typeof raw === "object" && !Array.isArray(raw) && !("train" in raw)) {
    const kind = "dispatcher" in raw ? "a simulate run" : "algos" in raw ? "a compare run" : "";
    throw new UserError(
      `${path}: not a training run${kind ? ` (${kind})` : ""}: its config has no "train" section`,
    );
  }
  return validate(trainRunSchemaFor(raw, path), raw, path);
}
