/**
 * Travel-time tables in shared memory (city/shared-tables.ts): a second oracle of the same graph
 * and hour adopts the first one's tables instead of computing a copy — in this thread, and in a
 * worker thread they are handed to — with the same answers.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Worker } from "node:worker_threads";
import { buildGraph } from "../../src/city/graph.ts";
import { aliveTables } from "../../src/city/shared-tables.ts";
import { TravelTimes } from "../../src/city/travel-times.ts";

// A 4-node ring with one chord.
const graph = buildGraph(4, Int32Array.of(0, 1, 2, 3, 0), Int32Array.of(1, 2, 3, 0, 2));
const length = Float32Array.of(10, 10, 10, 10, 25);
const oracle = (times: number[]) =>
  new TravelTimes(graph, Float32Array.from(times), length, "weekday", 8);

test("the same graph and edge times adopt one set of shared tables; other times do not", () => {
  const a = oracle([1, 2, 3, 4, 2.5]);
  a.precomputeAll();
  const tables = a.sharedTables!;
  assert.ok(tables.matrix.buffer instanceof SharedArrayBuffer);
  const b = oracle([1, 2, 3, 4, 2.5]);
  b.precomputeAll();
  assert.equal(b.sharedTables, tables);
  const c = oracle([1, 2, 3, 4, 9]);
  c.precomputeAll();
  assert.notEqual(c.sharedTables, tables);
  assert.equal(b.time(0, 2), 2.5);
  assert.equal(c.time(0, 2), 3);
  assert.deepEqual(Array.from(b.path(0, 3)), [0, 2, 3]);
  assert.ok(aliveTables().some((t) => t === tables));
});

test("a worker thread given the tables adopts them (shared memory, not a copy)", async () => {
  const a = oracle([5, 5, 5, 5, 1]);
  a.precomputeAll();
  const tables = a.sharedTables!;
  const src = `
    const { workerData, parentPort } = require("node:worker_threads");
    const t = workerData.tables[0];
    t.matrix[0] = 42; // the learner's thread sees the write only if the memory is shared
    parentPort.postMessage(t.matrix.buffer instanceof SharedArrayBuffer);`;
  const shared = await new Promise((resolve, reject) => {
    const w = new Worker(src, { eval: true, workerData: { tables: [tables] } });
    w.once("message", resolve);
    w.once("error", reject);
  });
  assert.equal(shared, true);
  assert.equal(tables.matrix[0], 42);
});
