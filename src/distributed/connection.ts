/**
 * One connection to Redis for a learner or an actor (node-redis's @redis/client; why that
 * client: docs/distributed.md). A URL is checked before anything connects; a server that cannot
 * be reached at start is a UserError naming the URL (password hidden). Once connected, a lost
 * connection is retried with exponential backoff, each command waiting for it, and given up
 * after `lostAfterMs` with an error that says so: the caller's last checkpoint is untouched.
 */
import { createClient, ErrorReply, RESP_TYPES, type RedisArgument } from "@redis/client";
import { UserError } from "../core/errors.ts";

/** What a URL looks like to a user, with the password masked. */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString().replace(/\/$/, "");
  } catch {
    return url;
  }
}

/** Check a `--redis` URL: redis://[user][:password@]host[:port][/db] or rediss:// (TLS). */
export function parseRedisUrl(url: string, flag = "--redis"): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UserError(
      `${flag} ${url}: not a URL (expected redis://[:password@]host[:port][/db] or rediss://… for TLS)`,
    );
  }
  if (u.protocol !== "redis:" && u.protocol !== "rediss:")
    throw new UserError(`${flag} ${shownUrl(url)}: expected a redis:// or rediss:// URL`);
  if (!u.hostname) throw new UserError(`${flag} ${shownUrl(url)}: no host`);
  const db = u.pathname.replace(/^\//, "");
  if (db !== "" && !/^\d+$/.test(db))
    throw new UserError(`${flag} ${shownUrl(url)}: the path must be a database number (/0, /1, …)`);
  if (u.search || u.hash)
    throw new UserError(`${flag} ${shownUrl(url)}: no query or fragment expected`);
  return u;
}

/** The connection lost for longer than allowed (a UserError: a clear message, no stack). */
export class RedisLostError extends UserError {}

export interface ConnectOptions {
  /** Give up a lost connection after this long (ms). */
  lostAfterMs: number;
  /** Where reconnect notices go (stderr in the CLI). */
  log?: (message: string) => void;
}

type Client = ReturnType<typeof binaryClient>;

function binaryClient(url: string, reconnect: (retries: number, cause: Error) => number | Error) {
  return createClient({
    url,
    socket: { connectTimeout: 5000, reconnectStrategy: reconnect },
  }).withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
}

/** A connected client whose `call` rides out short outages. */
export class Redis {
  private lostSince: number | null = null;
  private closed = false;
  /** Give up a lost connection after this long (ms); a run's settings may change it. */
  lostAfterMs: number;

  private constructor(
    private readonly client: Client,
    readonly url: string,
    private readonly options: ConnectOptions,
  ) {
    this.lostAfterMs = options.lostAfterMs;
  }

  /** Connect to `url` (checked first); unreachable → UserError naming the URL. */
  static async connect(url: string, options: ConnectOptions): Promise<Redis> {
    parseRedisUrl(url);
    const shown = shownUrl(url);
    let ready = false;
    let redis: Redis | null = null;
    const client = binaryClient(url, (retries, cause) => {
      // Before the first connection there is nothing to wait for: fail at once.
      if (!ready) return cause;
      return Math.min(100 * 2 ** retries, 2000);
    });
    client.on("error", (e: Error) => redis?.noteError(e));
    client.on("ready", () => {
      if (redis?.lostSince !== null && redis) {
        options.log?.(`redis ${shown}: connected again`);
        redis.lostSince = null;
      }
    });
    try {
      await client.connect();
    } catch (e) {
      client.destroy();
      throw new UserError(`cannot connect to Redis at ${shown}: ${reason(e)}`);
    }
    ready = true;
    redis = new Redis(client, shown, options);
    return redis;
  }

  private noteError(e: Error): void {
    if (this.closed || this.lostSince !== null) return;
    this.lostSince = Date.now();
    this.options.log?.(
      `redis ${this.url}: connection lost (${reason(e)}); reconnecting for up to ${this.lostAfterMs / 1000} s`,
    );
  }

  /**
   * Send one command (binary-safe: bulk replies are Buffers). A server error reply is thrown as
   * it is; a connection failure is retried until the connection has been lost for too long.
   */
  async call<T = unknown>(args: readonly RedisArgument[]): Promise<T> {
    let delay = 50;
    for (;;) {
      try {
        return (await this.client.sendCommand(args)) as T;
      } catch (e) {
        if (e instanceof ErrorReply || this.closed) throw e;
        this.lostSince ??= Date.now();
        if (Date.now() - this.lostSince >= this.lostAfterMs) {
          this.close();
          throw new RedisLostError(
            `lost the connection to Redis at ${this.url} for ${this.lostAfterMs / 1000} s (${reason(e)})`,
          );
        }
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 2000);
      }
    }
  }

  /** A string reply (or null). */
  async text(args: readonly RedisArgument[]): Promise<string | null> {
    const reply = await this.call<Buffer | null>(args);
    return reply === null ? null : reply.toString("utf8");
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.client.destroy();
  }
}

function reason(e: unknown): string {
  if (e instanceof AggregateError && e.errors.length) return reason(e.errors[0]);
  const message = e instanceof Error ? e.message : String(e);
  if (/WRONGPASS|NOAUTH|invalid password|invalid username/i.test(message))
    return `authentication failed (${message})`;
  return message || (e as { code?: string }).code || "unknown error";
}
