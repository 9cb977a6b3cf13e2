/** Refusing paths outside a root, and following a growing JSONL log. */
import assert from "node:assert/strict";
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { JsonlTail } from "../../src/dashboard/live.ts";
import { resolveInside } from "../../src/dashboard/safe-path.ts";

test("resolveInside keeps paths inside the root and refuses the rest", () => {
  const base = realpathSync(mkdtempSync(join(tmpdir(), "fleetrl-safe-")));
  try {
    const root = join(base, "runs");
    mkdirSync(join(root, "a"), { recursive: true });
    writeFileSync(join(root, "a", "x.json"), "{}");
    writeFileSync(join(base, "secret"), "s");
    symlinkSync(join(base, "secret"), join(root, "a", "out"));
    symlinkSync(join(root, "a", "x.json"), join(root, "in"));
    mkdirSync(join(base, "runs-evil"));
    symlinkSync(join(base, "runs-evil"), join(root, "a", "evil")); // shares the root's prefix

    assert.equal(resolveInside(root, "a/x.json"), join(root, "a", "x.json"));
    assert.equal(resolveInside(root, "in"), join(root, "a", "x.json"), "a symlink inside is fine");
    assert.equal(resolveInside(root, "a/missing"), join(root, "a", "missing"));
    assert.equal(resolveInside(root, ""), root);
    for (const bad of [
      "../secret",
      "a/../../secret",
      "..",
      "a\\..\\..\\secret",
      "/etc/passwd",
      "C:/Windows",
      "a/x.json\0.txt",
      "a/out",
      "../runs-evil",
      "a/evil",
    ]) {
      assert.equal(resolveInside(root, bad), null, JSON.stringify(bad));
    }
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test("JsonlTail returns each complete row once, holds back a torn line, restarts on a new file", () => {
  const dir = mkdtempSync(join(tmpdir(), "fleetrl-tail-"));
  try {
    const path = join(dir, "train.jsonl");
    const tail = new JsonlTail(path);
    assert.equal(tail.poll(), null, "no file yet");
    writeFileSync(path, '{"episode":1}\n{"episode":2}\n{"epis');
    assert.deepEqual(tail.poll(), { reset: true, rows: [{ episode: 1 }, { episode: 2 }] });
    assert.equal(tail.poll(), null, "nothing new");
    appendFileSync(path, 'ode":3}\n');
    assert.deepEqual(tail.poll(), { reset: false, rows: [{ episode: 3 }] });
    // A resumed run rewrites the log by rename: a new file, read from the start.
    writeFileSync(join(dir, "new"), '{"episode":1}\n');
    renameSync(join(dir, "new"), path);
    assert.deepEqual(tail.poll(), { reset: true, rows: [{ episode: 1 }] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
