/**
 * Saving and loading networks as safetensors (format in safetensors.ts). One file can hold several
 * networks (e.g. "policy", "reference", "critic"), each stored as `<net>.layer{i}.weight` [in, out]
 * and `<net>.layer{i}.bias` [out], with metadata `<net>.config` (the MlpConfig as JSON) and
 * `<net>.kind`, plus `format: "fleetrl-mlp/1"`. A browser only needs a safetensors reader and
 * y = leakyRelu(x·W + b) to run a saved policy. Extra tensors (optimizer moments) and metadata
 * ride along for checkpoints.
 */
import { inputError } from "../core/errors.ts";
import { type MlpConfig, paramCount, paramManifest } from "./mlp.ts";
import { Critic, type Mlp, type NetworkKind, PairScorer } from "./network.ts";
import {
  type NamedTensor,
  readSafetensors,
  type SafetensorsContent,
  writeSafetensors,
} from "./safetensors.ts";

export const WEIGHTS_FORMAT = "fleetrl-mlp/1";

type Network = PairScorer | Critic;

export interface SaveExtras {
  tensors?: NamedTensor[];
  metadata?: Record<string, string>;
}

/** The tensors of one network under `prefix.` (manifest order, views on the flat parameters). */
export function networkTensors(prefix: string, net: Mlp): NamedTensor[] {
  return paramManifest(net.config).map((e) => ({
    name: `${prefix}.${e.name}`,
    shape: e.shape,
    data: net.params.subarray(e.offset, e.offset + e.size),
  }));
}

/** Write `networks` (by name) and extras to `path` atomically. */
export function saveNetworks(
  path: string,
  networks: Record<string, Network>,
  extras: SaveExtras = {},
): void {
  const metadata: Record<string, string> = { ...extras.metadata, format: WEIGHTS_FORMAT };
  const tensors: NamedTensor[] = [];
  for (const [name, net] of Object.entries(networks)) {
    metadata[`${name}.config`] = JSON.stringify(net.config);
    metadata[`${name}.kind`] = net.kind;
    tensors.push(...networkTensors(name, net));
  }
  tensors.push(...(extras.tensors ?? []));
  writeSafetensors(path, tensors, metadata);
}

export interface Expected {
  kind: NetworkKind;
  /** When given, the stored config must equal it (e.g. the feature size the environment produces). */
  config?: MlpConfig;
}

export interface LoadedNetworks {
  networks: Record<string, Network>;
  /** Everything in the file, for extras such as optimizer state. */
  content: SafetensorsContent;
}

/** Load and validate the networks named in `expected` from `path`; errors are UserErrors naming the field. */
export function loadNetworks(path: string, expected: Record<string, Expected>): LoadedNetworks {
  const content = readSafetensors(path);
  const { metadata, tensors } = content;
  if (metadata.format !== WEIGHTS_FORMAT)
    throw inputError(path, {
      field: "__metadata__.format",
      expected: `"${WEIGHTS_FORMAT}"`,
      got: metadata.format,
    });
  const networks: Record<string, Network> = {};
  for (const [name, want] of Object.entries(expected)) {
    const kind = metadata[`${name}.kind`];
    if (kind !== want.kind)
      throw inputError(path, {
        field: `__metadata__.${name}.kind`,
        expected: `"${want.kind}"`,
        got: kind,
      });
    const config = parseConfig(path, name, metadata[`${name}.config`]);
    if (want.config && JSON.stringify(normalise(config)) !== JSON.stringify(normalise(want.config)))
      throw inputError(path, {
        field: `__metadata__.${name}.config`,
        expected: `${describe(want.config)} (the configured network)`,
        got: describe(config),
      });
    const params = new Float32Array(paramCount(config));
    for (const e of paramManifest(config)) {
      const t = tensors.get(`${name}.${e.name}`);
      if (!t)
        throw inputError(path, {
          field: `${name}.${e.name}`,
          expected: `a tensor of shape [${e.shape}]`,
          got: "missing",
        });
      if (t.shape.join(",") !== e.shape.join(","))
        throw inputError(path, {
          field: `${name}.${e.name}.shape`,
          expected: `[${e.shape}]`,
          got: t.shape,
        });
      params.set(t.data, e.offset);
    }
    networks[name] =
      want.kind === "pair-scorer" ? new PairScorer(config, params) : new Critic(config, params);
  }
  return { networks, content };
}

function parseConfig(path: string, name: string, raw: string | undefined): MlpConfig {
  const field = `__metadata__.${name}.config`;
  const expected = "a JSON MLP config {inputDim, hidden, outputDim, negativeSlope, init}";
  if (raw === undefined) throw inputError(path, { field, expected, got: "missing" });
  let c: MlpConfig;
  try {
    c = JSON.parse(raw);
  } catch {
    throw inputError(path, { field, expected, got: raw });
  }
  const dims = [c?.inputDim, ...(Array.isArray(c?.hidden) ? c.hidden : [undefined]), c?.outputDim];
  if (
    !dims.every((d) => Number.isInteger(d) && (d as number) > 0) ||
    typeof c.negativeSlope !== "number" ||
    (c.init !== "torch" && c.init !== "he")
  )
    throw inputError(path, { field, expected, got: raw });
  return c;
}

const normalise = (c: MlpConfig) => ({
  inputDim: c.inputDim,
  hidden: c.hidden,
  outputDim: c.outputDim,
  negativeSlope: c.negativeSlope,
});

const describe = (c: MlpConfig) =>
  `${[c.inputDim, ...c.hidden, c.outputDim].join("→")} (slope ${c.negativeSlope})`;
