/** The server's JSON API (src/dashboard/server.ts), typed for the views. */
import type { CityMap } from "./map.ts";
import type { EventsFile } from "./replay-data.ts";

export type Row = Record<string, number | string | boolean | null>;

export interface RunSummary {
  id: string;
  kind: "train" | "simulate" | "compare";
  config: Record<string, unknown> | null;
  metrics: Record<string, unknown> | null;
  episodes?: number;
  totalEpisodes?: number;
  updatedAt: number;
  files: string[];
}

/** One `rows` event of /api/stream. */
export interface RowsMessage {
  run: string;
  file: "train" | "eval";
  reset: boolean;
  rows: Row[];
}

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path);
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export const api = {
  runs: () => getJson<{ runsDir: string; runs: RunSummary[] }>("/api/runs"),
  events: (run: string) => getJson<EventsFile>(`/api/events?run=${encodeURIComponent(run)}`),
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
