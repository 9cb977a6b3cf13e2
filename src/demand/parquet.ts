/**
 * Parquet trip files (the TLC's format since 2022) read one row group at a time, and only the
 * columns the simulator needs (hyparquet reads byte ranges, so the other ~15 columns of a TLC
 * file are never loaded). Timestamps come out as plain seconds instead of Date objects.
 */
import * as zlib from "node:zlib";
import {
  asyncBufferFromFile,
  type Compressors,
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
} from "hyparquet";
import { UserError } from "../core/errors.ts";

/** Timestamps as seconds since the epoch of their stored (wall-clock) value; see datetime.ts. */
const PARSERS = {
  timestampFromMilliseconds: (ms: bigint) => Number(ms) / 1e3,
  timestampFromMicroseconds: (us: bigint) => Number(us) / 1e6,
  timestampFromNanoseconds: (ns: bigint) => Number(ns / 1000n) / 1e6,
};

/** Codecs hyparquet lacks, from node:zlib (ZSTD only where this Node has it: 22.15 and later). */
const zstd = (zlib as unknown as { zstdDecompressSync?: (b: Uint8Array) => Buffer })
  .zstdDecompressSync;
const COMPRESSORS: Compressors = {
  GZIP: (input) => new Uint8Array(zlib.gunzipSync(input)),
  BROTLI: (input) => new Uint8Array(zlib.brotliDecompressSync(input)),
  ...(zstd ? { ZSTD: (input: Uint8Array) => new Uint8Array(zstd(input)) } : {}),
};
const READABLE_CODECS = new Set(["UNCOMPRESSED", "SNAPPY", ...Object.keys(COMPRESSORS)]);

export interface ParquetHandlers {
  /** Gets the top-level column names; returns the names of the columns to read. */
  onHeader(names: string[]): string[];
  /**
   * Gets one row group: `columns[k]` holds the values of the k-th requested column, `rows`
   * values each; `firstRow` is the 0-based index of its first row in the file. Return false to
   * stop reading.
   */
  onRowGroup(columns: ArrayLike<unknown>[], rows: number, firstRow: number): boolean;
  /** Called after each row group with the fraction of rows read. */
  onProgress?(fraction: number): void;
}

/** Stream a Parquet file's needed columns row group by row group. */
export async function readParquetRowGroups(file: string, handlers: ParquetHandlers): Promise<void> {
  const buffer = await asyncBufferFromFile(file);
  let metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>;
  try {
    metadata = await parquetMetadataAsync(buffer);
  } catch (e) {
    throw new UserError(`${file}: not a readable Parquet file (${(e as Error).message})`);
  }
  const names = parquetSchema(metadata).children.map((c) => c.element.name);
  const wanted = handlers.onHeader(names);
  for (const rg of metadata.row_groups) {
    for (const chunk of rg.columns) {
      const codec = chunk.meta_data?.codec;
      const column = chunk.meta_data?.path_in_schema.join(".");
      if (codec && column && wanted.includes(column) && !READABLE_CODECS.has(codec)) {
        throw new UserError(
          `${file}: column ${column}: compression ${codec} cannot be read here (readable: ${[...READABLE_CODECS].join(", ")}${zstd ? "" : "; ZSTD needs Node 22.15 or later"})`,
        );
      }
    }
  }
  const total = Number(metadata.num_rows);
  let firstRow = 0;
  for (const rg of metadata.row_groups) {
    const rows = Number(rg.num_rows);
    const columns = wanted.map(() => new Array<unknown>(rows));
    try {
      await parquetRead({
        file: buffer,
        metadata,
        columns: wanted,
        rowStart: firstRow,
        rowEnd: firstRow + rows,
        parsers: PARSERS,
        compressors: COMPRESSORS,
        onChunk(chunk) {
          const k = wanted.indexOf(chunk.columnName);
          if (k < 0) return;
          const from = Math.max(chunk.rowStart, firstRow);
          const to = Math.min(chunk.rowEnd, firstRow + rows);
          const dst = columns[k];
          for (let r = from; r < to; r++) dst[r - firstRow] = chunk.columnData[r - chunk.rowStart];
        },
      });
    } catch (e) {
      throw new UserError(
        `${file}: rows ${firstRow + 1}..${firstRow + rows}: cannot decode Parquet data (${(e as Error).message})`,
      );
    }
    const go = handlers.onRowGroup(columns, rows, firstRow);
    firstRow += rows;
    handlers.onProgress?.(total > 0 ? firstRow / total : 1);
    if (!go) return;
  }
}
