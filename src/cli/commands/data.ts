/**
 * `fleetrl data inspect <file>`: what is in a trip file before you simulate with it — schema,
 * rows read / kept / skipped by reason, time span, trips per hour, busiest pickup zones.
 */
import { statSync } from "node:fs";
import { basename } from "node:path";
import type { Command } from "commander";
import { z } from "zod";
import { type City, loadCity } from "../../city/city.ts";
import { UserError } from "../../core/errors.ts";
import { type LoadReport, type LoadTripsOptions, loadTrips } from "../../demand/load-trips.ts";
import { summarizeTrips, type TripSummary } from "../../demand/summary.ts";
import { zoneLookup } from "../../demand/zone-lookup.ts";
import { startProgress } from "../progress.ts";
import { action, type CommonOptions, readConfigFile, withCommonOptions } from "../run.ts";

interface InspectFlags extends CommonOptions {
  borough?: string;
  date?: string;
  from?: string;
  to?: string;
  strict?: boolean;
  limit?: string;
}

const ConfigSchema = z
  .object({
    borough: z.string(),
    date: z.string(),
    from: z.string(),
    to: z.string(),
    strict: z.boolean(),
    limit: z.number().int().positive(),
  })
  .partial()
  .strict();

export type InspectResult = LoadReport & TripSummary;

/** Files above this size show a progress line on stderr. */
const PROGRESS_BYTES = 16 << 20;

export function register(program: Command): void {
  const data = program
    .command("data")
    .description("work with trip files (TLC CSV, CSV.gz, Parquet)");
  withCommonOptions(
    data
      .command("inspect")
      .description(
        "summarise a trip file: rows read / kept / skipped by reason, span, trips per hour, top zones",
      )
      .argument(
        "<file>",
        "trip file: CSV, CSV.gz or Parquet (TLC yellow, green, FHV, HVFHV, legacy lat/lon)",
      )
      .option(
        "--borough <name>",
        'keep trips with both ends in this borough ("all" keeps all)',
        undefined,
      )
      .option("--date <YYYY-MM-DD>", "keep pickups on this local date")
      .option("--from <HH:MM>", "keep pickups from this local time of day")
      .option("--to <HH:MM>", "keep pickups before this local time of day")
      .option("--strict", "fail on the first bad row instead of skipping it")
      .option("--limit <n>", "stop after this many kept trips"),
  ).action(action(inspect, printInspect));
}

async function inspect(flags: InspectFlags, args: string[]): Promise<InspectResult> {
  const file = args[0];
  const options = { ...fromConfig(flags.config), ...definedFlags(flags) };
  let progress: ReturnType<typeof startProgress> | undefined;
  const size = fileSize(file);
  if (size > PROGRESS_BYTES)
    progress = startProgress(`reading ${basename(file)} (%)`, 100, "{rows} rows");
  try {
    const { trips, report } = await loadTrips(file, {
      ...options,
      zoneOf: cityZoneOf(),
      onProgress: progress
        ? (rows, fraction) => progress.update(Math.round(fraction * 100), { rows })
        : undefined,
    });
    return { ...report, ...summarizeTrips(trips, zoneLookup(), 10) };
  } finally {
    progress?.stop();
  }
}

/**
 * Zones of lat/lon-only trip ends from the shipped city's zone polygons (Manhattan), so the
 * borough filter is exact there rather than a bounding box. The city loads at the first such row.
 */
function cityZoneOf(): (lat: number, lon: number) => number {
  let city: City | undefined;
  return (lat, lon) => {
    city ??= loadCity();
    return city.zoneOf(lat, lon);
  };
}

function fromConfig(path: string | undefined): LoadTripsOptions {
  if (!path) return {};
  const parsed = ConfigSchema.safeParse(readConfigFile(path));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(`${path}: ${issue.path.join(".") || "(top level)"}: ${issue.message}`);
  }
  return parsed.data;
}

function definedFlags(flags: InspectFlags): LoadTripsOptions {
  const out: LoadTripsOptions = {};
  if (flags.borough !== undefined) out.borough = flags.borough;
  if (flags.date !== undefined) out.date = flags.date;
  if (flags.from !== undefined) out.from = flags.from;
  if (flags.to !== undefined) out.to = flags.to;
  if (flags.strict) out.strict = true;
  if (flags.limit !== undefined) {
    const n = Number(flags.limit);
    if (!Number.isInteger(n) || n <= 0) {
      throw new UserError(
        `--limit: expected a positive whole number (got ${JSON.stringify(flags.limit)})`,
      );
    }
    out.limit = n;
  }
  return out;
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0; // loadTrips words the error
  }
}

const n = (x: number) => x.toLocaleString("en-US");

function printInspect(r: InspectResult): void {
  const lines: string[] = [];
  const filters = [
    `borough ${r.filters.borough}`,
    r.filters.date && `date ${r.filters.date}`,
    (r.filters.from || r.filters.to) &&
      `pickups ${r.filters.from ?? "00:00"}-${r.filters.to ?? "24:00"}`,
  ].filter(Boolean);
  lines.push(`file      ${r.file}`);
  lines.push(`schema    ${r.schema} (${r.format}; trip ends by ${r.location})`);
  lines.push(`filters   ${filters.join(", ")}`);
  lines.push(
    `rows      ${n(r.rowsRead)} read, ${n(r.kept)} kept, ${n(r.skippedTotal)} skipped as bad, ${n(r.filteredTotal)} outside the filters${r.reachedLimit ? " (stopped at --limit)" : ""}`,
  );
  lines.push(
    `skipped   ${Object.entries(r.skipped)
      .map(([k, v]) => `${k} ${n(v)}`)
      .join(", ")}`,
  );
  lines.push(
    `filtered  ${Object.entries(r.filtered)
      .map(([k, v]) => `${k} ${n(v)}`)
      .join(", ")}`,
  );
  if (r.kept === 0) {
    lines.push("no trips kept");
    process.stdout.write(`${lines.join("\n")}\n`);
    return;
  }
  lines.push(`span      ${r.firstPickup} .. ${r.lastPickup} (pickups, local time)`);
  lines.push(`duration  median ${(r.medianDurationS / 60).toFixed(1)} min`);
  lines.push("", "trips per hour (pickup, local)");
  const max = Math.max(...r.tripsPerHour);
  r.tripsPerHour.forEach((count, h) => {
    const bar = "#".repeat(Math.round((count / max) * 40));
    lines.push(`  ${String(h).padStart(2, "0")}h ${n(count).padStart(9)} ${bar}`);
  });
  lines.push("", "top pickup zones");
  r.topPickupZones.forEach((z, i) => {
    lines.push(
      `  ${String(i + 1).padStart(2)}. ${String(z.zone).padStart(3)} ${`${z.name} (${z.borough})`.padEnd(44)} ${n(z.trips).padStart(9)}`,
    );
  });
  if (r.pickupsWithoutZone > 0) {
    lines.push(`  (${n(r.pickupsWithoutZone)} pickups located by coordinates only, no zone)`);
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}
