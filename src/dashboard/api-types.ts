/**
 * The JSON the dashboard server answers (server.ts), in one place: the server builds these and
 * the browser app (dashboard/src/api.ts) imports them at build time. No Node imports here — the
 * browser's type check reads this file too.
 */
import type { RunKind } from "../core/run-layout.ts";

/** One row of train.jsonl / eval.jsonl. */
export type Row = Record<string, number | string | boolean | null>;

/** One run of /api/runs. */
export interface RunSummary {
  /** Path of the run directory relative to the runs folder, `/`-separated (the API's run id). */
  id: string;
  kind: RunKind;
  /** config.json as written by the command (null if missing or unreadable). */
  config: Record<string, unknown> | null;
  /**
   * Final metrics: a simulation's metrics.json; a training run's last train row and last
   * evaluation row; a comparison's rows (entry → overall metric means).
   */
  metrics: Record<string, unknown> | null;
  /** Training runs: episodes logged so far and the configured total. */
  episodes?: number;
  totalEpisodes?: number;
  /** Last modification of the run's newest log or result file, ms since the epoch. */
  updatedAt: number;
  /** Files directly in the run directory (names only). */
  files: string[];
}

/** One message of /api/stream (the SSE `data:` of an event named `rows`). */
export interface RowsMessage {
  run: string;
  file: "train" | "eval";
  /** True: `rows` are all rows of the file (replace what you have); false: new rows to append. */
  reset: boolean;
  rows: Row[];
}
