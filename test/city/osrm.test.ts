/**
 * OsrmRouter against a real local HTTP server (127.0.0.1, port 0) that replays OSRM v5
 * responses from test/fixtures/osrm or computes them from the requested coordinates.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, describe, test } from "node:test";
import fc from "fast-check";
import { OsrmRouter } from "../../src/city/osrm.ts";
import type { LatLon } from "../../src/city/router.ts";
import { UserError } from "../../src/core/errors.ts";

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/osrm/${name}`, import.meta.url), "utf8");
const ROUTE = fixture("route-times-square-wall-street.json");
const TABLE = fixture("table-midtown-3x3.json");
const NO_ROUTE = fixture("error-noroute.json");
const INVALID_QUERY = fixture("error-invalidquery.json");

const TIMES_SQUARE = { lat: 40.758, lon: -73.9855 };
const WALL_STREET = { lat: 40.7064, lon: -74.0094 };
const GRAND_CENTRAL = { lat: 40.7527, lon: -73.9772 };
const PENN_STATION = { lat: 40.7506, lon: -73.9935 };
const CENTRAL_PARK_SOUTH = { lat: 40.7643, lon: -73.9732 };
const LIBERTY_ISLAND = { lat: 40.6892, lon: -74.0445 };

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;
const servers: { close(): Promise<void> }[] = [];

/** A server on 127.0.0.1 that records every request URL and answers with `handler`. */
async function serve(handler: Handler): Promise<{ baseUrl: string; requests: URL[] }> {
  const requests: URL[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    requests.push(url);
    handler(req, res, url);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push({
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}`, requests };
}

function reply(res: ServerResponse, status: number, body: string, type = "application/json") {
  res.writeHead(status, { "content-type": type });
  res.end(body);
}

after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

/** `{ error: UserError whose message contains every part }`, for assert.rejects. */
function userError(...parts: (string | RegExp)[]) {
  return (error: unknown) => {
    assert.ok(error instanceof UserError, `expected a UserError, got ${error}`);
    for (const part of parts) {
      if (typeof part === "string") assert.ok(error.message.includes(part), error.message);
      else assert.match(error.message, part);
    }
    return true;
  };
}

const fast = { retryDelayMs: 5, timeoutMs: 2000 };

describe("OsrmRouter.route", () => {
  test("parses duration, distance and annotated nodes; sends lon,lat", async () => {
    const { baseUrl, requests } = await serve((_req, res) => reply(res, 200, ROUTE));
    const router = new OsrmRouter({ baseUrl, ...fast });
    const result = await router.route(TIMES_SQUARE, WALL_STREET, { hour: 8, day: "weekday" });
    assert.deepEqual(result, { timeS: 806.1, distanceM: 7364.8, pathNodes: 24 });
    assert.equal(requests.length, 1);
    assert.equal(
      decodeURIComponent(requests[0].pathname),
      "/route/v1/driving/-73.985500,40.758000;-74.009400,40.706400",
    );
    assert.equal(requests[0].searchParams.get("overview"), "false");
    assert.equal(requests[0].searchParams.get("annotations"), "nodes");
  });

  test("profile and a path prefix in baseUrl are kept; no annotation means no pathNodes", async () => {
    const bare = JSON.parse(ROUTE);
    delete bare.routes[0].legs[0].annotation;
    const { baseUrl, requests } = await serve((_req, res) => reply(res, 200, JSON.stringify(bare)));
    const router = new OsrmRouter({ baseUrl: `${baseUrl}/osrm/`, profile: "car", ...fast });
    assert.deepEqual(await router.route(TIMES_SQUARE, WALL_STREET), {
      timeS: 806.1,
      distanceM: 7364.8,
    });
    assert.ok(requests[0].pathname.startsWith("/osrm/route/v1/car/"), requests[0].pathname);
  });

  test("NoRoute (HTTP 400) is a clear error, not retried", async () => {
    const { baseUrl, requests } = await serve((_req, res) => reply(res, 400, NO_ROUTE));
    const router = new OsrmRouter({ baseUrl, ...fast });
    await assert.rejects(
      router.route(TIMES_SQUARE, LIBERTY_ISLAND),
      userError(`GET ${baseUrl}/route/v1/driving/`, "HTTP 400", "NoRoute", "Impossible route"),
    );
    assert.equal(requests.length, 1);
  });

  test("InvalidQuery is reported with OSRM's message", async () => {
    const { baseUrl } = await serve((_req, res) => reply(res, 400, INVALID_QUERY));
    const router = new OsrmRouter({ baseUrl, ...fast });
    await assert.rejects(
      router.route(TIMES_SQUARE, WALL_STREET),
      userError("InvalidQuery", "Query string malformed"),
    );
  });

  test("a body that is not JSON, and JSON without routes, are clear errors", async () => {
    const html = await serve((_req, res) =>
      reply(res, 200, "<html><body>It works!</body></html>", "text/html"),
    );
    await assert.rejects(
      new OsrmRouter({ baseUrl: html.baseUrl, ...fast }).route(TIMES_SQUARE, WALL_STREET),
      userError(html.baseUrl, "not JSON", "<html>"),
    );
    const empty = await serve((_req, res) => reply(res, 200, '{"code":"Ok","routes":[]}'));
    await assert.rejects(
      new OsrmRouter({ baseUrl: empty.baseUrl, ...fast }).route(TIMES_SQUARE, WALL_STREET),
      userError(empty.baseUrl, "routes[0].duration"),
    );
    const noCode = await serve((_req, res) => reply(res, 200, '{"status":"fine"}'));
    await assert.rejects(
      new OsrmRouter({ baseUrl: noCode.baseUrl, ...fast }).route(TIMES_SQUARE, WALL_STREET),
      userError('"code"'),
    );
  });

  test("a 404 page from the wrong base URL names the status", async () => {
    const { baseUrl } = await serve((_req, res) => reply(res, 404, "Not Found", "text/plain"));
    await assert.rejects(
      new OsrmRouter({ baseUrl, ...fast }).route(TIMES_SQUARE, WALL_STREET),
      userError("HTTP 404", "not JSON"),
    );
  });
});

describe("OsrmRouter.table", () => {
  test("parses the matrix row-major; null becomes Infinity; indices follow coordinates", async () => {
    const { baseUrl, requests } = await serve((_req, res) => reply(res, 200, TABLE));
    const router = new OsrmRouter({ baseUrl, ...fast });
    const sources = [TIMES_SQUARE, GRAND_CENTRAL, PENN_STATION];
    const destinations = [WALL_STREET, CENTRAL_PARK_SOUTH, LIBERTY_ISLAND];
    const m = await router.table(sources, destinations);
    assert.deepEqual(
      [...m],
      [640.4, 372.9, Infinity, 684.7, 331.2, Infinity, 571.6, 455.8, Infinity],
    );
    const url = requests[0];
    const coords = decodeURIComponent(url.pathname).split("/").at(-1)!.split(";");
    assert.equal(coords.length, 6);
    assert.equal(coords[0], "-73.985500,40.758000");
    assert.equal(coords[3], "-74.009400,40.706400");
    assert.equal(url.searchParams.get("sources"), "0;1;2");
    assert.equal(url.searchParams.get("destinations"), "3;4;5");
    assert.equal(url.searchParams.get("annotations"), "duration");
  });

  test("wrong matrix dimensions are a clear error", async () => {
    const short = JSON.parse(TABLE);
    short.durations.pop();
    const ragged = JSON.parse(TABLE);
    ragged.durations[1].pop();
    for (const [body, part] of [
      [short, "got 2 rows"],
      [ragged, "row 1 of length 2"],
    ] as const) {
      const { baseUrl } = await serve((_req, res) => reply(res, 200, JSON.stringify(body)));
      const router = new OsrmRouter({ baseUrl, ...fast });
      await assert.rejects(
        router.table(
          [TIMES_SQUARE, GRAND_CENTRAL, PENN_STATION],
          [WALL_STREET, LIBERTY_ISLAND, CENTRAL_PARK_SOUTH],
        ),
        userError(baseUrl, "wrong size", "expected 3×3", part),
      );
    }
  });

  test("a negative or non-numeric duration is rejected", async () => {
    const bad = JSON.parse(TABLE);
    bad.durations[2][0] = "571.6";
    const { baseUrl } = await serve((_req, res) => reply(res, 200, JSON.stringify(bad)));
    await assert.rejects(
      new OsrmRouter({ baseUrl, ...fast }).table(
        [TIMES_SQUARE, GRAND_CENTRAL, PENN_STATION],
        [WALL_STREET, CENTRAL_PARK_SOUTH, LIBERTY_ISLAND],
      ),
      userError("durations[2][0]"),
    );
  });

  test("empty sources or destinations give an empty matrix without a request", async () => {
    const { baseUrl, requests } = await serve((_req, res) => reply(res, 200, TABLE));
    const router = new OsrmRouter({ baseUrl, ...fast });
    assert.equal((await router.table([], [WALL_STREET])).length, 0);
    assert.equal((await router.table([WALL_STREET], [])).length, 0);
    assert.equal(requests.length, 0);
  });
});

/**
 * The duration the chunking server answers for a pair: a deterministic function of lon,lat,
 * with about one destination in seven unreachable (`null`).
 */
function fakeDuration(a: number[], b: number[]): number | null {
  if (Math.round(b[1] * 1e4) % 7 === 0) return null;
  const metres = Math.abs(a[1] - b[1]) * 111_000 + Math.abs(a[0] - b[0]) * 84_000;
  return Math.round(metres / 0.8) / 10;
}

/** What the router must return for a pair: OSRM's null is Infinity. */
const expected = (a: LatLon, b: LatLon) => fakeDuration(rounded(a), rounded(b)) ?? Infinity;

/** Answers any /table request like osrm-routed would, with durations from `fakeDuration`. */
function computeTable(maxTableSize: number): Handler {
  const template = JSON.parse(TABLE);
  return (_req, res, url) => {
    const coords = decodeURIComponent(url.pathname)
      .split("/")
      .at(-1)!
      .split(";")
      .map((c) => c.split(",").map(Number));
    const src = url.searchParams.get("sources")!.split(";").map(Number);
    const dst = url.searchParams.get("destinations")!.split(";").map(Number);
    if (src.length > maxTableSize || dst.length > maxTableSize) {
      reply(res, 400, '{"code":"TooBig","message":"Too many table coordinates"}');
      return;
    }
    const waypoint = (i: number) => ({ ...template.sources[0], location: coords[i] });
    const body = {
      code: "Ok",
      durations: src.map((i) => dst.map((j) => fakeDuration(coords[i], coords[j]))),
      sources: src.map(waypoint),
      destinations: dst.map(waypoint),
    };
    reply(res, 200, JSON.stringify(body));
  };
}

const rounded = (p: LatLon) => [Number(p.lon.toFixed(6)), Number(p.lat.toFixed(6))];
const manhattanPoint = fc.record({
  lat: fc.double({ min: 40.7, max: 40.88, noNaN: true }),
  lon: fc.double({ min: -74.02, max: -73.91, noNaN: true }),
});

describe("OsrmRouter.table chunking", () => {
  test("23 × 17 with maxTableSize 5 is 5 × 4 requests, reassembled in place", async () => {
    const { baseUrl, requests } = await serve(computeTable(5));
    const router = new OsrmRouter({ baseUrl, maxTableSize: 5, ...fast });
    const grid = (n: number, k: number) =>
      Array.from({ length: n }, (_, i) => ({
        lat: 40.71 + 0.0071 * i,
        lon: -74.01 + 0.0013 * i * k,
      }));
    const sources = grid(23, 1);
    const destinations = grid(17, 3);
    const m = await router.table(sources, destinations);
    assert.equal(requests.length, 20);
    let pairs = 0;
    for (const r of requests) {
      pairs +=
        r.searchParams.get("sources")!.split(";").length *
        r.searchParams.get("destinations")!.split(";").length;
    }
    assert.equal(pairs, 23 * 17);
    for (let i = 0; i < 23; i++) {
      for (let j = 0; j < 17; j++) {
        assert.equal(m[i * 17 + j], expected(sources[i], destinations[j]));
      }
    }
  });

  test("a failed block fails the table and stops the other workers taking blocks", async () => {
    const table = computeTable(1000);
    let seen = 0;
    const { baseUrl, requests } = await serve((req, res, url) => {
      if (seen++ === 0) reply(res, 400, '{"code":"TooBig","message":"Too many table coordinates"}');
      else table(req, res, url);
    });
    const router = new OsrmRouter({ baseUrl, maxTableSize: 5, concurrency: 2, ...fast });
    const points = Array.from({ length: 20 }, (_, i) => ({ lat: 40.72 + 0.003 * i, lon: -73.99 }));
    await assert.rejects(router.table(points, points), userError("HTTP 400", "TooBig"));
    // The second worker finishes the block it holds; without the stop it would send all 16.
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.ok(requests.length <= 2, `${requests.length} requests`);
  });

  test("property: any sizes and block size give the brute-force matrix", async () => {
    const { baseUrl } = await serve(computeTable(1000));
    await fc.assert(
      fc.asyncProperty(
        fc.array(manhattanPoint, { minLength: 1, maxLength: 12 }),
        fc.array(manhattanPoint, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 3 }),
        async (sources, destinations, maxTableSize, concurrency) => {
          const router = new OsrmRouter({ baseUrl, maxTableSize, concurrency, ...fast });
          const m = await router.table(sources, destinations);
          const want = sources.flatMap((s) => destinations.map((d) => expected(s, d)));
          assert.deepEqual([...m], want);
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe("OsrmRouter failures and retries", () => {
  test("retries after 503 and 429, then succeeds", async () => {
    const statuses = [503, 429];
    const { baseUrl, requests } = await serve((_req, res) => {
      const status = statuses.shift();
      if (status) reply(res, status, "busy", "text/plain");
      else reply(res, 200, ROUTE);
    });
    const router = new OsrmRouter({ baseUrl, retries: 2, ...fast });
    assert.equal((await router.route(TIMES_SQUARE, WALL_STREET)).timeS, 806.1);
    assert.equal(requests.length, 3);
  });

  test("gives up after the retries with the last status", async () => {
    const { baseUrl, requests } = await serve((_req, res) =>
      reply(res, 502, "bad gateway", "text/plain"),
    );
    const router = new OsrmRouter({ baseUrl, retries: 1, ...fast });
    await assert.rejects(
      router.route(TIMES_SQUARE, WALL_STREET),
      userError(baseUrl, "HTTP 502", "after 2 attempts"),
    );
    assert.equal(requests.length, 2);
  });

  test("a server that never answers times out with a clear error", async () => {
    const { baseUrl, requests } = await serve(() => {});
    const router = new OsrmRouter({ baseUrl, timeoutMs: 100, retries: 1, retryDelayMs: 5 });
    await assert.rejects(
      router.table([TIMES_SQUARE], [WALL_STREET]),
      userError(
        `GET ${baseUrl}/table/v1/driving/`,
        "no answer within 100 ms (timeout)",
        "after 2 attempts",
      ),
    );
    assert.equal(requests.length, 2);
  });

  test("an unreachable port gives a clear error", async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const router = new OsrmRouter({ baseUrl: `http://127.0.0.1:${port}`, retries: 1, ...fast });
    await assert.rejects(
      router.route(TIMES_SQUARE, WALL_STREET),
      userError(`http://127.0.0.1:${port}/route`, "ECONNREFUSED", "osrm-routed"),
    );
  });
});

describe("OsrmRouter input validation", () => {
  test("bad coordinates are rejected before any request", async () => {
    const { baseUrl, requests } = await serve((_req, res) => reply(res, 200, ROUTE));
    const router = new OsrmRouter({ baseUrl, ...fast });
    await assert.rejects(
      router.route({ lat: 200, lon: -73.98 }, WALL_STREET),
      userError("OsrmRouter.route: from.lat: expected a latitude in [-90, 90] (got 200)"),
    );
    await assert.rejects(
      router.table([TIMES_SQUARE], [WALL_STREET, { lat: 40.7, lon: Number.NaN }]),
      userError('destinations[1].lon: expected a longitude in [-180, 180] (got "NaN")'),
    );
    assert.equal(requests.length, 0);
  });

  test("bad options are rejected by the constructor", () => {
    assert.throws(
      () => new OsrmRouter({ baseUrl: "localhost:5000" }),
      userError("baseUrl", "http(s) URL"),
    );
    assert.throws(() => new OsrmRouter({ baseUrl: "not a url" }), userError("baseUrl"));
    const baseUrl = "http://127.0.0.1:5000";
    assert.throws(
      () => new OsrmRouter({ baseUrl, maxTableSize: 0 }),
      userError("maxTableSize", ">= 1"),
    );
    assert.throws(() => new OsrmRouter({ baseUrl, retries: -1 }), userError("retries"));
    assert.throws(() => new OsrmRouter({ baseUrl, timeoutMs: 2.5 }), userError("timeoutMs"));
    assert.throws(() => new OsrmRouter({ baseUrl, profile: "car/../x" }), userError("profile"));
  });
});
