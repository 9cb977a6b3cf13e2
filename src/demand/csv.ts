/**
 * Streaming CSV reading for large trip files: chunks are decoded and cut into lines as they
 * arrive (a month of TLC trips is hundreds of MB; it is never held as one string), and each line
 * is split by a hand-written scanner that records where fields start and end instead of
 * allocating a string per field.
 *
 * Quoting follows RFC 4180 within one line ("a ""b"", c" is one field). A quoted field that spans
 * lines is not supported: TLC files never contain one.
 */
import { createReadStream } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { createGunzip } from "node:zlib";

/**
 * Split one CSV line into field strings (quotes removed, `""` unescaped).
 *
 * @example
 * parseCsvLine('1,"Manhattan","Alphabet City, East"'); // ["1", "Manhattan", "Alphabet City, East"]
 */
export function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line.charCodeAt(i) === 34 /* " */) {
      let value = "";
      let j = i + 1;
      for (;;) {
        const q = line.indexOf('"', j);
        if (q < 0) {
          value += line.slice(j);
          j = line.length;
          break;
        }
        value += line.slice(j, q);
        if (line.charCodeAt(q + 1) === 34) {
          value += '"';
          j = q + 2;
        } else {
          j = q + 1;
          break;
        }
      }
      const comma = line.indexOf(",", j);
      fields.push(comma < 0 ? value + line.slice(j) : value + line.slice(j, comma));
      if (comma < 0) return fields;
      i = comma + 1;
    } else {
      const comma = line.indexOf(",", i);
      if (comma < 0) {
        fields.push(line.slice(i));
        return fields;
      }
      fields.push(line.slice(i, comma));
      i = comma + 1;
    }
  }
}

/**
 * A line cut into fields without copying: field k is `text.slice(starts[k], ends[k])`. For a
 * line without quotes `text` is the line itself; a quoted line is unquoted into a new `text`.
 */
export interface LineFields {
  text: string;
  starts: Int32Array;
  ends: Int32Array;
  /** Number of fields located (at most the capacity of starts/ends). */
  count: number;
}

/** Locate the first `starts.length` fields of `line` into `out`. */
export function locateFields(line: string, out: LineFields): void {
  const max = out.starts.length;
  if (line.indexOf('"') >= 0) {
    const fields = parseCsvLine(line);
    let text = "";
    let n = 0;
    for (; n < fields.length && n < max; n++) {
      out.starts[n] = text.length;
      text += fields[n];
      out.ends[n] = text.length;
    }
    out.text = text;
    out.count = n;
    return;
  }
  out.text = line;
  let start = 0;
  let n = 0;
  while (n < max) {
    const comma = line.indexOf(",", start);
    out.starts[n] = start;
    if (comma < 0) {
      out.ends[n++] = line.length;
      break;
    }
    out.ends[n++] = comma;
    start = comma + 1;
  }
  out.count = n;
}

export interface CsvReadHandlers {
  /** Called with the first line (the header), without a byte-order mark or trailing CR. */
  onHeader(line: string): void;
  /**
   * Called for each later non-empty line with its 1-based line number in the file. Return false
   * to stop reading (e.g. a row limit was reached).
   */
  onLine(line: string, lineNumber: number): boolean;
  /** Called after each chunk with the bytes read from disk so far (compressed bytes for .gz). */
  onChunk?(bytesRead: number): void;
}

/**
 * Thrown by readCsvLines when the data cannot be CSV text (NUL bytes, or no line break for
 * megabytes); its message names what was found, and the caller words the user error.
 */
export class BinaryDataError extends Error {}

/** Longest line accepted; TLC lines are about 200 characters. */
const MAX_LINE = 1 << 20;

/**
 * Stream the lines of a CSV or gzip-compressed CSV file to `handlers`, chunk by chunk.
 * Line ends may be LF or CRLF. Rejects with BinaryDataError on data that is not line-based text, or with
 * the zlib error on a corrupt gzip stream.
 */
export async function readCsvLines(
  file: string,
  gzip: boolean,
  handlers: CsvReadHandlers,
): Promise<void> {
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  const source = gzip ? raw.pipe(createGunzip()) : raw;
  raw.on("error", (e) => source.destroy(e));
  const decoder = new StringDecoder("utf8");
  let rest = "";
  let lineNumber = 0;
  let stopped = false;
  const takeLine = (line: string): boolean => {
    lineNumber++;
    if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    if (lineNumber === 1) {
      // Binary data decodes to replacement or control characters: say so, not "bad header".
      if (looksBinary(line)) throw new BinaryDataError("binary data");
      handlers.onHeader(line.charCodeAt(0) === 0xfeff ? line.slice(1) : line);
      return true;
    }
    if (line.length === 0) return true;
    return handlers.onLine(line, lineNumber);
  };
  try {
    for await (const chunk of source) {
      const text = rest + decoder.write(chunk as Buffer);
      if (text.indexOf("\0") >= 0) throw new BinaryDataError("NUL bytes");
      let start = 0;
      for (;;) {
        const nl = text.indexOf("\n", start);
        if (nl < 0) break;
        if (!takeLine(text.slice(start, nl))) {
          stopped = true;
          break;
        }
        start = nl + 1;
      }
      if (stopped) break;
      rest = text.slice(start);
      if (rest.length > MAX_LINE)
        throw new BinaryDataError(`a line longer than ${MAX_LINE} characters`);
      handlers.onChunk?.(raw.bytesRead);
    }
    if (!stopped) {
      const last = rest + decoder.end();
      if (last.length > 0) takeLine(last);
    }
  } finally {
    source.destroy();
    raw.destroy();
  }
}

/**
 * Parse the decimal number in `s.slice(start, end)` without allocating (plain `-12.345` forms;
 * anything else, e.g. exponents, goes through Number). NaN if it is not a number.
 *
 * @example
 * parseNumber("x,-73.98,y", 2, 8); // -73.98
 */
export function parseNumber(s: string, start: number, end: number): number {
  let i = start;
  let negative = false;
  const first = s.charCodeAt(i);
  if (first === 45 /* - */ || first === 43 /* + */) {
    negative = first === 45;
    i++;
  }
  let mantissa = 0;
  let digitsSeen = 0;
  let scale = 0;
  let dot = false;
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digitsSeen++;
      if (dot) scale++;
    } else if (c === 46 /* . */ && !dot) dot = true;
    else break;
  }
  // Exact when mantissa < 2^53 and scale <= 22: one correctly rounded division.
  if (i === end && digitsSeen > 0 && digitsSeen <= 15 && scale <= 22) {
    const v = scale > 0 ? mantissa / POW10[scale] : mantissa;
    return negative ? -v : v;
  }
  const v = Number(s.slice(start, end));
  return s.slice(start, end).trim() === "" ? Number.NaN : v;
}

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/** True when text holds replacement characters (invalid UTF-8) or control characters other than tab. */
function looksBinary(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 0xfffd || (c < 32 && c !== 9)) return true;
  }
  return false;
}
