/**
 * The dashboard's web server (node:http): the built front-end (dashboard/dist) and a read-only
 * JSON API over the runs folder. It binds to 127.0.0.1 unless told otherwise, answers GET/HEAD
 * only, refuses every path outside its two roots (see safe-path.ts) and, when bound to loopback,
 * requests whose Host is not a loopback name (DNS rebinding).
 *
 * API (all GET):
 *   /api/runs                     { runsDir, runs: RunSummary[] }
 *   /api/rows?run=ID&file=train   rows of train.jsonl (or file=eval) as a JSON array
 *   /api/events?run=ID            the run's events.json
 *   /api/replay?run=ID            the run's replay.json (a mapf episode: the grid replay)
 *   /api/city                     the map: nodes, roads, zone rings (city-map.ts)
 *   /api/stream?run=ID&run=ID2    server-sent events `rows` as the runs' logs grow (live.ts)
 *   /files/<path>                 any file inside the runs folder (CSV, JSON, report.html, …)
 */
import { createReadStream, existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { basename, extname, join } from "node:path";
import { pipeline } from "node:stream";
import { fileURLToPath } from "node:url";
import { createGzip, gunzipSync, gzipSync } from "node:zlib";
import { loadCity } from "../city/city.ts";
import { UserError } from "../core/errors.ts";
import { RUN_FILES } from "../core/run-layout.ts";
import { cityMap } from "./city-map.ts";
import { streamRows } from "./live.ts";
import { listRuns, outOfHandles, parseRows } from "./runs.ts";
import { resolveInside } from "./safe-path.ts";

/** The built front-end shipped with the package. */
export const DEFAULT_ASSETS_DIR = fileURLToPath(new URL("../../dashboard/dist/", import.meta.url));

export interface DashboardOptions {
  runsDir: string;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  assetsDir?: string;
  /** City data folder for the map (default the shipped Manhattan data). */
  cityDir?: string;
  /** How often live streams look at the logs, ms. */
  pollMs?: number;
}

export interface Dashboard {
  url: string;
  port: number;
  runsDir: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".jsonl": "text/plain; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".yaml": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

/** The page may talk to this server only: no online tiles, fonts or scripts. */
const CSP =
  "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'";

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Start the server; resolves once it listens. */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  if (!existsSync(options.runsDir) || !statSync(options.runsDir).isDirectory()) {
    throw new UserError(`${options.runsDir}: runs directory not found`);
  }
  const runsDir = realpathSync(options.runsDir);
  const assets = options.assetsDir ?? DEFAULT_ASSETS_DIR;
  const assetsDir = existsSync(assets) ? realpathSync(assets) : assets;
  const host = options.host ?? "127.0.0.1";
  const pollMs = options.pollMs ?? 500;
  const loopback = ["127.0.0.1", "localhost", "::1"].includes(host);
  let cityJson: Buffer | null = null;
  const streams = new Set<() => void>();

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== "GET" && req.method !== "HEAD") throw new HttpError(405, "GET only");
    const url = new URL(req.url ?? "/", "http://dashboard.invalid");
    if (loopback && !isLoopbackHost(req.rawHeaders)) throw new HttpError(403, "bad Host header");
    const path = url.pathname;
    if (path === "/api/runs")
      // the folder's name only: no server path goes into a response
      return sendJson(req, res, { runsDir: basename(runsDir), runs: listRuns(runsDir) });
    if (path === "/api/rows") {
      const file = url.searchParams.get("file") ?? "train";
      if (file !== "train" && file !== "eval") throw new HttpError(400, "file: train or eval");
      const log = join(runDir(url.searchParams.get("run")), `${file}.jsonl`);
      return sendJson(req, res, existsSync(log) ? parseRows(readFileSync(log, "utf8")) : []);
    }
    if (path === "/api/events") {
      const events = join(runDir(url.searchParams.get("run")), "events.json");
      if (!existsSync(events)) throw new HttpError(404, "this run has no events.json");
      return sendFile(req, res, events);
    }
    if (path === "/api/replay") {
      const replay = join(runDir(url.searchParams.get("run")), RUN_FILES.replay);
      if (!existsSync(replay)) throw new HttpError(404, "this run has no replay.json");
      return sendFile(req, res, replay);
    }
    if (path === "/api/city") {
      cityJson ??= gzipSync(JSON.stringify(cityMap(loadCity(options.cityDir))));
      return sendGzipped(req, res, cityJson, TYPES[".json"]);
    }
    if (path === "/api/stream") {
      const ids = url.searchParams.getAll("run");
      if (ids.length === 0 || ids.length > 32) throw new HttpError(400, "run: 1 to 32 run ids");
      const runs = ids.map((id) => ({ id, dir: runDir(id) }));
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache",
        connection: "keep-alive",
      });
      const stop = streamRows(res, runs, pollMs);
      streams.add(stop);
      res.on("close", () => streams.delete(stop));
      return;
    }
    if (path.startsWith("/api/")) throw new HttpError(404, "no such API");
    if (path.startsWith("/files/")) {
      const file = resolveInside(runsDir, decodePath(path.slice("/files/".length)));
      if (!file) throw new HttpError(403, "outside the runs directory");
      return sendFile(req, res, file);
    }
    const asset =
      path === "/"
        ? join(assetsDir, "index.html")
        : resolveInside(assetsDir, decodePath(path.slice(1)));
    if (!asset) throw new HttpError(403, "outside the dashboard's assets");
    if (path === "/" && !existsSync(asset)) {
      throw new HttpError(500, "dashboard assets not built: run `npm run build:dashboard`");
    }
    return sendFile(req, res, asset);
  };

  /** A run id from a query parameter → its directory inside the runs folder. */
  const runDir = (id: string | null): string => {
    if (!id) throw new HttpError(400, "run: expected a run id");
    const dir = resolveInside(runsDir, id);
    if (!dir) throw new HttpError(403, "outside the runs directory");
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new HttpError(404, "no such run");
    return dir;
  };

  const server: Server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (err) {
      // A user's bad request gets its reason; anything else a fixed text (never a server path).
      const known = err instanceof HttpError;
      const busy = !known && outOfHandles(err);
      const status = known ? err.status : busy ? 503 : 500;
      const message = known
        ? err.message
        : busy
          ? "out of file handles, retry later"
          : "internal error";
      if (!known) console.error(`dashboard: ${req.url}: ${String(err)}`);
      if (!res.headersSent) {
        res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
        res.end(`${status} ${message}\n`);
      } else res.destroy();
    }
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(
        err.code === "EADDRINUSE"
          ? new UserError(`port ${options.port}: already in use (try --port 0 for a free one)`)
          : err,
      ),
    );
    server.listen(options.port ?? 0, host, () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  const shown = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/`,
    port,
    runsDir,
    close: () =>
      new Promise<void>((resolveClose) => {
        for (const stop of streams) stop();
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}

/**
 * True when the request carries exactly one Host header and it names a loopback host, with
 * nothing or a port after it: `localhost`, `127.0.0.1:8787`, `[::1]:8787` — not
 * `[::1].evil.com`, `localhost:` or `localhost.evil.com`.
 */
export function isLoopbackHost(rawHeaders: string[]): boolean {
  const hosts: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i].toLowerCase() === "host") hosts.push(rawHeaders[i + 1]);
  }
  if (hosts.length !== 1) return false;
  const m = /^(127\.0\.0\.1|localhost|\[::1\])(?::(\d{1,5}))?$/i.exec(hosts[0].trim());
  return m !== null && (m[2] === undefined || (Number(m[2]) >= 1 && Number(m[2]) <= 65535));
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    throw new HttpError(400, "bad percent-encoding");
  }
}

function sendJson(req: IncomingMessage, res: ServerResponse, value: unknown): void {
  const body = Buffer.from(JSON.stringify(value));
  if (body.length > 16 * 1024 && acceptsGzip(req)) {
    sendGzipped(req, res, gzipSync(body), TYPES[".json"]);
    return;
  }
  res.writeHead(200, { "content-type": TYPES[".json"], "cache-control": "no-store" });
  res.end(req.method === "HEAD" ? undefined : body);
}

function sendGzipped(req: IncomingMessage, res: ServerResponse, gz: Buffer, type: string): void {
  if (!acceptsGzip(req)) {
    res.writeHead(200, { "content-type": type, "cache-control": "no-store" });
    res.end(req.method === "HEAD" ? undefined : gunzipSync(gz));
    return;
  }
  res.writeHead(200, {
    "content-type": type,
    "content-encoding": "gzip",
    "cache-control": "no-store",
  });
  res.end(req.method === "HEAD" ? undefined : gz);
}

/** Stream a file (gzip on the fly for text when the client takes it); 404 if it is not a file. */
function sendFile(req: IncomingMessage, res: ServerResponse, path: string): void {
  let st: import("node:fs").Stats | undefined;
  try {
    st = statSync(path, { throwIfNoEntry: false });
  } catch {
    st = undefined; // ENAMETOOLONG, ENOTDIR, EACCES, …: not a file we can serve
  }
  if (!st?.isFile()) throw new HttpError(404, "not found");
  const type = TYPES[extname(path).toLowerCase()] ?? "application/octet-stream";
  const headers: Record<string, string> = {
    "content-type": type,
    "cache-control": "no-cache",
    "x-content-type-options": "nosniff",
  };
  if (type.startsWith("text/html")) headers["content-security-policy"] = CSP;
  const gzip =
    st.size > 1024 && /^(text|application\/json|image\/svg)/.test(type) && acceptsGzip(req);
  if (gzip) headers["content-encoding"] = "gzip";
  else headers["content-length"] = String(st.size);
  res.writeHead(200, headers);
  if (req.method === "HEAD") {
    res.end();
    return;
  }
  // pipeline closes the file on every path: sent, read error, or a client that went away
  const done = (err: Error | null) => {
    if (err) res.destroy();
  };
  const file = createReadStream(path);
  if (gzip) pipeline(file, createGzip(), res, done);
  else pipeline(file, res, done);
}

function acceptsGzip(req: IncomingMessage): boolean {
  return /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
}
