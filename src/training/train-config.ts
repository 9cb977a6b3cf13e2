/**
 * Every hyperparameter of a training run in one validated schema, with OSPO's published
 * defaults (DESIGN §3; the reference implementation's train.py / Worker.py). The same schema
 * validates config files, checkpoints' stored configs and programmatic options.
 */
import { z } from "zod";
import { BASELINE_NAMES } from "../algorithms/baselines.ts";
import { POST_DECISION_COMBINES } from "../algorithms/post-decision.ts";
import { ALGORITHM_NAMES, algorithmByName } from "../algorithms/registry.ts";
import { SURROGATE_NAMES } from "../algorithms/surrogates.ts";
import { UserError } from "../core/errors.ts";
import { validate } from "../core/validate.ts";

/** ε that `epsilonDecay: "auto"` reaches at half the episode budget. */
export const AUTO_EPSILON_TARGET = 0.01;

const positive = () => z.number().positive();
const unit = () => z.number().min(0).max(1);
const hidden = () => z.array(z.number().int().min(1).max(4096)).min(1).max(8);

export const TrainConfigSchema = z
  .object({
    algo: z.enum(ALGORITHM_NAMES).default("ospo").describe(ALGORITHM_NAMES.join(" | ")),
    surrogate: z
      .enum(SURROGATE_NAMES)
      .optional()
      .describe(
        "replace the algorithm's policy surrogate: clip (PPO's), etr (elastic trust regions), bpo (bounded ratio), mdpo (mirror descent); unset = the algorithm's own",
      ),
    baseline: z
      .enum(BASELINE_NAMES)
      .optional()
      .describe(
        "group baseline of a critic-free algorithm: mean (z-score, OSPO/GRPO) or median (median-centred, MC-GRPO); unset = the algorithm's own",
      ),
    seed: z.number().int().min(0).max(0xffffffff).default(0).describe("drives everything"),
    episodes: z.number().int().min(1).default(1000).describe("training episodes in total"),
    evalEvery: z.number().int().min(1).default(10).describe("evaluate every N episodes"),
    evalAtStart: z
      .boolean()
      .default(true)
      .describe(
        "also evaluate the untrained policy (eval.jsonl's episode 0, the curve's first point; it does not compete for best.safetensors)",
      ),
    evalSeeds: z
      .array(z.number().int().min(0).max(0xffffffff))
      .min(1)
      .default([100_000, 100_001, 100_002])
      .describe("environment seeds of the greedy evaluation episodes"),
    checkpointEvery: z.number().int().min(1).default(1).describe("checkpoint every N episodes"),
    rollouts: z
      .number()
      .int()
      .min(1)
      .default(1)
      .describe(
        "episodes collected per update (each with its own seed and ε; their advantages are computed per episode, the minibatches drawn from all of them)",
      ),
    policyLag: z
      .number()
      .int()
      .min(0)
      .max(16)
      .default(0)
      .describe(
        "play each update's episodes with the weights of this many updates before (0: the current ones); their behaviour probabilities go into the ratio, so the update stays correct, and players can play the next updates' episodes while the learner updates (fleetrl learner's actors do); the run stays reproducible",
      ),

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
    minibatch: z
      .enum(["without-replacement", "with-replacement"])
      .default("without-replacement")
      .describe(
        "how a minibatch is drawn from the episode's m decisions: min(batchSize, m) distinct ones, or min(batchSize, m) uniform draws with replacement (OSPO's Buffer.sample: np.random.randint(0, num, size))",
      ),

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
      .enum(["k1", "k2", "k3", "full", "mean"])
      .default("full")
      .describe(
        "KL(π‖π_ref) estimator per decision: k1/k2/k3 at the taken action, full = Σ_k π(k)(log π(k) − log π_ref(k)) over the candidates, or mean = that sum ÷ the number of candidates (OSPO's published kl_mode 2)",
      ),

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
    explorationUnit: z
      .enum(["vehicle", "pair"])
      .default("vehicle")
      .describe(
        "what ε-greedy explores: vehicle = with prob. ε a vehicle's matching weights become uniform draws; pair = with prob. ε each (vehicle, candidate) pair is forced to the top of the matching (OSPO's published rule)",
      ),
    epsilon: unit().default(1.0).describe("initial ε"),
    epsilonDecay: z
      .union([z.number().gt(0).max(1), z.literal("auto")], {
        error: 'expected a number in (0, 1] or "auto"',
      })
      .default(0.99)
      .describe(
        `ε × epsilonDecay per episode; "auto": the decay that brings ε to ${AUTO_EPSILON_TARGET} at half the episodes, (${AUTO_EPSILON_TARGET}/ε0)^(2/episodes)`,
      ),
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
    grpoAdvantage: z
      .enum(["step-returns", "z-rewards"])
      .default("step-returns")
      .describe(
        "GRPO's group baseline: z-score each decision's raw return-to-go against the fleet's at the same step (step-returns), or z-score rewards over the episode then sum the reward-to-go (z-rewards; learned unreliably on ospo-paper, docs/results.md)",
      ),

    etrMicro: z
      .number()
      .min(0)
      .default(0.5)
      .describe("ETR: the clip range × (1 + etrMicro·|A|/(1+|A|)) (our choice of form and value)"),
    etrMacro: z
      .number()
      .min(0)
      .default(0.5)
      .describe("ETR: the clip range × (1 + etrMacro·s), s = group spread in [0, 1] (our choice)"),
    bpoTemperature: positive()
      .default(1e-4)
      .describe("BPO: temperature of the sigmoid picking the target ratio (the authors' GBPO)"),
    mdpoKlCoef: positive()
      .default(3)
      .describe("MDPO: 1/t, weight of the KL proximity term to the behaviour policy (our choice)"),
    postDecisionAdvantage: z
      .enum(POST_DECISION_COMBINES)
      .default("max")
      .describe(
        "PDPPO: how the state critic's and the post-decision critic's GAE advantages combine: max (the paper's) or mean (ours)",
      ),

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
  const config = validate(TrainConfigSchema, value ?? {}, source);
  // Checked here, not in the schema: zod cannot omit()/pick() keys of a refined object schema.
  if (config.baseline !== undefined && algorithmByName(config.algo).critic !== "none")
    throw new UserError(
      `${source}: baseline: a group baseline applies to critic-free algorithms; "${config.algo}" has a critic (got "${config.baseline}")`,
    );
  return config;
}

/**
 * The decay of `epsilonDecay: "auto"`: the d with ε0·d^(episodes/2) = AUTO_EPSILON_TARGET, i.e.
 * d = (0.01/ε0)^(2/episodes), so that a run spends its second half (mostly) exploiting. ε itself
 * is still max(epsilonFloor, ε0·d^e). d = 1 (no decay) when ε0 is already at or below the target.
 *
 * @example
 * autoEpsilonDecay(1, 200); // 0.01^(1/100) ≈ 0.95499: ε = 0.01 after 100 of 200 episodes
 * autoEpsilonDecay(1, 1000); // ≈ 0.99083 (the published fixed 0.99 reaches 0.01 after 459)
 */
export function autoEpsilonDecay(epsilon0: number, episodes: number): number {
  if (!(episodes >= 1))
    throw new RangeError(`autoEpsilonDecay: episodes must be ≥ 1 (got ${episodes})`);
  if (!(epsilon0 > AUTO_EPSILON_TARGET)) return 1;
  return (AUTO_EPSILON_TARGET / epsilon0) ** (2 / episodes);
}

/**
 * The per-episode ε decay a config means: its number, or autoEpsilonDecay(epsilon, episodes).
 *
 * @example
 * epsilonDecayOf(parseTrainConfig({ epsilonDecay: "auto", episodes: 200 })); // ≈ 0.95499
 */
export function epsilonDecayOf(
  config: Pick<TrainConfig, "epsilon" | "epsilonDecay" | "episodes">,
): number {
  return config.epsilonDecay === "auto"
    ? autoEpsilonDecay(config.epsilon, config.episodes)
    : config.epsilonDecay;
}
