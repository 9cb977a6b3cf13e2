/**
 * The `@example`s in src/ doc comments are fragments (they use the surrounding names), so they are
 * not run; this test keeps them honest: every function or class an example calls by name must
 * exist — exported from some module of src/, defined in the example itself, or a JavaScript
 * global. An example that cites a renamed or deleted function fails here.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

const files = sourceFiles("src");
const texts = new Map(files.map((f) => [f, readFileSync(f, "utf8")]));

/** Every name exported anywhere in src/ (functions, classes, consts, re-exports). */
const exported = new Set<string>();
for (const text of texts.values()) {
  for (const m of text.matchAll(/export\s+(?:async\s+)?(?:function|class|const|let)\s+(\w+)/g))
    exported.add(m[1]);
  for (const m of text.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g))
    for (const part of m[1].split(","))
      exported.add(
        part
          .trim()
          .split(/\s+as\s+/)
          .pop()!
          .replace(/^type\s+/, ""),
      );
  // methods and static members are called as x.name(…), which the check below skips
}
const GLOBALS = new Set(
  (
    "Math Number String Array Object JSON Date Map Set Promise Error RangeError TypeError Symbol " +
    "Float32Array Float64Array Int32Array Uint8Array Uint32Array BigInt Boolean parseInt parseFloat " +
    "isFinite isNaN console fetch structuredClone setTimeout require import await typeof if for while " +
    "switch return catch function"
  ).split(" "),
);

/** The @example blocks of a file: the comment lines after `@example` up to the next tag or the end. */
function examples(text: string): { line: number; code: string }[] {
  const out: { line: number; code: string }[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*\*\s*@example\b/.test(lines[i]) && !/\/\*\*.*@example\b/.test(lines[i])) continue;
    const body: string[] = [lines[i].replace(/^.*@example/, "")];
    const oneLine = lines[i].includes("*/");
    for (let j = i + 1; !oneLine && j < lines.length && !/\*\/|^\s*\*\s*@\w/.test(lines[j]); j++)
      body.push(lines[j].replace(/^\s*\*\s?/, ""));
    out.push({ line: i + 1, code: body.join("\n").replace(/\*\/.*$/, "") });
  }
  return out;
}

test("every function an @example calls exists", () => {
  const missing: string[] = [];
  let checked = 0;
  for (const [file, text] of texts) {
    for (const { line, code } of examples(text)) {
      checked++;
      const withoutComments = code
        .replace(/\/\/.*$/gm, "")
        .replace(/"[^"]*"|'[^']*'|`[^`]*`/g, '""');
      const local = new Set(
        [
          ...withoutComments.matchAll(/(?:const|let|function|class)\s+\{?\s*([\w\s,]+)\}?/g),
        ].flatMap((m) => m[1].split(",").map((s) => s.trim())),
      );
      for (const m of withoutComments.matchAll(/(?<![\w.$])(?:new\s+)?([A-Za-z_]\w*)\s*\(/g)) {
        const name = m[1];
        if (exported.has(name) || local.has(name) || GLOBALS.has(name)) continue;
        missing.push(`${relative(".", file)}:${line}: ${name}(…)`);
      }
    }
  }
  assert.ok(checked > 50, `only ${checked} examples found: is the extraction broken?`);
  assert.deepEqual(missing, []);
});
