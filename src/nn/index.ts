/**
 * Networks on jax-js. Nothing exported here exposes jax arrays or reference counts: parameters are
 * flat Float32Arrays, inference returns Float32Arrays, losses are written with the Tensor facade
 * (ops.ts) inside callbacks that nn/ runs in a scope which frees every intermediate.
 */
export { initBackend } from "./backend.ts";
export { type HostTensor, type LossAndGrad, type LossFn, lossAndGrad } from "./grad.ts";
export {
  forwardJs,
  initParams,
  layerDims,
  type MlpConfig,
  mlpConfig,
  type ParamEntry,
  paramCount,
  paramManifest,
} from "./mlp.ts";
export { type CandidatePolicy, Critic, Mlp, type NetworkKind, PairScorer } from "./network.ts";
export {
  type Expected,
  type LoadedNetworks,
  loadNetworks,
  networkTensors,
  type SaveExtras,
  saveNetworks,
  WEIGHTS_FORMAT,
} from "./network-io.ts";
export type { Tensor } from "./ops.ts";
export * as ops from "./ops.ts";
export {
  decodeSafetensors,
  encodeSafetensors,
  type NamedTensor,
  readSafetensors,
  type SafetensorsContent,
  writeSafetensors,
} from "./safetensors.ts";
export { maskedSoftmaxRows } from "./softmax.ts";
