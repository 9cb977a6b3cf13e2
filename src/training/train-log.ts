/**
 * Metrics of a training run, one row per episode (or per evaluation), appended to
 * `<dir>/<name>.jsonl` and `<dir>/<name>.csv`. JSONL keeps every field; the CSV's columns are the
 * keys of the first row (later rows are written in that column order; non-finite numbers and
 * missing fields are empty cells).
 *
 * A fresh run starts both files empty. A resumed run keeps the rows up to the checkpoint's
 * episode (a kill between logging and checkpointing may have left later rows) and continues
 * appending to the same files, so an interrupted + resumed run logs the same rows as an
 * uninterrupted one.
 */
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../core/atomic-write.ts";

export type MetricValue = number | string | boolean | null;
export type MetricsRow = Record<string, MetricValue>;

export class MetricsLog {
  readonly jsonlPath: string;
  readonly csvPath: string;
  private columns: string[] | null = null;

  /**
   * @param dir folder of the run (created if needed)
   * @param name file stem, e.g. "train" or "eval"
   * @param resumeAfterEpisode keep existing rows with `episode` ≤ this; omit for a fresh log
   */
  constructor(dir: string, name: string, resumeAfterEpisode?: number) {
    this.jsonlPath = join(dir, `${name}.jsonl`);
    this.csvPath = join(dir, `${name}.csv`);
    const kept =
      resumeAfterEpisode === undefined ? [] : readRows(this.jsonlPath, resumeAfterEpisode);
    writeFileAtomic(this.jsonlPath, kept.map((r) => `${JSON.stringify(r)}\n`).join(""));
    if (kept.length > 0) this.columns = Object.keys(kept[0]);
    const csv = this.columns
      ? [this.columns.join(","), ...kept.map((r) => csvLine(this.columns!, r))].join("\n") + "\n"
      : "";
    writeFileAtomic(this.csvPath, csv);
  }

  append(row: MetricsRow): void {
    appendFileSync(this.jsonlPath, `${JSON.stringify(row)}\n`);
    if (this.columns === null) {
      this.columns = Object.keys(row);
      appendFileSync(this.csvPath, `${this.columns.join(",")}\n`);
    }
    appendFileSync(this.csvPath, `${csvLine(this.columns, row)}\n`);
  }
}

/** Rows of a JSONL metrics file with `episode` ≤ `maxEpisode` (a torn last line is dropped). */
export function readRows(path: string, maxEpisode = Number.POSITIVE_INFINITY): MetricsRow[] {
  if (!existsSync(path)) return [];
  const rows: MetricsRow[] = [];
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    let row: MetricsRow;
    try {
      row = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof row.episode === "number" && row.episode <= maxEpisode) rows.push(row);
  }
  return rows;
}

function csvLine(columns: string[], row: MetricsRow): string {
  return columns
    .map((c) => {
      const v = row[c];
      if (v === null || v === undefined) return "";
      if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
      const s = String(v);
      return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
    })
    .join(",");
}
