/**
 * Training checkpoints: ONE safetensors file (written atomically by nn/'s saveNetworks: temp file
 * + rename) holding
 *   - the networks: `policy` (pair scorer), `reference` (π_ref, OSPO/GRPO), `critic` (IPPO/MAPPO),
 *     `postCritic` (the post-decision critic, PDPPO);
 *   - the Adam moments as extra tensors `adam.policy.m`, `adam.policy.v` (and `adam.critic.*`,
 *     `adam.postCritic.*`);
 *   - with a policy lag, the weights the next batches are played with: `lagged.K.policy` (and
 *     `lagged.K.critic`), their versions in the metadata;
 *   - metadata `fleetrl.checkpoint`: JSON with the format version, the full training config, the
 *     environment's sizes, the trainer counters (episodes done, KL phase, best evaluation), the
 *     Adam step counts and the states of the random streams.
 * A checkpoint therefore restarts training exactly where it stopped (see trainer.ts). Loading
 * validates everything and throws a UserError naming the file and the field.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { z } from "zod";
import type { AdamState } from "../algorithms/optim.ts";
import { algorithmByName } from "../algorithms/registry.ts";
import { inputError, UserError } from "../core/errors.ts";
import {
  type Critic,
  type Expected,
  loadNetworks,
  mlpConfig,
  type NamedTensor,
  type PairScorer,
  saveNetworks,
} from "../nn/index.ts";
import { parseTrainConfig, type TrainConfig } from "./train-config.ts";

export const CHECKPOINT_FORMAT = "fleetrl-checkpoint/1";
const META_KEY = "fleetrl.checkpoint";

/** The environment sizes a checkpoint was trained on (must match to resume or run it). */
export interface EnvShape {
  numAgents: number;
  agentFeatureDim: number;
  pairFeatureDim: number;
  globalStateDim: number;
  /** Post-decision feature width, only when the environment declares some (> 0). */
  postDecisionFeatureDim?: number;
}

/** Counters of the training loop (everything that is not a tensor or a random stream). */
export interface TrainerCounters {
  /** Episodes completed. */
  episode: number;
  /** OSPO's β schedule: true once an evaluation failed to improve (β = klCoef from then on). */
  klEnabled: boolean;
  /** Best mean evaluation reward so far, or null before the first evaluation. */
  bestEval: number | null;
  /** Episode count at which bestEval was reached (0 if none). */
  bestEpisode: number;
  /** ε and lr of the last completed episode (informational; both follow from `episode`). */
  epsilon: number;
  lr: number;
  /** β at the end of the last completed episode (informational). */
  beta: number;
}

export interface CheckpointData {
  config: TrainConfig;
  env: EnvShape;
  counters: TrainerCounters;
  /** Random stream states by name (e.g. exploration, minibatch). */
  rng: Record<string, [number, number, number, number]>;
  policy: PairScorer;
  reference?: PairScorer;
  critic?: Critic;
  postCritic?: Critic;
  adam: { policy: AdamState; critic?: AdamState; postCritic?: AdamState };
  /** Policy lag: the weights of the last updates' starts, oldest first, with their versions. */
  lagged?: { version: number; weights: { policy: Float32Array; critic: Float32Array | null } }[];
}

const NETWORK_NAMES = ["policy", "reference", "critic", "postCritic"] as const;
type NetworkName = (typeof NETWORK_NAMES)[number];
const u32 = z.number().int().min(0).max(0xffffffff);
const MetaSchema = z
  .object({
    format: z.literal(CHECKPOINT_FORMAT),
    config: z.unknown(),
    env: z
      .object({
        numAgents: z.number().int().min(1),
        agentFeatureDim: z.number().int().min(0),
        pairFeatureDim: z.number().int().min(1),
        globalStateDim: z.number().int().min(0),
        postDecisionFeatureDim: z.number().int().min(1).optional(),
      })
      .strict(),
    counters: z
      .object({
        episode: z.number().int().min(0),
        klEnabled: z.boolean(),
        bestEval: z.number().nullable(),
        bestEpisode: z.number().int().min(0),
        epsilon: z.number().min(0).max(1),
        lr: z.number().min(0),
        beta: z.number().min(0),
      })
      .strict(),
    rng: z.record(z.string(), z.tuple([u32, u32, u32, u32])),
    adamSteps: z
      .object({
        policy: z.number().int().min(0),
        critic: z.number().int().min(0).optional(),
        postCritic: z.number().int().min(0).optional(),
      })
      .strict(),
    networks: z.array(z.enum(NETWORK_NAMES)),
    lagged: z.array(z.number().int().min(0)).optional(),
  })
  .strict();

/** Write a checkpoint atomically (creates the folder). */
export function saveCheckpoint(path: string, data: CheckpointData): void {
  mkdirSync(dirname(path), { recursive: true });
  const networks: Record<string, PairScorer | Critic> = { policy: data.policy };
  if (data.reference) networks.reference = data.reference;
  if (data.critic) networks.critic = data.critic;
  if (data.postCritic) networks.postCritic = data.postCritic;
  const tensors: NamedTensor[] = [];
  const moments = (name: string, s: AdamState) => {
    tensors.push({ name: `adam.${name}.m`, shape: [s.m.length], data: s.m });
    tensors.push({ name: `adam.${name}.v`, shape: [s.v.length], data: s.v });
  };
  moments("policy", data.adam.policy);
  if (data.adam.critic) moments("critic", data.adam.critic);
  if (data.adam.postCritic) moments("postCritic", data.adam.postCritic);
  for (const [k, { weights }] of (data.lagged ?? []).entries()) {
    tensors.push({
      name: `lagged.${k}.policy`,
      shape: [weights.policy.length],
      data: weights.policy,
    });
    if (weights.critic)
      tensors.push({
        name: `lagged.${k}.critic`,
        shape: [weights.critic.length],
        data: weights.critic,
      });
  }
  const meta: z.input<typeof MetaSchema> = {
    format: CHECKPOINT_FORMAT,
    config: data.config,
    env: data.env,
    counters: data.counters,
    rng: data.rng,
    adamSteps: {
      policy: data.adam.policy.step,
      critic: data.adam.critic?.step,
      postCritic: data.adam.postCritic?.step,
    },
    networks: Object.keys(networks) as NetworkName[],
    lagged: data.lagged?.length ? data.lagged.map((l) => l.version) : undefined,
  };
  saveNetworks(path, networks, { tensors, metadata: { [META_KEY]: JSON.stringify(meta) } });
}

export interface LoadExpectations {
  /** The environment the checkpoint will run on: its sizes must match the stored ones. */
  env?: EnvShape;
  /** The algorithm the caller asked for (e.g. `--algo`): must match the stored one. */
  algo?: TrainConfig["algo"];
}

/**
 * Read and validate a checkpoint. Any problem (unreadable or corrupt file, not a checkpoint,
 * invalid stored config, other environment sizes, other algorithm, network shapes that do not
 * follow from the config) is a UserError naming `path` and the field.
 */
export function loadCheckpoint(path: string, expect: LoadExpectations = {}): CheckpointData {
  const metaField = `__metadata__.${META_KEY}`;
  const { content: probe } = loadNetworks(path, {}); // validates the file and the format tag
  const raw = probe.metadata[META_KEY];
  if (raw === undefined)
    throw inputError(path, {
      field: metaField,
      expected: "a fleetrl training checkpoint",
      got: "missing",
    });
  let parsedJson: unknown;
  try {
    parsedJson = JSON.parse(raw);
  } catch {
    throw inputError(path, { field: metaField, expected: "JSON", got: raw.slice(0, 80) });
  }
  const result = MetaSchema.safeParse(parsedJson);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new UserError(`${path}: ${metaField}.${issue.path.join(".")}: ${issue.message}`);
  }
  const meta = result.data;
  const config = parseTrainConfig(meta.config, `${path}: ${metaField}.config`);
  if (expect.algo !== undefined && expect.algo !== config.algo)
    throw inputError(path, {
      field: `${metaField}.config.algo`,
      expected: `"${expect.algo}" (the requested algorithm)`,
      got: config.algo,
    });
  if (expect.env) {
    for (const key of Object.keys(expect.env) as (keyof EnvShape)[]) {
      // the post-decision width matters only to a post-decision critic (older checkpoints of an
      // environment that declares it since have none)
      const skip = key === "postDecisionFeatureDim" && !meta.networks.includes("postCritic");
      if (!skip && expect.env[key] !== meta.env[key])
        throw inputError(path, {
          field: `${metaField}.env.${key}`,
          expected: `${expect.env[key]} (the environment's)`,
          got: meta.env[key],
        });
    }
  }
  const policyConfig = mlpConfig({
    inputDim: meta.env.pairFeatureDim,
    hidden: config.policyHidden,
  });
  const wanted: Record<string, Expected> = {};
  for (const name of meta.networks) {
    const critic = (inputDim: number): Expected => ({
      kind: "critic",
      config: mlpConfig({ inputDim, hidden: config.criticHidden }),
    });
    wanted[name] =
      name === "critic"
        ? critic(criticDim(config, meta.env))
        : name === "postCritic"
          ? critic(postDecisionDim(config, meta.env))
          : { kind: "pair-scorer", config: policyConfig };
  }
  if (!meta.networks.includes("policy"))
    throw inputError(path, {
      field: `${metaField}.networks`,
      expected: 'a "policy" network',
      got: meta.networks,
    });
  const { networks, content } = loadNetworks(path, wanted);
  const moments = (name: string, step: number): AdamState => {
    const get = (part: "m" | "v") => {
      const t = content.tensors.get(`adam.${name}.${part}`);
      const size = networks[name].params.length;
      if (!t || t.data.length !== size)
        throw inputError(path, {
          field: `adam.${name}.${part}`,
          expected: `a tensor of ${size} values`,
          got: t ? `${t.data.length} values` : "missing",
        });
      return t.data;
    };
    return { step, m: get("m"), v: get("v") };
  };
  const critic = networks.critic as Critic | undefined;
  const postCritic = networks.postCritic as Critic | undefined;
  for (const [name, net] of [
    ["critic", critic],
    ["postCritic", postCritic],
  ] as const) {
    if (net && meta.adamSteps[name] === undefined)
      throw inputError(path, {
        field: `${metaField}.adamSteps.${name}`,
        expected: "a step count",
        got: "missing",
      });
  }
  const lagged = (meta.lagged ?? []).map((version, k) => {
    const get = (name: "policy" | "critic", size: number) => {
      const t = content.tensors.get(`lagged.${k}.${name}`);
      if (!t || t.data.length !== size)
        throw inputError(path, {
          field: `lagged.${k}.${name}`,
          expected: `a tensor of ${size} values (the weights of episode ${version})`,
          got: t ? `${t.data.length} values` : "missing",
        });
      return t.data;
    };
    const policy = get("policy", networks.policy.params.length);
    return {
      version,
      weights: { policy, critic: critic ? get("critic", critic.params.length) : null },
    };
  });
  return {
    config,
    env: meta.env,
    counters: meta.counters,
    rng: meta.rng as CheckpointData["rng"],
    policy: networks.policy as PairScorer,
    reference: networks.reference as PairScorer | undefined,
    critic,
    postCritic,
    adam: {
      policy: moments("policy", meta.adamSteps.policy),
      critic: critic ? moments("critic", meta.adamSteps.critic!) : undefined,
      postCritic: postCritic ? moments("postCritic", meta.adamSteps.postCritic!) : undefined,
    },
    lagged,
  };
}

/** Width of the critic's input row for `config.algo` on an environment of shape `env`. */
export function criticDim(config: TrainConfig, env: EnvShape): number {
  const input = algorithmByName(config.algo).critic;
  if (input === "agent") return env.agentFeatureDim;
  if (input === "global+agent") return env.globalStateDim + env.agentFeatureDim;
  return 0;
}

/**
 * Width of the post-decision critic's input row for `config.algo` (0: the recipe has none):
 * the post-decision features, after the global state for "global+post".
 */
export function postDecisionDim(config: TrainConfig, env: EnvShape): number {
  const input = algorithmByName(config.algo).postDecisionCritic;
  const features = env.postDecisionFeatureDim ?? 0;
  if (input === undefined || features === 0) return 0;
  return input === "global+post" ? env.globalStateDim + features : features;
}

/**
 * The policy of a checkpoint or of a `best.safetensors` file (both hold a "policy" network), to
 * play it: `selectJointAction(obs, loadPolicy(path).scores(obs.candFeatures, n))`, or as a
 * dispatcher, `policyDispatcher(loadPolicy(path), geometry, "probability")`.
 */
export function loadPolicy(path: string, pairFeatureDim?: number): PairScorer {
  const probe = loadNetworks(path, { policy: { kind: "pair-scorer" } }).networks
    .policy as PairScorer;
  if (pairFeatureDim !== undefined && probe.config.inputDim !== pairFeatureDim)
    throw inputError(path, {
      field: "__metadata__.policy.config",
      expected: `a policy reading ${pairFeatureDim} pair features (the environment's)`,
      got: `${probe.config.inputDim} inputs`,
    });
  return probe;
}

/**
 * The training config stored in a policy file — a checkpoint (`fleetrl.checkpoint`) or a
 * `best.safetensors` (`config`) — or null if the file carries none.
 */
export function trainConfigOf(path: string): TrainConfig | null {
  const { metadata } = loadNetworks(path, {}).content;
  const inCheckpoint = metadata[META_KEY] !== undefined;
  const raw = inCheckpoint ? metadata[META_KEY] : metadata.config;
  if (raw === undefined) return null;
  const field = `__metadata__.${inCheckpoint ? META_KEY : "config"}`;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw inputError(path, { field, expected: "JSON", got: raw.slice(0, 80) });
  }
  const config = inCheckpoint ? (value as { config?: unknown }).config : value;
  return parseTrainConfig(config, `${path}: ${field}`);
}
