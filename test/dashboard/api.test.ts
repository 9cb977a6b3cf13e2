/**
 * The dashboard's server against a runs folder made by the real CLI: run list, rows, events,
 * city map, files; paths outside the runs folder refused; live rows pushed as train.jsonl grows.
 */
import assert from "node:assert/strict";
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { type IncomingMessage, request } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type Dashboard, startDashboard } from "../../src/dashboard/server.ts";
import { makeRunsDir } from "./fixture.ts";

let runs: string;
let outside: string;
let dash: Dashboard;
const SECRET = "top-secret-outside-the-runs-folder";

before(async () => {
  runs = await makeRunsDir();
  // Something outside the runs folder that a crafted URL or a symlink could point at.
  outside = mkdtempSync(join(tmpdir(), "fleetrl-outside-"));
  writeFileSync(join(outside, "secret.txt"), SECRET);
  writeFileSync(join(outside, "config.json"), JSON.stringify({ secret: SECRET }));
  writeFileSync(join(outside, "metrics.json"), JSON.stringify({ secret: SECRET }));
  symlinkSync(outside, join(runs, "escape"));
  symlinkSync(join(outside, "secret.txt"), join(runs, "sim-a", "link.txt"));
  dash = await startDashboard({ runsDir: runs, port: 0, pollMs: 50 });
});

after(async () => {
  await dash?.close();
  rmSync(outside, { recursive: true, force: true });
  rmSync(runs, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A raw GET: the path goes out exactly as written (no client-side `..` normalisation). */
function get(path: string, headers: Record<string, string> = {}, method = "GET"): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: dash.port, path, method, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

async function getJson(path: string): Promise<unknown> {
  const r = await get(path);
  assert.equal(r.status, 200, `${path}: ${r.body}`);
  return JSON.parse(r.body);
}

test("binds to 127.0.0.1 and lists the runs with their kind, config and final metrics", async () => {
  assert.match(dash.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const { runs: list } = (await getJson("/api/runs")) as {
    runs: {
      id: string;
      kind: string;
      config: Record<string, unknown>;
      metrics: Record<string, unknown>;
      episodes?: number;
      totalEpisodes?: number;
    }[];
  };
  assert.deepEqual(
    list.map((r) => `${r.id}:${r.kind}`),
    ["sim-a:simulate", "sim-b:simulate", "train-a:train"],
  );
  const [a, b, t] = list;
  assert.equal(a.config.dispatcher, "min-eta");
  assert.equal(b.config.dispatcher, "greedy");
  assert.deepEqual(
    a.metrics,
    JSON.parse(readFileSync(join(runs, "sim-a", "metrics.json"), "utf8")),
  );
  assert.equal(t.episodes, 2);
  assert.equal(t.totalEpisodes, 2);
  const lastTrain = (t.metrics as { train: { episode: number; reward: number } }).train;
  assert.equal(lastTrain.episode, 2);
  assert.ok(Number.isFinite(lastTrain.reward));
});

test("rows of train.jsonl and eval.jsonl, events.json and files of the runs folder", async () => {
  const train = (await getJson("/api/rows?run=train-a&file=train")) as { episode: number }[];
  assert.deepEqual(
    train.map((r) => r.episode),
    [1, 2],
  );
  const evaluation = (await getJson("/api/rows?run=train-a&file=eval")) as { episode: number }[];
  assert.deepEqual(
    evaluation.map((r) => r.episode),
    [0, 1, 2], // the untrained policy's, then every episode
  );
  const events = await getJson("/api/events?run=sim-b");
  assert.deepEqual(events, JSON.parse(readFileSync(join(runs, "sim-b", "events.json"), "utf8")));
  const gz = await get("/api/events?run=sim-a", { "accept-encoding": "gzip" });
  assert.equal(gz.headers["content-encoding"], "gzip");
  const csv = await get("/files/train-a/train.csv");
  assert.equal(csv.status, 200);
  assert.match(String(csv.headers["content-type"]), /text\/csv/);
  assert.equal(csv.body, readFileSync(join(runs, "train-a", "train.csv"), "utf8"));
  assert.equal((await get("/api/events?run=train-a")).status, 404);
  assert.equal((await get("/api/rows?run=no-such-run")).status, 404);
  assert.equal((await get("/api/rows?run=train-a&file=config")).status, 400);
});

test("the city map: every node, roads between known nodes, the zones' rings", async () => {
  const map = (await getJson("/api/city")) as {
    scale: number;
    nodeLat: number[];
    nodeLon: number[];
    roads: number[];
    zones: { id: number; rings: number[][] }[];
  };
  const n = map.nodeLat.length;
  assert.ok(n > 1000 && map.nodeLon.length === n);
  assert.ok(map.roads.length > n && map.roads.length % 2 === 0);
  assert.ok(map.roads.every((v) => Number.isInteger(v) && v >= 0 && v < n));
  for (const lat of map.nodeLat) assert.ok(lat / map.scale > 40.6 && lat / map.scale < 40.9);
  assert.ok(map.zones.length > 60);
  for (const z of map.zones) {
    assert.ok(z.rings.length > 0);
    for (const ring of z.rings) assert.ok(ring.length >= 6 && ring.length % 2 === 0);
  }
});

test("paths outside the runs folder are refused (403/404) and never leak a byte", async () => {
  const attacks = [
    "/files/../../../../etc/passwd",
    "/files/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/files/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/files/..%5c..%5cetc%5cpasswd",
    "/files/%2Fetc%2Fpasswd",
    "/files/sim-a%2F..%2F..%2Fescape%2Fsecret.txt",
    "/files/escape/secret.txt",
    "/files/sim-a/link.txt",
    "/files/sim-a/config.json%00.txt",
    "/%2e%2e/package.json",
    "/..%2fpackage.json",
    "/api/rows?run=..",
    "/api/rows?run=../..",
    "/api/rows?run=%2Ftmp",
    "/api/events?run=escape",
    "/api/events?run=sim-a%2F..%2F..",
    "/api/stream?run=..%2F..",
  ];
  for (const path of attacks) {
    const r = await get(path);
    assert.ok(r.status === 403 || r.status === 404, `${path}: ${r.status}`);
    assert.ok(!r.body.includes(SECRET) && !r.body.includes("root:"), path);
  }
  assert.equal((await get("/files/escape/secret.txt")).status, 403);
  const { runs: list } = (await getJson("/api/runs")) as { runs: { id: string }[] };
  assert.ok(!list.some((r) => r.id.startsWith("escape")), "a symlinked folder is not listed");
  assert.equal((await get("/api/runs", {}, "POST")).status, 405);
  assert.equal((await get("/api/runs", { host: "evil.example:80" })).status, 403);
  assert.equal((await get("/api/runs", { host: `localhost:${dash.port}` })).status, 200);
});

test("the live stream sends all rows, then each row appended to train.jsonl", async () => {
  const messages: { run: string; file: string; reset: boolean; rows: { episode: number }[] }[] = [];
  const req = request({ host: "127.0.0.1", port: dash.port, path: "/api/stream?run=train-a" });
  const waitFor = (pred: () => boolean, what: string) =>
    new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + 5000;
      const poll = () =>
        pred() ? resolve() : Date.now() > deadline ? reject(new Error(what)) : setTimeout(poll, 20);
      poll();
    });
  await new Promise<void>((resolve, reject) => {
    req.on("response", (res) => {
      assert.match(String(res.headers["content-type"]), /text\/event-stream/);
      let buffer = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buffer += chunk;
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith("event: rows\n")) {
            messages.push(JSON.parse(block.slice(block.indexOf("data: ") + 6)));
          }
          end = buffer.indexOf("\n\n");
        }
      });
      resolve();
    });
    req.on("error", reject);
    req.end();
  });
  try {
    await waitFor(() => messages.length >= 2, "initial rows of train and eval");
    const first = messages.find((m) => m.file === "train")!;
    assert.equal(first.reset, true);
    assert.deepEqual(
      first.rows.map((r) => r.episode),
      [1, 2],
    );
    const log = join(runs, "train-a", "train.jsonl");
    const row = JSON.stringify({ episode: 3, reward: 123.5 });
    appendFileSync(log, row.slice(0, 10)); // a torn write: nothing to send yet
    await new Promise((r) => setTimeout(r, 200));
    appendFileSync(log, `${row.slice(10)}\n`);
    await waitFor(() => messages.length >= 3, "the appended row");
    const pushed = messages[messages.length - 1];
    assert.deepEqual(pushed, {
      run: "train-a",
      file: "train",
      reset: false,
      rows: [{ episode: 3, reward: 123.5 }],
    });
    assert.equal(messages.length, 3, "the torn half-line was not sent on its own");
  } finally {
    req.destroy();
  }
});

test("a runs folder that does not exist is a user error", async () => {
  const missing = join(tmpdir(), "fleetrl-no-such-runs-folder");
  mkdirSync(missing, { recursive: true });
  rmSync(missing, { recursive: true });
  await assert.rejects(startDashboard({ runsDir: missing, port: 0 }), /runs directory not found/);
});

/** A request written byte for byte on a socket (duplicate headers, odd Host values). */
function rawRequest(lines: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(dash.port, "127.0.0.1", () =>
      socket.end(`${lines.join("\r\n")}\r\n\r\n`),
    );
    let reply = "";
    socket.setEncoding("utf8");
    socket.on("data", (d) => (reply += d));
    socket.on("end", () => resolve(reply));
    socket.on("error", reject);
  });
}

test("Host must be one loopback name with an optional numeric port", async () => {
  for (const host of ["[::1].evil.com", "localhost:", "localhost.evil.com", "127.0.0.1:99999"]) {
    assert.equal((await get("/api/runs", { host })).status, 403, host);
  }
  for (const host of ["localhost", `127.0.0.1:${dash.port}`, `[::1]:${dash.port}`, "LOCALHOST"]) {
    assert.equal((await get("/api/runs", { host })).status, 200, host);
  }
  const twice = await rawRequest([
    "GET /api/runs HTTP/1.1",
    `Host: 127.0.0.1:${dash.port}`,
    "Host: evil.example",
    "Connection: close",
  ]);
  assert.match(twice, /^HTTP\/1\.1 (403|400) /, "two Host headers are refused");
});

test("a 300-character path segment is a 404 that names no server path", async () => {
  const long = "a".repeat(300);
  for (const path of [
    `/files/${long}`,
    `/files/sim-a/${long}/x.json`,
    `/${long}`,
    `/assets/${long}.js`,
  ]) {
    const r = await get(path);
    assert.equal(r.status, 404, `${path.slice(0, 20)}…: ${r.body}`);
    assert.ok(!/ENAMETOOLONG|\/tmp|\/work|\/usr/.test(r.body), r.body);
  }
  const { runsDir } = (await getJson("/api/runs")) as { runsDir: string };
  assert.ok(!runsDir.includes("/"), `the runs folder's name only, not ${runsDir}`);
});

test("clients that hang up mid-download leave no file open", async () => {
  const big = join(runs, "sim-a", "big.csv");
  writeFileSync(big, "x".repeat(8 * 1024 * 1024));
  const openOnBig = () =>
    readdirSync("/proc/self/fd").filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === big;
      } catch {
        return false;
      }
    }).length;
  for (let i = 0; i < 40; i++) {
    await new Promise<void>((resolve) => {
      const headers = i % 2 === 0 ? { "accept-encoding": "gzip" } : {};
      const req = request({
        host: "127.0.0.1",
        port: dash.port,
        path: "/files/sim-a/big.csv",
        headers,
      });
      req.on("response", (res) => {
        res.once("data", () => {
          req.destroy();
          resolve();
        });
      });
      req.on("error", () => resolve());
      req.end();
    });
  }
  const deadline = Date.now() + 3000;
  while (openOnBig() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.equal(openOnBig(), 0, "handles of big.csv still open after the clients left");
  rmSync(big);
});
