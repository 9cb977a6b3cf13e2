/**
 * Progress on stderr for long work. On a terminal it is a live bar; otherwise (CI, pipes, --json)
 * it prints a plain line at most every few seconds, so logs stay readable.
 */
import cliProgress from "cli-progress";

export interface Progress {
  update(value: number, fields?: Record<string, string | number>): void;
  stop(): void;
}

export function startProgress(label: string, total: number, fieldsFormat = ""): Progress {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {value}/{total} | {duration_formatted} elapsed, ETA {eta_formatted}${fieldsFormat ? ` | ${fieldsFormat}` : ""}`,
        stream: process.stderr,
        hideCursor: true,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0);
    return { update: (v, f) => bar.update(v, f), stop: () => bar.stop() };
  }
  const started = Date.now();
  let lastPrint = 0;
  return {
    update(value, fields) {
      const now = Date.now();
      if (now - lastPrint < 5000 && value < total) return;
      lastPrint = now;
      const extra = fields
        ? ` ${Object.entries(fields)
            .map(([k, v]) => `${k}=${v}`)
            .join(" ")}`
        : "";
      process.stderr.write(
        `${label} ${value}/${total} (${((now - started) / 1000).toFixed(1)} s)${extra}\n`,
      );
    },
    stop() {},
  };
}
