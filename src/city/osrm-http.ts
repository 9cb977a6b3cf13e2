/**
 * GET a JSON document from an OSRM server with a per-attempt timeout and retries, turning every
 * way it can fail into a `UserError` that names the URL and what happened. Retried: network
 * errors (refused, reset), timeouts, HTTP 5xx and 429. Not retried: other 4xx (OSRM answers
 * 400 with `{"code":"InvalidQuery"|"NoRoute"|"TooBig",...}`; repeating the query cannot help).
 */
import { UserError } from "../core/errors.ts";

export interface HttpPolicy {
  /** Give up on one attempt after this many milliseconds (connect + headers + body). */
  timeoutMs: number;
  /** Extra attempts after the first one fails in a retryable way. */
  retries: number;
  /** Wait before retry k (k = 1, 2, ...) is `retryDelayMs · 2^(k-1)`. */
  retryDelayMs: number;
}

/** Outcome of one attempt: a parsed body, or a failure and whether another attempt may help. */
type Failure = { ok: false; retryable: boolean; reason: string };
type Attempt = { ok: true; status: number; body: unknown } | Failure;

/** The URL as shown in messages: table queries can be kilobytes long, so cut them. */
export function shortUrl(url: string, max = 160): string {
  return url.length <= max ? url : `${url.slice(0, max)}… (${url.length} chars)`;
}

/** Fetch `url` and parse its JSON body; 4xx bodies are returned with `status` for the caller. */
export async function getJson(
  url: string,
  policy: HttpPolicy,
): Promise<{ status: number; body: unknown }> {
  let last: Failure | undefined;
  const attempts = policy.retries + 1;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await sleep(policy.retryDelayMs * 2 ** (attempt - 2));
    const result = await attemptOnce(url, policy.timeoutMs);
    if (result.ok) return { status: result.status, body: result.body };
    last = result;
    if (!result.retryable) break;
  }
  const tries = last?.retryable
    ? ` (gave up after ${attempts} attempt${attempts > 1 ? "s" : ""})`
    : "";
  throw new UserError(`OSRM request GET ${shortUrl(url)} failed: ${last?.reason}${tries}`);
}

async function attemptOnce(url: string, timeoutMs: number): Promise<Attempt> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, { signal: controller.signal, redirect: "follow" });
    const text = await response.text();
    const status = response.status;
    if (status >= 500 || status === 429) {
      return { ok: false, retryable: true, reason: `HTTP ${status} ${response.statusText}` };
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      const start = JSON.stringify(text.slice(0, 60));
      return {
        ok: false,
        retryable: false,
        reason: `HTTP ${status}: body is not JSON (starts with ${start})`,
      };
    }
    if (status >= 400 && !isOsrmError(body)) {
      return { ok: false, retryable: false, reason: `HTTP ${status} ${response.statusText}` };
    }
    return { ok: true, status, body };
  } catch (error) {
    if (controller.signal.aborted) {
      return { ok: false, retryable: true, reason: `no answer within ${timeoutMs} ms (timeout)` };
    }
    return { ok: false, retryable: true, reason: networkReason(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** OSRM's error bodies look like `{"code":"NoRoute","message":"Impossible route ..."}`. */
function isOsrmError(body: unknown): body is { code: string; message?: string } {
  return (
    typeof body === "object" &&
    body !== null &&
    typeof (body as { code?: unknown }).code === "string"
  );
}

/** Node's fetch wraps socket errors: `TypeError("fetch failed", { cause: { code } })`. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code;
  if (code === "ECONNREFUSED")
    return "server unreachable (ECONNREFUSED: nothing listens there; is osrm-routed running?)";
  if (code === "ENOTFOUND") return "server unreachable (ENOTFOUND: unknown host name)";
  if (code) return `network error (${code}${cause?.message ? `: ${cause.message}` : ""})`;
  return `network error (${error instanceof Error ? error.message : String(error)})`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
