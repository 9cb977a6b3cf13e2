/**
 * The decoded road network shared between threads: `loadCity()` keeps each road file it decodes
 * in SharedArrayBuffers, registered under the file's path, size and modification time; a rollout
 * worker thread is handed them (`sharedRoads`, sent in workerData: shared, not copied) and
 * `installRoads` them, so its own `loadCity()` of the same file adopts them instead of reading,
 * decompressing and holding a copy. Like the travel-time tables (shared-tables.ts), the values
 * are those the worker would have decoded itself; road data is immutable once registered.
 */
import { statSync } from "node:fs";
import type { RoadData } from "./road-file.ts";

export interface SharedRoad {
  /** The road file's path, size and modification time (`roadKey`). */
  readonly key: string;
  readonly road: RoadData;
}

const roads = new Map<string, RoadData>();

/** Which decoded road data fits the file at `path` as it is now. */
export function roadKey(path: string): string {
  const s = statSync(path);
  return `${path}|${s.size}|${s.mtimeMs}`;
}

/** The shared road data of `key`, decoding it (and moving it to shared memory) the first time. */
export function sharedRoad(key: string, decode: () => RoadData): RoadData {
  let road = roads.get(key);
  if (!road) {
    road = toShared(decode());
    roads.set(key, road);
  }
  return road;
}

/** Every road this thread holds (to hand to worker threads). */
export function sharedRoads(): SharedRoad[] {
  return [...roads].map(([key, road]) => ({ key, road }));
}

/** Adopt roads another thread decoded (a worker thread, from its workerData). */
export function installRoads(list: readonly SharedRoad[]): void {
  for (const { key, road } of list) roads.set(key, road);
}

function toShared(road: RoadData): RoadData {
  const copy = <T extends Float64Array | Float32Array | Int32Array | Int16Array>(a: T): T => {
    const Type = a.constructor as new (buffer: SharedArrayBuffer) => T;
    const out = new Type(new SharedArrayBuffer(a.byteLength));
    out.set(a as never);
    return out;
  };
  return {
    meta: road.meta,
    nodeLat: copy(road.nodeLat),
    nodeLon: copy(road.nodeLon),
    nodeZone: copy(road.nodeZone),
    edgeSource: copy(road.edgeSource),
    edgeTarget: copy(road.edgeTarget),
    edgeLength: copy(road.edgeLength),
    edgeTime: copy(road.edgeTime),
  };
}
