/**
 * `OsrmRouter`: the `Router` for users who run an OSRM v5 server (osrm-routed) for their own
 * city. It calls `/route/v1/{profile}` and `/table/v1/{profile}` over HTTP, splits big tables
 * into requests the server accepts, and reports every failure as a `UserError` naming the URL.
 *
 * OSRM has one speed profile baked into its extract, so the `RouteQuery` (hour, day type) is
 * ignored. Unreachable pairs in a table (OSRM's `null`) become `Infinity`.
 */
import { inputError, UserError } from "../core/errors.ts";
import { getJson, type HttpPolicy, shortUrl } from "./osrm-http.ts";
import type { LatLon, RouteQuery, RouteResult, Router } from "./router.ts";

export interface OsrmOptions {
  /** Server root, e.g. `http://127.0.0.1:5000` (a path prefix behind a proxy is kept). */
  baseUrl: string;
  /** OSRM profile segment of the URL (default `"driving"`; osrm-routed accepts any name). */
  profile?: string;
  /** Per-attempt timeout in ms (default 5000). */
  timeoutMs?: number;
  /** Retries on network errors, timeouts, 5xx and 429 (default 2). */
  retries?: number;
  /** Backoff before the first retry in ms, doubled each retry (default 200). */
  retryDelayMs?: number;
  /**
   * Most sources and most destinations per table request (default 100, osrm-routed's default
   * `--max-table-size`). Bigger tables are split into blocks and reassembled.
   */
  maxTableSize?: number;
  /** Table block requests in flight at once (default 4). */
  concurrency?: number;
}

export class OsrmRouter implements Router {
  readonly name = "osrm";
  private readonly baseUrl: string;
  private readonly profile: string;
  private readonly http: HttpPolicy;
  private readonly maxTableSize: number;
  private readonly concurrency: number;

  constructor(options: OsrmOptions) {
    this.baseUrl = checkBaseUrl(options.baseUrl);
    this.profile = options.profile ?? "driving";
    if (!/^[A-Za-z0-9_-]+$/.test(this.profile)) {
      throw optionError("profile", "a name of letters, digits, '_' or '-'", this.profile);
    }
    this.http = {
      timeoutMs: intOption("timeoutMs", options.timeoutMs ?? 5000, 1),
      retries: intOption("retries", options.retries ?? 2, 0),
      retryDelayMs: intOption("retryDelayMs", options.retryDelayMs ?? 200, 0),
    };
    this.maxTableSize = intOption("maxTableSize", options.maxTableSize ?? 100, 1);
    this.concurrency = intOption("concurrency", options.concurrency ?? 4, 1);
  }

  /** Fastest route by OSRM; `pathNodes` counts the OSM nodes of its `annotations=nodes`. */
  async route(from: LatLon, to: LatLon, _query?: RouteQuery): Promise<RouteResult> {
    checkPoint("route", "from", from);
    checkPoint("route", "to", to);
    const url =
      `${this.baseUrl}/route/v1/${this.profile}/${lonLat(from)};${lonLat(to)}` +
      "?overview=false&steps=false&annotations=nodes";
    const body = await this.request(url);
    const route = (body.routes as unknown[] | undefined)?.[0] as
      | Record<string, unknown>
      | undefined;
    const timeS = route?.duration;
    const distanceM = route?.distance;
    if (!isNonNegative(timeS) || !isNonNegative(distanceM)) {
      throw shapeError(url, "routes[0].duration and routes[0].distance (numbers >= 0)");
    }
    const pathNodes = countPathNodes(route?.legs);
    return pathNodes === undefined ? { timeS, distanceM } : { timeS, distanceM, pathNodes };
  }

  /** Row-major travel times in seconds; `Infinity` where OSRM finds no route (`null`). */
  async table(
    sources: LatLon[],
    destinations: LatLon[],
    _query?: RouteQuery,
  ): Promise<Float64Array> {
    for (const [i, p] of sources.entries()) checkPoint("table", `sources[${i}]`, p);
    for (const [j, p] of destinations.entries()) checkPoint("table", `destinations[${j}]`, p);
    const cols = destinations.length;
    const out = new Float64Array(sources.length * cols);
    const blocks: { s0: number; s1: number; d0: number; d1: number }[] = [];
    for (let s0 = 0; s0 < sources.length; s0 += this.maxTableSize) {
      for (let d0 = 0; d0 < cols; d0 += this.maxTableSize) {
        const s1 = Math.min(s0 + this.maxTableSize, sources.length);
        blocks.push({ s0, s1, d0, d1: Math.min(d0 + this.maxTableSize, cols) });
      }
    }
    // A few workers take blocks in turn; after one fails the others stop taking new blocks.
    let next = 0;
    let failed = false;
    const worker = async () => {
      while (next < blocks.length && !failed) {
        const { s0, s1, d0, d1 } = blocks[next++];
        try {
          const rows = await this.tableBlock(sources.slice(s0, s1), destinations.slice(d0, d1));
          for (let i = 0; i < rows.length; i++) {
            for (let j = 0; j < rows[i].length; j++) out[(s0 + i) * cols + d0 + j] = rows[i][j];
          }
        } catch (error) {
          failed = true;
          throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, blocks.length) }, worker));
    return out;
  }

  /** One `/table` request: sources first, destinations after them in the coordinate list. */
  private async tableBlock(sources: LatLon[], destinations: LatLon[]): Promise<number[][]> {
    const coords = [...sources, ...destinations].map(lonLat).join(";");
    const srcIdx = sources.map((_, i) => i).join(";");
    const dstIdx = destinations.map((_, j) => sources.length + j).join(";");
    const url =
      `${this.baseUrl}/table/v1/${this.profile}/${coords}` +
      `?sources=${srcIdx}&destinations=${dstIdx}&annotations=duration`;
    const body = await this.request(url);
    const durations = body.durations;
    if (!Array.isArray(durations)) throw shapeError(url, "a durations matrix");
    const badRow = durations.findIndex(
      (r) => !Array.isArray(r) || r.length !== destinations.length,
    );
    if (durations.length !== sources.length || badRow >= 0) {
      const got =
        durations.length !== sources.length ? `${durations.length} rows` : `row ${badRow}`;
      throw new UserError(
        `OSRM answered GET ${shortUrl(url)} with a durations matrix of the wrong size: expected ` +
          `${sources.length}×${destinations.length} (sources × destinations), got ${got}` +
          (badRow >= 0 ? ` of length ${(durations[badRow] as unknown[])?.length ?? "none"}` : ""),
      );
    }
    return (durations as unknown[][]).map((row, i) =>
      row.map((v, j) => {
        if (v === null) return Number.POSITIVE_INFINITY;
        if (!isNonNegative(v)) throw shapeError(url, `durations[${i}][${j}] a number >= 0 or null`);
        return v;
      }),
    );
  }

  /** GET and check OSRM's envelope: `code` must be "Ok" (errors come with HTTP 400). */
  private async request(url: string): Promise<Record<string, unknown>> {
    const { status, body } = await getJson(url, this.http);
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw shapeError(url, 'a JSON object with "code"');
    }
    const { code, message } = body as { code?: unknown; message?: unknown };
    if (code === "Ok" && status < 400) return body as Record<string, unknown>;
    if (typeof code !== "string") throw shapeError(url, 'a "code" field');
    const detail = typeof message === "string" ? `: ${message}` : "";
    throw new UserError(
      `OSRM request GET ${shortUrl(url)} failed: HTTP ${status}, code ${code}${detail}`,
    );
  }
}

/** OSRM wants `lon,lat`; 6 decimals is ~0.1 m. */
function lonLat(p: LatLon): string {
  return `${p.lon.toFixed(6)},${p.lat.toFixed(6)}`;
}

/** Nodes along all legs; consecutive legs share their joining node. */
function countPathNodes(legs: unknown): number | undefined {
  if (!Array.isArray(legs) || legs.length === 0) return undefined;
  let total = 0;
  for (const leg of legs) {
    const nodes = (leg as { annotation?: { nodes?: unknown } })?.annotation?.nodes;
    if (!Array.isArray(nodes)) return undefined;
    total += nodes.length;
  }
  return total - (legs.length - 1);
}

function isNonNegative(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v) && v >= 0;
}

function shapeError(url: string, expected: string): UserError {
  return new UserError(
    `OSRM answered GET ${shortUrl(url)} with JSON that lacks ${expected}; is this an OSRM v5 server?`,
  );
}

function checkPoint(method: string, field: string, p: LatLon): void {
  const lat = p?.lat;
  const lon = p?.lon;
  if (typeof lat !== "number" || !Number.isFinite(lat) || lat < -90 || lat > 90) {
    throw inputError(`OsrmRouter.${method}`, {
      field: `${field}.lat`,
      expected: "a latitude in [-90, 90]",
      got: shown(lat),
    });
  }
  if (typeof lon !== "number" || !Number.isFinite(lon) || lon < -180 || lon > 180) {
    throw inputError(`OsrmRouter.${method}`, {
      field: `${field}.lon`,
      expected: "a longitude in [-180, 180]",
      got: shown(lon),
    });
  }
}

/** JSON would print NaN and Infinity as null; keep them readable. */
function shown(v: unknown): unknown {
  return typeof v === "number" && !Number.isFinite(v) ? String(v) : (v ?? null);
}

function checkBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw optionError("baseUrl", "an http(s) URL such as http://127.0.0.1:5000", baseUrl);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw optionError("baseUrl", "an http(s) URL such as http://127.0.0.1:5000", baseUrl);
  }
  return url.href.replace(/\/+$/, "");
}

function intOption(field: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min)
    throw optionError(field, `an integer >= ${min}`, value);
  return value;
}

function optionError(field: string, expected: string, got: unknown): UserError {
  return inputError("OsrmRouter options", { field, expected, got });
}
