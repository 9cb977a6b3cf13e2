/**
 * Live learning curves: follow a training run's `train.jsonl` / `eval.jsonl` as the trainer
 * appends to them and push each new row over server-sent events. Polling `stat` (not fs.watch)
 * because the trainer rewrites a log by rename on start and resume, which a watch on the old
 * file would miss; a new inode or a shorter file restarts the stream with every row.
 */
import { closeSync, openSync, readSync, statSync } from "node:fs";
import type { ServerResponse } from "node:http";
import type { MetricsRow } from "../training/train-log.ts";
import type { RowsMessage } from "./api-types.ts";
import { parseRows } from "./runs.ts";

export type { RowsMessage };

/** Follows one JSONL file: what has been read so far, and of which inode. */
export class JsonlTail {
  private offset = 0;
  private inode = -1;
  private partial = "";

  constructor(readonly path: string) {}

  /** New complete rows since the last call, and whether the file was replaced (all rows again). */
  poll(): { reset: boolean; rows: MetricsRow[] } | null {
    const st = statSync(this.path, { throwIfNoEntry: false });
    if (!st) return null;
    let reset = false;
    if (st.ino !== this.inode || st.size < this.offset) {
      reset = true;
      this.inode = st.ino;
      this.offset = 0;
      this.partial = "";
    }
    if (st.size === this.offset) return reset ? { reset, rows: [] } : null;
    const length = st.size - this.offset;
    const buf = Buffer.alloc(length);
    const fd = openSync(this.path, "r");
    try {
      readSync(fd, buf, 0, length, this.offset);
    } finally {
      closeSync(fd);
    }
    this.offset = st.size;
    const text = this.partial + buf.toString("utf8");
    const cut = text.lastIndexOf("\n") + 1;
    this.partial = text.slice(cut);
    const rows = parseRows(text.slice(0, cut));
    return rows.length > 0 || reset ? { reset, rows } : null;
  }
}

/**
 * Stream the rows of these runs' logs to `res` (already answered 200 with text/event-stream):
 * first every existing row (reset), then each appended row within `pollMs`. Returns a function
 * that stops following (also called when the client goes away).
 */
export function streamRows(
  res: ServerResponse,
  runs: { id: string; dir: string }[],
  pollMs: number,
): () => void {
  const tails = runs.flatMap(({ id, dir }) =>
    (["train", "eval"] as const).map((file) => ({
      id,
      file,
      tail: new JsonlTail(`${dir}/${file}.jsonl`),
    })),
  );
  const send = (event: string, data: unknown) =>
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const tick = () => {
    for (const { id, file, tail } of tails) {
      const update = tail.poll();
      if (update) send("rows", { run: id, file, ...update } satisfies RowsMessage);
    }
  };
  res.write("retry: 2000\n\n");
  tick();
  send("ready", { runs: runs.map((r) => r.id) });
  let beats = 0;
  const timer = setInterval(() => {
    tick();
    // a comment now and then keeps proxies and idle timeouts from closing the stream
    if (++beats % Math.max(1, Math.round(15_000 / pollMs)) === 0) res.write(": keep-alive\n\n");
  }, pollMs);
  const stop = () => clearInterval(timer);
  res.on("close", stop);
  return stop;
}
