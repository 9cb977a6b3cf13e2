/**
 * The bytes that travel through Redis: a played episode (its typed arrays as they are, plus a
 * small JSON header with the totals, the episode and the weight version it was played with) and
 * a weights snapshot. Arrays are copied out on decode so every one is aligned and owns its
 * buffer, whatever Buffer slab the client handed over.
 *
 * Layout: "FRL" + kind byte, u32 header length, header JSON (UTF-8), zero padding to a multiple
 * of 8, then each array's bytes, each padded to a multiple of 8.
 */
import { UserError } from "../core/errors.ts";
import type { EpisodeRecord } from "../training/experience.ts";
import type { EpisodeTotals, PlayedEpisode, PlayerWeights } from "../training/rollout.ts";

const MAGIC = [0x46, 0x52, 0x4c]; // "FRL"
const KIND = { experience: 0x45, weights: 0x57 } as const; // "E", "W"

type Typed = Float32Array | Float64Array | Int32Array | Uint8Array;
const ARRAY_TYPES = { f32: Float32Array, f64: Float64Array, i32: Int32Array, u8: Uint8Array };
type TypeTag = keyof typeof ARRAY_TYPES;

function tagOf(a: Typed): TypeTag {
  if (a instanceof Float32Array) return "f32";
  if (a instanceof Float64Array) return "f64";
  if (a instanceof Int32Array) return "i32";
  return "u8";
}

const pad8 = (n: number) => (n + 7) & ~7;

function pack(kind: number, header: object, arrays: readonly Typed[]): Buffer {
  const json = Buffer.from(
    JSON.stringify({ ...header, arrays: arrays.map((a) => [tagOf(a), a.length]) }),
  );
  const start = pad8(8 + json.length);
  const total = arrays.reduce((at, a) => at + pad8(a.byteLength), start);
  const out = Buffer.alloc(total);
  out.set(MAGIC, 0);
  out[3] = kind;
  out.writeUInt32LE(json.length, 4);
  json.copy(out, 8);
  let at = start;
  for (const a of arrays) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += pad8(a.byteLength);
  }
  return out;
}

function unpack<H>(kind: number, bytes: Uint8Array, what: string): { header: H; arrays: Typed[] } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 8 || MAGIC.some((m, i) => buf[i] !== m) || buf[3] !== kind)
    throw new UserError(`${what}: not fleetrl ${kind === KIND.weights ? "weights" : "experience"}`);
  const length = buf.readUInt32LE(4);
  const header = JSON.parse(buf.subarray(8, 8 + length).toString("utf8")) as H & {
    arrays: [TypeTag, number][];
  };
  let at = pad8(8 + length);
  const arrays = header.arrays.map(([tag, n]) => {
    const Type = ARRAY_TYPES[tag];
    if (!Type) throw new UserError(`${what}: unknown array type ${tag}`);
    const bytesOf = n * Type.BYTES_PER_ELEMENT;
    if (at + bytesOf > buf.length) throw new UserError(`${what}: truncated`);
    const copy = new Uint8Array(bytesOf);
    copy.set(buf.subarray(at, at + bytesOf));
    at += pad8(bytesOf);
    return new Type(copy.buffer) as Typed;
  });
  return { header, arrays };
}

/** A played episode as it travels from an actor to the learner. */
export interface Experience {
  episode: number;
  /** The weight version (episodes trained into the weights) the episode was played with. */
  version: number;
  /** Who played it (the actor's consumer name), for logs. */
  actor: string;
  played: PlayedEpisode;
}

export function encodeExperience(x: Experience): Buffer {
  const r = x.played.experience;
  const arrays: Typed[] = [r.step, r.agent, r.time, r.reward, r.action, r.logProb, r.value];
  arrays.push(r.ptr, r.features, r.critic, r.end.value, r.end.terminated);
  arrays.push(r.componentWeights, r.components);
  // a post-decision critic's input rows (PDPPO), last and only when recorded
  if (r.post) arrays.push(r.post);
  const header: ExperienceHeader = {
    episode: x.episode,
    version: x.version,
    actor: x.actor,
    totals: x.played.totals,
    numAgents: r.numAgents,
    pairDim: r.pairDim,
    criticDim: r.criticDim,
    postDim: r.post ? (r.postDim ?? 0) : 0,
    endTime: r.end.time,
  };
  return pack(KIND.experience, header, arrays);
}

interface ExperienceHeader {
  episode: number;
  version: number;
  actor: string;
  totals: EpisodeTotals;
  numAgents: number;
  pairDim: number;
  criticDim: number;
  /** 0: no post-decision rows (older messages lack the key). */
  postDim?: number;
  endTime: number;
}

export function decodeExperience(bytes: Uint8Array): Experience {
  const { header: h, arrays } = unpack<ExperienceHeader>(KIND.experience, bytes, "experience");
  const [step, agent, time, reward, action, logProb, value, ptr, features, critic] = arrays;
  const [endValue, terminated, componentWeights, components, post] = arrays.slice(10);
  const experience: EpisodeRecord = {
    numAgents: h.numAgents,
    pairDim: h.pairDim,
    criticDim: h.criticDim,
    step: step as Int32Array,
    agent: agent as Int32Array,
    time: time as Float64Array,
    reward: reward as Float32Array,
    action: action as Int32Array,
    logProb: logProb as Float32Array,
    value: value as Float32Array,
    ptr: ptr as Int32Array,
    features: features as Float32Array,
    critic: critic as Float32Array,
    end: {
      time: h.endTime,
      value: endValue as Float32Array,
      terminated: terminated as Uint8Array,
    },
    componentWeights: componentWeights as Float64Array,
    components: components as Float32Array,
  };
  if (h.postDim) {
    experience.postDim = h.postDim;
    experience.post = post as Float32Array;
  }
  const { totals } = h;
  return { episode: h.episode, version: h.version, actor: h.actor, played: { totals, experience } };
}

/** Weights with their version, as the learner publishes them. */
export interface VersionedWeights {
  version: number;
  weights: PlayerWeights;
}

export function encodeWeights({ version, weights }: VersionedWeights): Buffer {
  const arrays: Typed[] = [weights.policy];
  if (weights.critic) arrays.push(weights.critic);
  return pack(KIND.weights, { version }, arrays);
}

export function decodeWeights(bytes: Uint8Array): VersionedWeights {
  const { header, arrays } = unpack<{ version: number }>(KIND.weights, bytes, "weights");
  const [policy, critic] = arrays as Float32Array[];
  return { version: header.version, weights: { policy, critic: critic ?? null } };
}
