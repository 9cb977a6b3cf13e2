/**
 * Progress on stderr for long work. On a terminal it is a live bar; otherwise (CI, pipes, --json)
 * it prints a plain line at most every few seconds, so logs stay readable.
 */
import cliProgress from "cli-progress";

export interface Progress {
  update(value: number, fields?: Record<string, string | number>): void;
  stop(): void;
}

/**
 * `fieldsFormat` names extra fields as `{name}`; until the first update gives them they show
 * "-" (never the raw placeholder). `stream` is stderr unless a test passes its own.
 */
export function startProgress(
  label: string,
  total: number,
  fieldsFormat = "",
  stream: NodeJS.WriteStream = process.stderr,
): Progress {
  if (stream.isTTY) {
    const blank = Object.fromEntries(
      [...fieldsFormat.matchAll(/\{(\w+)\}/g)].map((m) => [m[1], "-"]),
    );
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {value}/{total} | {duration_formatted} elapsed, ETA {eta_formatted}${fieldsFormat ? ` | ${fieldsFormat}` : ""}`,
        stream,
        hideCursor: true,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, blank);
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
      stream.write(
        `${label} ${value}/${total} (${((now - started) / 1000).toFixed(1)} s)${extra}\n`,
      );
    },
    stop() {},
  };
}
