/** Small trip files written by the tests themselves, in each format a user may bring. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { type ColumnSource, parquetWriteBuffer } from "hyparquet-writer";

/** A temp folder removed by `cleanup()`. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "fleetrl-demand-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Write `header` + `rows` (already CSV-formatted lines) as plain CSV. */
export function writeCsv(path: string, header: string, rows: string[]): string {
  writeFileSync(path, `${[header, ...rows].join("\r\n")}\r\n`);
  return path;
}

/** Same as writeCsv, gzip-compressed. */
export function writeCsvGz(path: string, header: string, rows: string[]): string {
  writeFileSync(path, gzipSync(`${[header, ...rows].join("\n")}\n`));
  return path;
}

/**
 * Write a CSV table as Parquet the way the TLC does: date-time columns as INT64 TIMESTAMP
 * (MICROS, not adjusted to UTC), `*LocationID` as INT64, numbers as DOUBLE, other text as
 * STRING; empty fields become nulls. `rowGroupSize` small enough to exercise several row groups.
 */
export function writeParquet(
  path: string,
  header: string,
  rows: string[],
  rowGroupSize = 2,
  codec: "SNAPPY" | "GZIP" = "SNAPPY",
): string {
  const names = header.split(",");
  const cells = rows.map((r) => r.split(","));
  const kinds = names.map((name, k) =>
    cells.some((c) => c[k] !== undefined && c[k] !== "" && Number.isNaN(Number(c[k]))) &&
    kindOf(name) !== "time"
      ? "string"
      : kindOf(name),
  );
  const columnData = names.map((name, k) => {
    const kind = kinds[k];
    const data = cells.map((c) => {
      const v = c[k] ?? "";
      if (v === "") return null;
      if (kind === "time") return BigInt(Date.parse(`${v.replace(" ", "T")}Z`)) * 1000n;
      if (kind === "zone") return BigInt(v);
      if (kind === "string") return v;
      return Number(v);
    });
    return { name, data };
  });
  const schema = [
    { name: "root", num_children: names.length },
    ...names.map((name, k) => {
      const kind = kinds[k];
      if (kind === "time") {
        return {
          name,
          type: "INT64" as const,
          repetition_type: "OPTIONAL" as const,
          logical_type: {
            type: "TIMESTAMP" as const,
            isAdjustedToUTC: false,
            unit: "MICROS" as const,
          },
        };
      }
      if (kind === "string") {
        return {
          name,
          type: "BYTE_ARRAY" as const,
          converted_type: "UTF8" as const,
          repetition_type: "OPTIONAL" as const,
        };
      }
      return {
        name,
        type: kind === "zone" ? ("INT64" as const) : ("DOUBLE" as const),
        repetition_type: "OPTIONAL" as const,
      };
    }),
  ];
  writeFileSync(
    path,
    new Uint8Array(
      parquetWriteBuffer({
        columnData: columnData as ColumnSource[],
        schema,
        rowGroupSize,
        codec,
        compressors: { GZIP: (input: Uint8Array) => new Uint8Array(gzipSync(input)) },
      }),
    ),
  );
  return path;
}

function kindOf(name: string): "time" | "zone" | "number" | "string" {
  const n = name.toLowerCase();
  if (n.includes("datetime")) return "time";
  if (n.endsWith("locationid")) return "zone";
  return "number";
}
