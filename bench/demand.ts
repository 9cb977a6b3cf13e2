/**
 * Trip loading throughput and memory on large generated TLC files (>= 1M rows):
 *   npx tsx bench/demand.ts [--rows 1000000]
 * Writes a TLC-yellow CSV (2023 columns, zone ids), the same gzip-compressed, a 2009–2016-style
 * lat/lon CSV and a Parquet file to os.tmpdir(), loads each in a fresh child process (so peak
 * memory is that load's alone), prints rows/s and memory, and deletes the files.
 */
import { spawnSync } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createGzip } from "node:zlib";
import { parquetWriteBuffer } from "hyparquet-writer";
import { Rng } from "../src/core/rng.ts";
import { formatDateTime } from "../src/demand/datetime.ts";
import { loadTrips } from "../src/demand/load-trips.ts";

const { values } = parseArgs({
  options: { rows: { type: "string", default: "1000000" }, child: { type: "string" } },
});

/** Load one file and print {rows, kept, seconds, peakRssMB, maxRssMB} as JSON. */
async function child(file: string): Promise<void> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const t0 = performance.now();
  const { report } = await loadTrips(file);
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  const out = {
    rows: report.rowsRead,
    kept: report.kept,
    skipped: report.skippedTotal,
    seconds,
    peakRssMB: peak / 2 ** 20,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

async function parent(rows: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "fleetrl-bench-demand-"));
  try {
    const files = await generate(dir, rows);
    console.log(
      `trip loading, ${rows.toLocaleString("en-US")} rows per file, default filters (borough Manhattan)`,
    );
    console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
    console.log(
      "scenario                     file MB    kept     seconds   rows/s      peak RSS MB  maxRSS MB",
    );
    for (const [name, file] of files) {
      const r = spawnSync(
        process.execPath,
        ["--import", "tsx", "bench/demand.ts", "--child", file],
        {
          encoding: "utf8",
        },
      );
      if (r.status !== 0) throw new Error(`${name}: ${r.stderr}`);
      const m = JSON.parse(r.stdout);
      console.log(
        [
          name.padEnd(28),
          (statSync(file).size / 1e6).toFixed(0).padStart(7),
          String(m.kept).padStart(9),
          m.seconds.toFixed(2).padStart(9),
          Math.round(m.rows / m.seconds)
            .toLocaleString("en-US")
            .padStart(11),
          m.peakRssMB.toFixed(0).padStart(13),
          m.maxRssMB.toFixed(0).padStart(10),
        ].join(" "),
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const YELLOW_HEADER =
  "VendorID,tpep_pickup_datetime,tpep_dropoff_datetime,passenger_count,trip_distance,RatecodeID,store_and_fwd_flag,PULocationID,DOLocationID,payment_type,fare_amount,extra,mta_tax,tip_amount,tolls_amount,improvement_surcharge,total_amount,congestion_surcharge,airport_fee";
const LEGACY_HEADER =
  "vendor_id,pickup_datetime,dropoff_datetime,passenger_count,trip_distance,pickup_longitude,pickup_latitude,rate_code,store_and_fwd_flag,dropoff_longitude,dropoff_latitude,payment_type,fare_amount,surcharge,mta_tax,tip_amount,tolls_amount,total_amount";
/** Manhattan zone ids (3 in 4 trips start and end there, as in real yellow-taxi months). */
const MANHATTAN = [
  4, 12, 13, 24, 41, 42, 43, 45, 48, 50, 68, 74, 75, 79, 87, 88, 90, 100, 107, 113, 114, 116, 120,
  125, 127, 128, 137, 140, 141, 142, 143, 144, 148, 151, 152, 153, 158, 161, 162, 163, 164, 166,
  170, 186, 194, 209, 211, 224, 229, 230, 231, 232, 233, 234, 236, 237, 238, 239, 243, 244, 246,
  249, 261, 262, 263,
];

interface Trip {
  pu: number;
  do: number;
  puZone: number;
  doZone: number;
  miles: number;
}

function* trips(rows: number): Generator<Trip> {
  const rng = new Rng(2024).split("bench-trips");
  const start = Date.UTC(2023, 0, 1) / 1000;
  for (let i = 0; i < rows; i++) {
    const pu = start + Math.floor((i / rows) * 31 * 86400) + rng.int(60);
    const zone = () =>
      rng.uniform() < 0.87 ? MANHATTAN[rng.int(MANHATTAN.length)] : 1 + rng.int(265);
    yield {
      pu,
      do: pu + 120 + rng.int(2400),
      puZone: zone(),
      doZone: zone(),
      miles: 0.3 + rng.uniform() * 8,
    };
  }
}

async function writeLines(path: string, gzip: boolean, lines: Iterable<string>): Promise<void> {
  const file = createWriteStream(path);
  const closed = new Promise<void>((resolve) => file.once("close", () => resolve()));
  const out: NodeJS.WritableStream = gzip ? createGzip({ level: 6 }) : file;
  if (out !== file) (out as NodeJS.ReadWriteStream).pipe(file);
  let buf = "";
  for (const line of lines) {
    buf += `${line}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
      buf = "";
    }
  }
  out.end(buf);
  await closed;
}

function* yellowLines(rows: number): Generator<string> {
  yield YELLOW_HEADER;
  for (const t of trips(rows)) {
    yield `2,${formatDateTime(t.pu)},${formatDateTime(t.do)},1,${t.miles.toFixed(2)},1,N,${t.puZone},${t.doZone},1,12.1,1,0.5,2.0,0,1,19.1,2.5,0`;
  }
}

function* legacyLines(rows: number): Generator<string> {
  yield LEGACY_HEADER;
  const rng = new Rng(7);
  for (const t of trips(rows)) {
    const lat = () => (40.7 + rng.uniform() * 0.17).toFixed(6);
    const lon = () => (-74.01 + rng.uniform() * 0.08).toFixed(6);
    yield `CMT,${formatDateTime(t.pu)},${formatDateTime(t.do)},1,${t.miles.toFixed(2)},${lon()},${lat()},1,N,${lon()},${lat()},CSH,9.5,0.5,0.5,0,0,10.5`;
  }
}

function writeParquetFile(path: string, rows: number): void {
  const pu = new BigInt64Array(rows);
  const dropoff = new BigInt64Array(rows);
  const puZone = new Int32Array(rows);
  const doZone = new Int32Array(rows);
  const miles = new Float64Array(rows);
  let i = 0;
  for (const t of trips(rows)) {
    pu[i] = BigInt(t.pu) * 1000000n;
    dropoff[i] = BigInt(t.do) * 1000000n;
    puZone[i] = t.puZone;
    doZone[i] = t.doZone;
    miles[i++] = t.miles;
  }
  const ts = { type: "TIMESTAMP" as const, isAdjustedToUTC: false, unit: "MICROS" as const };
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: "tpep_pickup_datetime", data: pu },
      { name: "tpep_dropoff_datetime", data: dropoff },
      { name: "trip_distance", data: miles },
      { name: "PULocationID", data: puZone },
      { name: "DOLocationID", data: doZone },
    ],
    schema: [
      { name: "root", num_children: 5 },
      {
        name: "tpep_pickup_datetime",
        type: "INT64",
        repetition_type: "REQUIRED",
        logical_type: ts,
      },
      {
        name: "tpep_dropoff_datetime",
        type: "INT64",
        repetition_type: "REQUIRED",
        logical_type: ts,
      },
      { name: "trip_distance", type: "DOUBLE", repetition_type: "REQUIRED" },
      { name: "PULocationID", type: "INT32", repetition_type: "REQUIRED" },
      { name: "DOLocationID", type: "INT32", repetition_type: "REQUIRED" },
    ],
    rowGroupSize: 1 << 20,
  });
  writeFileSync(path, new Uint8Array(buffer));
}

async function generate(dir: string, rows: number): Promise<[string, string][]> {
  const csv = join(dir, "yellow.csv");
  const gz = join(dir, "yellow.csv.gz");
  const legacy = join(dir, "yellow-legacy.csv");
  const parquet = join(dir, "yellow.parquet");
  await writeLines(csv, false, yellowLines(rows));
  await writeLines(gz, true, yellowLines(rows));
  await writeLines(legacy, false, legacyLines(rows));
  writeParquetFile(parquet, rows);
  return [
    ["yellow CSV (zone ids)", csv],
    ["yellow CSV.gz (zone ids)", gz],
    ["legacy CSV (lat/lon, bbox)", legacy],
    ["yellow Parquet (5 columns)", parquet],
  ];
}

if (values.child) await child(values.child);
else await parent(Number(values.rows));
