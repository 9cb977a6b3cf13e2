/**
 * The layer rules of docs/architecture.md, checked on the source: each folder under src/ imports
 * only the layers it may (type-only imports included), and the import graph has no cycle.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { test } from "node:test";

const SRC = resolve("src");

/** Layer → the layers it may import (besides itself). */
const MAY_IMPORT: Record<string, string[]> = {
  core: [],
  matching: [],
  city: ["core"],
  demand: ["city", "core"],
  nn: ["core"],
  algorithms: ["matching", "nn", "core"],
  training: ["algorithms", "matching", "nn", "core"],
  envs: ["matching", "city", "demand", "core"],
  experiments: ["training", "algorithms", "nn", "envs", "matching", "city", "demand", "core"],
  reports: ["experiments", "training", "envs", "city", "demand", "core"],
  dashboard: ["reports", "experiments", "training", "envs", "city", "demand", "core"],
  distributed: ["experiments", "training", "algorithms", "nn", "envs", "core"],
  cli: [
    "distributed",
    "dashboard",
    "reports",
    "experiments",
    "training",
    "algorithms",
    "nn",
    "envs",
    "matching",
    "city",
    "demand",
    "core",
  ],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?from\s*"(\.[^"]+)"/g)];
  return specs.map((m) => resolve(dirname(file), m[1]));
}

const layerOf = (file: string) => relative(SRC, file).split("/")[0].replace(/\.ts$/, "");
const files = sourceFiles(SRC);
const graph = new Map(files.map((f) => [f, importsOf(f)]));

test("every layer imports only the layers below it (docs/architecture.md)", () => {
  const breaches: string[] = [];
  for (const [file, targets] of graph) {
    const from = layerOf(file);
    if (!(from in MAY_IMPORT)) continue; // src/index.ts: the public API re-exports every layer
    for (const target of targets) {
      const to = layerOf(target);
      if (to !== from && !MAY_IMPORT[from].includes(to))
        breaches.push(`${relative(SRC, file)} imports ${relative(SRC, target)}`);
    }
  }
  assert.deepEqual(breaches, []);
});

test("the import graph has no cycle", () => {
  const state = new Map<string, "open" | "done">();
  const cycles: string[] = [];
  const visit = (file: string, path: string[]) => {
    if (state.get(file) === "done") return;
    if (state.get(file) === "open") {
      cycles.push(
        [...path.slice(path.indexOf(file)), file].map((f) => relative(SRC, f)).join(" → "),
      );
      return;
    }
    state.set(file, "open");
    for (const next of graph.get(file) ?? []) if (graph.has(next)) visit(next, [...path, file]);
    state.set(file, "done");
  };
  for (const file of files) visit(file, []);
  assert.deepEqual(cycles, []);
});

test("the checker sees imports (a known edge is in the graph)", () => {
  const rollout = join(SRC, "training/rollout.ts");
  assert.ok(graph.get(rollout)?.includes(join(SRC, "matching/sparse.ts")));
});
