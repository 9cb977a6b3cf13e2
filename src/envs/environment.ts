/**
 * What the registry (registry.ts) knows of an environment: enough to validate a training run's
 * `env:` section and build the environments it plays. The environments themselves implement
 * `MultiAgentEnv` (core/env.ts).
 */
import type { z } from "zod";
import type { MultiAgentEnv } from "../core/env.ts";

/** The two environments a training run plays: training episodes and greedy evaluations. */
export interface TrainingEnvs {
  env: MultiAgentEnv;
  evalEnv: MultiAgentEnv;
}

/** A metric the CLI shows for every training episode (progress bar, closing summary). */
export interface HeadlineMetric {
  readonly label: string;
  /** The key of the environment's `infos.extra` (logged as `env.<key>`). */
  readonly key: string;
  readonly digits: number;
  readonly unit?: string;
}

export interface EnvironmentEntry {
  readonly name: string;
  /** One line for `--help` and errors. */
  readonly summary: string;
  /** What the CLI shows per episode beside the reward, in order. */
  readonly headline: readonly HeadlineMetric[];
  /** The `env:` section of a training run config: its keys, defaults and ranges. */
  readonly trainSchema: z.ZodObject;
  /** The environments of a validated `env:` section (`demand`: a trip file, where it applies). */
  build(env: Record<string, unknown>, options: { demand?: string }): Promise<TrainingEnvs>;
}
