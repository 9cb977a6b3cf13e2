import { closeSync, mkdirSync, openSync, renameSync, writeFileSync, writeSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Write a file so that readers see either the old content or the new, never a torn file: write a
 * temp file in the same folder, then rename it over the target (atomic on POSIX filesystems).
 *
 * @example
 * writeFileAtomic("runs/a/metrics.json", JSON.stringify(metrics));
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/**
 * `JSON.stringify(value, null, indent)` + "\n", written atomically like `writeFileAtomic` but
 * in pieces, so a large value (a full day's events.json is ~60 MB of text) never exists as one
 * string in memory. The bytes are exactly JSON.stringify's (tested against it).
 *
 * @example
 * writeJsonAtomic("runs/a/events.json", events);
 */
export function writeJsonAtomic(path: string, value: unknown, indent = 1): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  const fd = openSync(tmp, "w");
  try {
    let buffer = "";
    const out = (piece: string) => {
      buffer += piece;
      if (buffer.length >= FLUSH_CHARS) {
        writeSync(fd, buffer);
        buffer = "";
      }
    };
    writeJsonValue(value, "", " ".repeat(indent), out);
    writeSync(fd, `${buffer}\n`);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

const FLUSH_CHARS = 1 << 20;
const SLICE = 1 << 14;

/** A number as JSON writes it (NaN and ±Infinity as null). */
const numberJson = (x: number) => (Number.isFinite(x) ? String(x) : "null");

/** JSON.stringify's text of `value` at nesting `pad`, to `out`; false if it is not serialisable. */
function writeJsonValue(
  value: unknown,
  pad: string,
  step: string,
  out: (s: string) => void,
): boolean {
  let v = value;
  if (
    v !== null &&
    typeof v === "object" &&
    typeof (v as { toJSON?: unknown }).toJSON === "function"
  )
    v = (v as { toJSON: () => unknown }).toJSON();
  if (v === undefined || typeof v === "function" || typeof v === "symbol") return false;
  if (v === null || typeof v !== "object") {
    out(JSON.stringify(v)); // numbers (NaN → null), strings, booleans, null
    return true;
  }
  const inner = pad + step;
  const nl = step === "" ? "" : "\n"; // indent 0: JSON.stringify's compact form
  if (Array.isArray(v)) {
    if (v.length === 0) {
      out("[]");
      return true;
    }
    out("[");
    if (v.every((item) => typeof item === "number")) {
      // the bulk of a big file (event times, snapshot columns): joined a slice at a time
      const sep = `,${nl}${inner}`;
      for (let i = 0; i < v.length; i += SLICE) {
        const slice = (v as number[]).slice(i, i + SLICE);
        out(`${i > 0 ? "," : ""}${nl}${inner}${slice.map(numberJson).join(sep)}`);
      }
      out(`${nl}${pad}]`);
      return true;
    }
    v.forEach((item, i) => {
      out(`${i > 0 ? "," : ""}${nl}${inner}`);
      if (!writeJsonValue(item, inner, step, out)) out("null");
    });
    out(`${nl}${pad}]`);
    return true;
  }
  let first = true;
  for (const [key, item] of Object.entries(v)) {
    const kind = typeof item;
    if (item === undefined || kind === "function" || kind === "symbol") continue;
    out(`${first ? "{" : ","}${nl}${inner}${JSON.stringify(key)}:${step === "" ? "" : " "}`);
    first = false;
    writeJsonValue(item, inner, step, out);
  }
  out(first ? "{}" : `${nl}${pad}}`);
  return true;
}
