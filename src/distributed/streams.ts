/**
 * The few stream commands the learner and actors use, with their replies turned into entries
 * (id + field map). Replies come raw (binary-safe Buffers), in the shapes Redis 6.2+ sends.
 */
import { ErrorReply } from "@redis/client";
import type { Redis } from "./connection.ts";

export interface StreamEntry {
  id: string;
  fields: Map<string, Buffer>;
}

type RawEntry = [Buffer, Buffer[] | null];

function entriesOf(raw: RawEntry[] | null | undefined): StreamEntry[] {
  return (raw ?? [])
    .filter((e) => e?.[1]) // a deleted entry still pending comes back with no fields
    .map(([id, flat]) => {
      const fields = new Map<string, Buffer>();
      for (let i = 0; i + 1 < (flat as Buffer[]).length; i += 2)
        fields.set((flat as Buffer[])[i].toString(), (flat as Buffer[])[i + 1]);
      return { id: id.toString(), fields };
    });
}

/** Create a consumer group (and the stream); an existing group is left as it is. */
export async function ensureGroup(redis: Redis, key: string, group: string): Promise<void> {
  try {
    await redis.call(["XGROUP", "CREATE", key, group, "0", "MKSTREAM"]);
  } catch (e) {
    if (!(e instanceof ErrorReply && e.message.startsWith("BUSYGROUP"))) throw e;
  }
}

/**
 * Append an entry, trimming the stream to about `cap` entries. Unless `create`, only to an
 * existing stream: an actor's late result after the run ended must not bring a deleted stream
 * back (null then).
 */
export async function append(
  redis: Redis,
  key: string,
  cap: number,
  fields: Record<string, string | Buffer>,
  create = false,
): Promise<string | null> {
  const flat = Object.entries(fields).flat();
  const args = [
    "XADD",
    key,
    ...(create ? [] : ["NOMKSTREAM"]),
    "MAXLEN",
    "~",
    String(cap),
    "*",
    ...flat,
  ];
  const id = await redis.call<Buffer | null>(args);
  return id?.toString() ?? null;
}

/**
 * Read up to `count` entries for `consumer`: new ones (`from` ">", waiting up to `blockMs`) or
 * its own pending ones after the entry id `from` ("0-0": from the first).
 */
export async function readGroup(
  redis: Redis,
  key: string,
  group: string,
  consumer: string,
  options: { count: number; blockMs: number; from: string },
): Promise<StreamEntry[]> {
  const reply = await redis.call<Record<string, RawEntry[]> | [Buffer, RawEntry[]][] | null>([
    "XREADGROUP",
    "GROUP",
    group,
    consumer,
    "COUNT",
    String(options.count),
    "BLOCK",
    String(options.blockMs),
    "STREAMS",
    key,
    options.from,
  ]);
  if (reply === null) return [];
  if (Array.isArray(reply)) return entriesOf(reply[0]?.[1]);
  return entriesOf(Object.values(reply)[0]);
}

/** Take over one entry pending for longer than `minIdleMs` in another consumer (XAUTOCLAIM). */
export async function claimStale(
  redis: Redis,
  key: string,
  group: string,
  consumer: string,
  minIdleMs: number,
): Promise<StreamEntry | null> {
  const reply = await redis.call<[Buffer, RawEntry[], Buffer[]?]>([
    "XAUTOCLAIM",
    key,
    group,
    consumer,
    String(Math.round(minIdleMs)),
    "0-0",
    "COUNT",
    "1",
  ]);
  return entriesOf(reply[1])[0] ?? null;
}

/** Acknowledge entries and delete them (each has one reader: nothing else needs them). */
export async function ackAndDelete(
  redis: Redis,
  key: string,
  group: string,
  ids: readonly string[],
): Promise<void> {
  if (ids.length === 0) return;
  await redis.call(["XACK", key, group, ...ids]);
  await redis.call(["XDEL", key, ...ids]);
}
