/**
 * A trip file's load report as one line for a log and as flat numeric keys for a metrics file
 * (what `data inspect` shows, for the commands that read a trip file on the way).
 *
 * @example
 * reportLine(report); // "trips.csv: 14 rows read, 3 kept, 9 skipped as bad (badTime 2, …), 2 outside the filters (borough 2)"
 */
import type { LoadReport } from "./load-trips.ts";

export function reportLine(r: LoadReport): string {
  const reasons = (counts: Record<string, number>) => {
    const parts = Object.entries(counts)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${n}`);
    return parts.length > 0 ? ` (${parts.join(", ")})` : "";
  };
  return (
    `${r.file}: ${r.rowsRead} rows read, ${r.kept} kept, ${r.skippedTotal} skipped as bad${reasons(r.skipped)}, ` +
    `${r.filteredTotal} outside the filters${reasons(r.filtered)}`
  );
}

/** `demand.rowsRead`, `demand.kept`, `demand.skipped.<reason>`, `demand.filtered.<filter>`, … */
export function reportCounts(r: LoadReport): Record<string, number> {
  const out: Record<string, number> = {
    "demand.rowsRead": r.rowsRead,
    "demand.kept": r.kept,
    "demand.skippedTotal": r.skippedTotal,
    "demand.filteredTotal": r.filteredTotal,
  };
  for (const [k, n] of Object.entries(r.skipped)) out[`demand.skipped.${k}`] = n;
  for (const [k, n] of Object.entries(r.filtered)) out[`demand.filtered.${k}`] = n;
  return out;
}
