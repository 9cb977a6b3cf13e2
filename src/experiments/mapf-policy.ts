/**
 * A trained MAPF policy as a controller beside the baselines (envs/mapf/baselines.ts), and every
 * MAPF controller by name (`findMapfDispatcher`): `random`, `shortest-path`, `whca[-W]` or
 * `policy:<checkpoint>`. The policy plays exactly what the trainer's greedy evaluation plays —
 * its logits on the observation's candidate rows and `selectJointAction` with ε = 0 on the
 * matching weights it was trained with — so `simulate` on an evaluation seed reproduces the
 * training log's evaluation row (test/experiments/mapf-cli.test.ts).
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { selectJointAction } from "../algorithms/joint-action.ts";
import { UserError } from "../core/errors.ts";
import { RUN_FILES } from "../core/run-layout.ts";
import { MAPF_BASELINES, type MapfDispatcher, mapfBaseline } from "../envs/mapf/baselines.ts";
import type { MapfTrainConfig } from "../envs/mapf/entry.ts";
import type { MapfEnv } from "../envs/mapf/mapf-env.ts";
import { MatchingWorkspace } from "../matching/sparse.ts";
import { initBackend } from "../nn/index.ts";
import { loadPolicy, trainConfigOf } from "../training/checkpoint.ts";
import { readRunConfig } from "./run-config.ts";

export const MAPF_DISPATCHER_NAMES = [...MAPF_BASELINES.map((d) => d.name), "whca-W"];

/**
 * The environment a checkpoint was trained on, from the run directory it sits in (its
 * config.json): `{ environment, env }`, or null when the file has no run directory.
 */
export function checkpointEnvironment(
  checkpoint: string,
): { environment: string; env: Record<string, unknown> } | null {
  if (!existsSync(join(dirname(checkpoint), RUN_FILES.config))) return null;
  const run = readRunConfig(dirname(checkpoint));
  return { environment: run.environment, env: run.env };
}

/** The `env:` section a mapf checkpoint was trained with; another environment's is refused. */
export function mapfEnvOfCheckpoint(checkpoint: string): MapfTrainConfig | null {
  if (!existsSync(checkpoint)) throw new UserError(`${checkpoint}: no such checkpoint`);
  const trained = checkpointEnvironment(checkpoint);
  if (trained === null) return null;
  if (trained.environment !== "mapf")
    throw new UserError(
      `${checkpoint}: a policy of the ${trained.environment} environment, not mapf (drop --env mapf to play it)`,
    );
  return trained.env as MapfTrainConfig;
}

/** A checkpoint's policy as a controller of `env` (whose features it must read). */
export async function mapfPolicyDispatcher(
  checkpoint: string,
  env: MapfEnv,
): Promise<MapfDispatcher> {
  if (!existsSync(checkpoint)) throw new UserError(`${checkpoint}: no such checkpoint`);
  await initBackend();
  const policy = loadPolicy(checkpoint, env.spec.pairFeatureDim);
  const config = trainConfigOf(checkpoint);
  const workspace = new MatchingWorkspace();
  return {
    name: `policy:${checkpoint}`,
    summary: `the ${config?.algo ?? "trained"} policy of ${checkpoint} (greedy)`,
    act: (_env, obs) => {
      const n = obs.candPtr[obs.candPtr.length - 1];
      const logits = n > 0 ? policy.scores(obs.candFeatures, n) : new Float32Array(0);
      return selectJointAction(obs, logits, {
        mode: "match",
        epsilon: 0,
        explorationUnit: config?.explorationUnit,
        workspace,
        weights: config?.matchWeight ?? "probability",
      }).actions;
    },
  };
}

/** A baseline by name or `policy:<checkpoint>` playing `env`; anything else is a user error. */
export async function findMapfDispatcher(name: string, env: MapfEnv): Promise<MapfDispatcher> {
  const known = mapfBaseline(name);
  if (known) return known;
  if (name.startsWith("policy:")) {
    const path = name.slice("policy:".length);
    mapfEnvOfCheckpoint(path); // refuses another environment's policy by name
    return mapfPolicyDispatcher(path, env);
  }
  throw new UserError(
    `dispatcher: expected one of ${MAPF_DISPATCHER_NAMES.join(", ")} or policy:<checkpoint> for --env mapf (got ${JSON.stringify(name)})`,
  );
}
