/**
 * The server's JSON API (src/dashboard/server.ts), typed for the views with the server's own
 * types (src/dashboard/api-types.ts, src/envs/dispatch/event-log.ts), imported at build time.
 */
import type { Row, RowsMessage, RunSummary } from "../../src/dashboard/api-types.ts";
import type { EventsFile } from "../../src/envs/dispatch/event-log.ts";
import type { MapfReplayFile } from "../../src/envs/mapf/replay-file.ts";
import type { CityMap } from "./map.ts";

export type { Row, RowsMessage, RunSummary };

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path);
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export const api = {
  runs: () => getJson<{ runsDir: string; runs: RunSummary[] }>("/api/runs"),
  events: (run: string) => getJson<EventsFile>(`/api/events?run=${encodeURIComponent(run)}`),
  replay: (run: string) => getJson<MapfReplayFile>(`/api/replay?run=${encodeURIComponent(run)}`),
  city: () => getJson<CityMap>("/api/city"),
  /** Live rows of these runs' train/eval logs: every row first, then each new one. */
  stream(runs: string[], onRows: (m: RowsMessage) => void): EventSource {
    const query = runs.map((r) => `run=${encodeURIComponent(r)}`).join("&");
    const source = new EventSource(`/api/stream?${query}`);
    source.addEventListener("rows", (e) => onRows(JSON.parse((e as MessageEvent).data)));
    return source;
  },
  fileUrl: (run: string, name: string) =>
    `/files/${run.split("/").map(encodeURIComponent).join("/")}/${encodeURIComponent(name)}`,
};

let cityPromise: Promise<CityMap> | null = null;
/** The city map, fetched once. */
export function city(): Promise<CityMap> {
  cityPromise ??= api.city();
  return cityPromise;
}
