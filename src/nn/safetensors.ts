/**
 * Safetensors (https://github.com/huggingface/safetensors), F32 only, written and validated here:
 * 8-byte little-endian header length N, then N bytes of JSON
 * `{ "<name>": { "dtype": "F32", "shape": [...], "data_offsets": [begin, end] }, "__metadata__": {...} }`
 * (padded with spaces to a multiple of 8), then the raw little-endian tensor bytes. Offsets are
 * relative to the end of the header. Files are written atomically (temp file + rename), so a
 * crash never leaves a half-written checkpoint behind.
 */
import { readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { inputError, UserError } from "../core/errors.ts";

export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface SafetensorsContent {
  tensors: Map<string, NamedTensor>;
  metadata: Record<string, string>;
}

/** Headers larger than this are treated as corruption (ours are a few KB). */
const MAX_HEADER_BYTES = 16 * 1024 * 1024;

/** Serialise tensors (in the given order) and string metadata. */
export function encodeSafetensors(
  tensors: NamedTensor[],
  metadata: Record<string, string> = {},
): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const t of tensors) {
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (size !== t.data.length)
      throw new RangeError(
        `tensor ${t.name}: shape [${t.shape}] needs ${size} values, got ${t.data.length}`,
      );
    if (t.name === "__metadata__" || t.name in header)
      throw new RangeError(`duplicate tensor name ${t.name}`);
    header[t.name] = { dtype: "F32", shape: t.shape, data_offsets: [offset, offset + 4 * size] };
    offset += 4 * size;
  }
  let json = JSON.stringify(header);
  json += " ".repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const headerBytes = Buffer.from(json, "utf8");
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let pos = 8 + headerBytes.length;
  for (const t of tensors) {
    for (let i = 0; i < t.data.length; i++, pos += 4) view.setFloat32(pos, t.data[i], true);
  }
  return out;
}

/** Parse and validate safetensors bytes; `file` names the source in error messages. */
export function decodeSafetensors(bytes: Uint8Array, file: string): SafetensorsContent {
  const bad = (expected: string, got?: unknown, field = "header") =>
    inputError(file, { field, expected, got });
  if (bytes.length < 8) throw bad("a safetensors file (at least 8 bytes)", `${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = view.getBigUint64(0, true);
  if (headerLen < 2n || headerLen > BigInt(Math.min(MAX_HEADER_BYTES, bytes.length - 8)))
    throw bad(
      `a header length between 2 and ${bytes.length - 8} bytes (file truncated or not safetensors?)`,
      Number(headerLen),
    );
  const n = Number(headerLen);
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 8, n).toString("utf8"));
  } catch {
    throw bad("a JSON header");
  }
  if (typeof header !== "object" || header === null || Array.isArray(header))
    throw bad("a JSON object header");
  const dataStart = 8 + n;
  const dataLen = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const tensors = new Map<string, NamedTensor>();
  const spans: [number, number][] = [];
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === "__metadata__") {
      if (typeof entry !== "object" || entry === null)
        throw bad("an object of strings", entry, "__metadata__");
      for (const [k, v] of Object.entries(entry)) {
        if (typeof v !== "string") throw bad("string metadata values", v, `__metadata__.${k}`);
        metadata[k] = v;
      }
      continue;
    }
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (e?.dtype !== "F32") throw bad('dtype "F32"', e?.dtype, `${name}.dtype`);
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isInteger(d) && d >= 0))
      throw bad("a list of non-negative integers", e.shape, `${name}.shape`);
    const size = (e.shape as number[]).reduce((a, b) => a * b, 1);
    const offs = e.data_offsets;
    if (
      !Array.isArray(offs) ||
      offs.length !== 2 ||
      !offs.every((o) => Number.isInteger(o)) ||
      offs[0] < 0 ||
      offs[1] - offs[0] !== 4 * size ||
      offs[1] > dataLen
    )
      throw bad(
        `[begin, end] with end - begin = ${4 * size} inside the ${dataLen} data bytes`,
        offs,
        `${name}.data_offsets`,
      );
    const data = new Float32Array(size);
    const base = dataStart + offs[0];
    for (let i = 0; i < size; i++) {
      const v = view.getFloat32(base + 4 * i, true);
      if (!Number.isFinite(v)) throw bad("finite values", v, `${name}[${i}]`);
      data[i] = v;
    }
    spans.push([offs[0], offs[1]]);
    tensors.set(name, { name, shape: e.shape as number[], data });
  }
  spans.sort((a, b) => a[0] - b[0]);
  let end = 0;
  for (const [b, e] of spans) {
    if (b !== end)
      throw bad(
        "tensors stored back to back without gaps or overlaps",
        `a tensor at byte ${b}, expected ${end}`,
      );
    end = e;
  }
  if (end !== dataLen)
    throw bad(`${end} data bytes after the header (file truncated or padded?)`, `${dataLen} bytes`);
  return { tensors, metadata };
}

/** Write atomically: a temp file next to `path`, then rename over it. */
export function writeSafetensors(
  path: string,
  tensors: NamedTensor[],
  metadata: Record<string, string> = {},
): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, encodeSafetensors(tensors, metadata));
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {}
    throw err;
  }
}

/** Read and validate a safetensors file (missing file → UserError). */
export function readSafetensors(path: string): SafetensorsContent {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new UserError(
      `${path}: cannot read weights (${(err as NodeJS.ErrnoException).code ?? err})`,
    );
  }
  return decodeSafetensors(bytes, path);
}
