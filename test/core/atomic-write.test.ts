import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import { writeJsonAtomic } from "../../src/core/atomic-write.ts";

const dir = mkdtempSync(join(tmpdir(), "fleetrl-json-"));

test("writeJsonAtomic writes exactly JSON.stringify(value, null, indent) + newline (property)", () => {
  const value = fc.letrec((tie) => ({
    any: fc.oneof(
      { depthSize: "small" },
      fc.double(),
      fc.integer(),
      fc.string(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
      fc.array(tie("any"), { maxLength: 5 }),
      fc.dictionary(fc.string(), tie("any"), { maxKeys: 5 }),
    ),
  })).any;
  fc.assert(
    fc.property(value, fc.integer({ min: 0, max: 3 }), (v, indent) => {
      if (v === undefined) return; // JSON.stringify(undefined) is not JSON
      const path = join(dir, "v.json");
      writeJsonAtomic(path, v, indent);
      assert.equal(readFileSync(path, "utf8"), `${JSON.stringify(v, null, indent)}\n`);
    }),
    { numRuns: 300 },
  );
});

test("writeJsonAtomic: arrays of numbers (the joined fast path) — NaN, ±Infinity, −0, any indent", () => {
  fc.assert(
    fc.property(
      fc.array(fc.double(), { maxLength: 60 }),
      fc.integer({ min: 0, max: 2 }),
      (xs, indent) => {
        const path = join(dir, "xs.json");
        writeJsonAtomic(path, { xs, nested: [xs] }, indent);
        assert.equal(
          readFileSync(path, "utf8"),
          `${JSON.stringify({ xs, nested: [xs] }, null, indent)}\n`,
        );
      },
    ),
    { numRuns: 300 },
  );
});

test("writeJsonAtomic: toJSON, typed arrays, a value larger than one flush, no temp file left", () => {
  const path = join(dir, "big.json");
  const big = {
    when: new Date(0),
    typed: Float32Array.of(1.5, -2),
    times: Array.from({ length: 300_000 }, (_, i) => i * 0.5),
    log: { toJSON: () => ({ a: [1, undefined, () => 1] }) },
  };
  writeJsonAtomic(path, big);
  assert.equal(readFileSync(path, "utf8"), `${JSON.stringify(big, null, 1)}\n`);
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.includes(".tmp-")),
    [],
  );
});
