import assert from "node:assert/strict";
import { test } from "node:test";
import { RUN_FILES, runKindOf } from "../../src/core/run-layout.ts";

test("a run directory's kind follows from its files", () => {
  const kind = (...files: string[]) => runKindOf((f) => files.includes(f));
  assert.equal(kind("config.json", "metrics.json", "events.json"), "simulate");
  assert.equal(kind("config.json", "train.jsonl", "eval.jsonl"), "train");
  assert.equal(kind("config.json", "checkpoint.safetensors"), "train", "before the first log row");
  // a comparison's folder holds its own files; its runs are subfolders
  assert.equal(kind("config.json", "compare.json", "compare-eval.json"), "compare");
  assert.equal(kind("config.json"), null);
  assert.equal(kind("notes.txt", "report.html"), null);
  assert.equal(RUN_FILES.checkpoint, "checkpoint.safetensors");
});
