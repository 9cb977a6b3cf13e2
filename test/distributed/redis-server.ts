/**
 * A real Redis server for the distributed tests: Debian's `redis-server`, started on a free
 * loopback port (bound to 127.0.0.1, no persistence) and killed at the end. Without the binary
 * the tests skip on a developer's machine and fail in CI (.ci/run installs it).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const HAVE_REDIS =
  spawnSync("redis-server", ["--version"], { encoding: "utf8" }).status === 0;

/** `test(name, { skip: SKIP_REDIS }, …)`: a reason to skip without redis-server, outside CI. */
export const SKIP_REDIS =
  !HAVE_REDIS && !process.env.CI
    ? "redis-server is not installed (apt-get install redis-server)"
    : false;

export interface TlsFiles {
  cert: string;
  key: string;
  ca: string;
}

export interface RedisServer {
  port: number;
  url: string;
  /** Run redis-cli against the server (for assertions: XLEN, KEYS, CLIENT KILL). */
  cli(...args: string[]): string;
  stop(): Promise<void>;
}

/** A port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export async function startRedis(
  options: { password?: string; tls?: TlsFiles } = {},
): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "fleetrl-redis-"));
  const args = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir];
  if (options.tls) {
    const { cert, key, ca } = options.tls;
    args.push("--port", "0", "--tls-port", String(port), "--tls-cert-file", cert);
    args.push("--tls-key-file", key, "--tls-ca-cert-file", ca, "--tls-auth-clients", "no");
  } else args.push("--port", String(port));
  if (options.password) args.push("--requirepass", options.password);
  const child = spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"] });
  await ready(child);
  const auth = options.password ? `:${options.password}@` : "";
  const cliArgs = [
    "-h",
    "127.0.0.1",
    "-p",
    String(port),
    ...(options.password ? ["-a", options.password, "--no-auth-warning"] : []),
    ...(options.tls ? ["--tls", "--cacert", options.tls.ca] : []),
  ];
  return {
    port,
    url: `${options.tls ? "rediss" : "redis"}://${auth}127.0.0.1:${port}`,
    cli: (...a) => spawnSync("redis-cli", [...cliArgs, ...a], { encoding: "utf8" }).stdout.trim(),
    stop: () => stop(child),
  };
}

function ready(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`redis-server did not start:\n${out}`));
    }, 10_000);
    const onData = (chunk: Buffer) => {
      out += chunk;
      if (out.includes("Ready to accept connections")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}:\n${out}`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

/** A throwaway CA and a server certificate for 127.0.0.1 (openssl), for rediss:// tests. */
export function makeTlsFiles(): TlsFiles {
  const dir = mkdtempSync(join(tmpdir(), "fleetrl-tls-"));
  const p = (name: string) => join(dir, name);
  const ssl = (...args: string[]) => {
    const r = spawnSync("openssl", args, { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`openssl ${args[0]}: ${r.stderr}`);
  };
  const key = ["-newkey", "rsa:2048", "-nodes", "-days", "1"];
  ssl("req", "-x509", ...key, "-keyout", p("ca.key"), "-out", p("ca.pem"), "-subj", "/CN=test CA");
  ssl(
    "req",
    ...key.slice(0, 3),
    "-keyout",
    p("server.key"),
    "-out",
    p("server.csr"),
    "-subj",
    "/CN=127.0.0.1",
  );
  writeFileSync(p("ext.cnf"), "subjectAltName=IP:127.0.0.1\n");
  const ca = ["-CA", p("ca.pem"), "-CAkey", p("ca.key"), "-CAcreateserial"];
  ssl(
    "x509",
    "-req",
    "-in",
    p("server.csr"),
    ...ca,
    "-out",
    p("server.pem"),
    "-days",
    "1",
    "-extfile",
    p("ext.cnf"),
  );
  return { cert: p("server.pem"), key: p("server.key"), ca: p("ca.pem") };
}
