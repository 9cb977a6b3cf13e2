/**
 * The run directories under a runs folder, as the dashboard lists them: what kind of run each is
 * (training, simulation, comparison), its config and its final metrics, found by the files the
 * commands write (DESIGN §7, docs/cli.md).
 */
import {
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
} from "node:fs";
import { join, relative, sep } from "node:path";
import { RUN_FILES, runKindOf } from "../core/run-layout.ts";
import type { MetricsRow } from "../training/train-log.ts";
import type { RunSummary } from "./api-types.ts";

export type { RunSummary };

/** How deep below the runs folder run directories are looked for (compare/algo-seed/ is 2). */
const MAX_DEPTH = 4;

/** Every run directory under `runsDir` (a real path), sorted by id. Symlinks are not followed. */
export function listRuns(runsDir: string): RunSummary[] {
  const runs: RunSummary[] = [];
  const walk = (dir: string, depth: number) => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      if (outOfHandles(e)) throw e;
      return; // a folder removed or unreadable meanwhile: not a run
    }
    const files = entries.filter((e) => e.isFile()).map((e) => e.name);
    const run = summarize(runsDir, dir, files);
    if (run) runs.push(run);
    if (depth >= MAX_DEPTH) return;
    for (const e of entries) {
      if (e.isDirectory() && !e.name.startsWith(".") && e.name !== "node_modules") {
        walk(join(dir, e.name), depth + 1);
      }
    }
  };
  walk(runsDir, 0);
  return runs.sort((a, b) => a.id.localeCompare(b.id));
}

/** The summary of one directory, or null if it holds no run. */
export function summarize(runsDir: string, dir: string, files: string[]): RunSummary | null {
  const has = (name: string) => files.includes(name);
  const kind = runKindOf(has);
  if (!kind) return null;
  const id = relative(runsDir, dir).split(sep).join("/");
  const config = asObject(readJson(join(dir, RUN_FILES.config)));
  const { trainLog, evalLog, metrics, events, compare } = RUN_FILES;
  const watched = [trainLog, evalLog, metrics, events, compare];
  const updatedAt = Math.max(
    0,
    ...watched
      .filter(has)
      .map((f) => statSync(join(dir, f), { throwIfNoEntry: false })?.mtimeMs ?? 0),
  );
  const run: RunSummary = { id, kind, config, metrics: null, updatedAt, files: files.sort() };
  if (kind === "simulate") {
    run.metrics = asObject(readJson(join(dir, RUN_FILES.metrics)));
  } else if (kind === "train") {
    const last = lastRow(join(dir, RUN_FILES.trainLog));
    const lastEval = lastRow(join(dir, RUN_FILES.evalLog));
    run.metrics = last || lastEval ? { train: last, eval: lastEval } : null;
    run.episodes = typeof last?.episode === "number" ? last.episode : 0;
    const total = (asObject(config)?.train as { episodes?: unknown } | undefined)?.episodes;
    if (typeof total === "number") run.totalEpisodes = total;
  } else {
    const rows = (asObject(readJson(join(dir, RUN_FILES.compare)))?.rows ?? []) as {
      entry?: string;
      overall?: Record<string, { mean?: number }>;
    }[];
    const metrics: Record<string, unknown> = {};
    for (const row of Array.isArray(rows) ? rows : []) {
      if (typeof row.entry !== "string" || !row.overall) continue;
      metrics[row.entry] = Object.fromEntries(
        Object.entries(row.overall).map(([k, v]) => [k, v?.mean ?? null]),
      );
    }
    run.metrics = metrics;
  }
  return run;
}

/** Parsed JSON of a file, or null if it is missing or not JSON (a file being written). */
export function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    if (outOfHandles(e)) throw e;
    return null;
  }
}

/**
 * The process has no file handle left (EMFILE / ENFILE): the server cannot read anything now,
 * which says nothing about the file — never read as "missing" (an empty run list), but answered
 * as an error (503).
 */
export function outOfHandles(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return code === "EMFILE" || code === "ENFILE";
}

/**
 * Rows of a JSONL log; blank and torn lines (a row being appended) are skipped.
 *
 * @example
 * parseRows('{"episode":1}\n{"episode":2}\n{"epi'); // [{ episode: 1 }, { episode: 2 }]
 */
export function parseRows(text: string): MetricsRow[] {
  const rows: MetricsRow[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      const row = JSON.parse(line);
      if (row !== null && typeof row === "object" && !Array.isArray(row)) rows.push(row);
    } catch {
      // a torn last line: the writer is mid-append
    }
  }
  return rows;
}

/** The last complete row of a JSONL log, reading only the file's tail. */
export function lastRow(path: string): MetricsRow | null {
  if (!existsSync(path)) return null;
  const fd = openSync(path, "r");
  try {
    const size = statSync(path).size;
    const length = Math.min(size, 256 * 1024);
    const buf = Buffer.alloc(length);
    readSync(fd, buf, 0, length, size - length);
    const rows = parseRows(
      buf
        .toString("utf8")
        .split("\n")
        .slice(length < size ? 1 : 0)
        .join("\n"),
    );
    return rows.length > 0 ? rows[rows.length - 1] : null;
  } finally {
    closeSync(fd);
  }
}

function asObject(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}
