/**
 * Every hyperparameter of a training run in one validated schema, with OSPO's published
 * defaults (DESIGN §3; the reference implementation's train.py / Worker.py). The same schema
 * validates config files, checkpoints' stored configs and programmatic options.
 */
import { z } from "zod";
import { ALGORITHM_NAMES } from "../algorithms/algorithm.ts";
import { validate } from "../core/validate.ts";

const positive = () => z.number().positive();
const unit = () => z.number().min(0).max(1);
const hidden = () => z.array(z.number().int().min(1).max(4096)).min(1).max(8);

export const TrainConfigSchema = z
  .object({
    algo: z.enum(ALGORITHM_NAMES).default("ospo").describe("ospo | grpo | ippo | mappo"),
    seed: z.number().int().min(0).max(0xffffffff).default(0).describe("drives everything"),
    episodes: z.number().int().min(1).default(1000).describe("training episodes in total"),
    evalEvery: z.number().int().min(1).default(10).describe("evaluate every N episodes"),
    evalSeeds: z
      .array(z.number().int().min(0).max(0xffffffff))
      .min(1)
      .default([100_000, 100_001, 100_002])
      .describe("environment seeds of the greedy evaluation episodes"),
    checkpointEvery: z.number().int().min(1).default(1).describe("checkpoint every N episodes"),

    lr: positive().default(1e-5).describe("Adam learning rate of the policy"),
    lrDecay: z.number().gt(0).max(1).default(0.99).describe("lr × lrDecay per episode"),
    gradClip: positive().default(1.0).describe("global gradient-norm clip"),
    updatesPerEpisode: z
      .number()
      .int()
      .min(1)
      .default(10)
      .describe("minibatch updates per episode"),
    batchSize: z.number().int().min(1).default(256).describe("decisions per minibatch"),

    clipLow: unit().default(0.2).describe("ratio clipped below at 1 − clipLow"),
    clipHigh: z.number().min(0).default(0.28).describe("ratio clipped above at 1 + clipHigh"),
    entropyCoef: z.number().min(0).default(0.05).describe("entropy bonus weight"),
    klCoef: z.number().min(0).default(0.5).describe("β once the KL penalty is switched on"),
    klTarget: positive().default(0.01).describe("KL above this doubles β and skips the batch"),
    klGuard: z
      .enum(["behaviour", "reference"])
      .default("behaviour")
      .describe(
        "which KL above klTarget skips a batch: to this episode's behaviour policy (a trust region), or to π_ref (OSPO's rule; can freeze training)",
      ),
    klEstimator: z
      .enum(["k1", "k2", "k3", "full"])
      .default("full")
      .describe("KL(π‖π_ref) estimator"),

    matchWeight: z
      .enum(["probability", "score"])
      .default("probability")
      .describe(
        "what the joint action's matching maximises: per-vehicle softmax probabilities (OSPO's rule) or exp(logit) scores, comparable across vehicles",
      ),
    exploration: z
      .enum(["epsilon-greedy", "sample"])
      .default("epsilon-greedy")
      .describe("ε-greedy inside the matching, or sampling from the policy"),
    epsilon: unit().default(1.0).describe("initial ε"),
    epsilonDecay: z.number().gt(0).max(1).default(0.99).describe("ε × epsilonDecay per episode"),
    epsilonFloor: unit().default(5e-4).describe("ε never goes below this"),

    gamma: z.number().gt(0).max(1).default(0.99).describe("discount per minute (GRPO, GAE)"),
    gaeLambda: unit().default(0.95).describe("GAE λ (IPPO, MAPPO)"),
    bootstrapTruncated: z
      .boolean()
      .default(false)
      .describe(
        "bootstrap a truncated agent's return with the critic's value of its last state; false (default): the window's end ends the task (value 0), as the episode reward counts only the window",
      ),
    fairnessCoef: z.number().min(0).default(1).describe("weight of OSPO's fairness term Δσ"),

    criticLr: positive().default(5e-4).describe("Adam learning rate of the critic (× lrDecay)"),
    valueClip: positive().optional().describe("PPO value clipping (none by default)"),

    policyHidden: hidden().default([128, 128]).describe("hidden widths of the pair scorer"),
    criticHidden: hidden().default([128, 128]).describe("hidden widths of the critic"),
  })
  .strict();

export type TrainConfig = z.output<typeof TrainConfigSchema>;
export type TrainConfigInput = z.input<typeof TrainConfigSchema>;

/**
 * Validate and default a training config; a bad value throws a UserError naming `source` and
 * the field.
 *
 * @example
 * parseTrainConfig({ algo: "grpo", lr: 1e-3 }).clipHigh; // 0.28
 * parseTrainConfig({ lr: -1 }, "run.yaml"); // UserError "run.yaml: lr: Too small: …"
 */
export function parseTrainConfig(value: unknown, source = "training config"): TrainConfig {
  return validate(TrainConfigSchema, value ?? {}, source);
}
