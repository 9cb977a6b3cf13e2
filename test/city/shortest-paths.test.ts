/** Dijkstra and the travel-time oracle against Floyd–Warshall on small random graphs. */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { Dijkstra, slotWeights } from "../../src/city/dijkstra.ts";
import { buildGraph, isStronglyConnected } from "../../src/city/graph.ts";
import { TravelTimes } from "../../src/city/travel-times.ts";
import { Rng } from "../../src/core/rng.ts";

interface SmallGraph {
  n: number;
  source: Int32Array;
  target: Int32Array;
  time: Float32Array;
  length: Float32Array;
}

function randomGraph(seed: number, n: number, m: number): SmallGraph {
  const rng = new Rng(seed);
  const source = new Int32Array(m);
  const target = new Int32Array(m);
  const time = new Float32Array(m);
  const length = new Float32Array(m);
  for (let e = 0; e < m; e++) {
    source[e] = rng.int(n);
    target[e] = rng.int(n); // self-loops and parallel edges allowed on purpose
    time[e] = 1 + rng.int(50);
    length[e] = 10 + rng.int(500);
  }
  return { n, source, target, time, length };
}

function floydWarshall(g: SmallGraph): Float64Array {
  const { n } = g;
  const d = new Float64Array(n * n).fill(Number.POSITIVE_INFINITY);
  for (let i = 0; i < n; i++) d[i * n + i] = 0;
  for (let e = 0; e < g.source.length; e++) {
    const k = g.source[e] * n + g.target[e];
    d[k] = Math.min(d[k], g.time[e]);
  }
  for (let k = 0; k < n; k++)
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        d[i * n + j] = Math.min(d[i * n + j], d[i * n + k] + d[k * n + j]);
  return d;
}

function oracleOf(g: SmallGraph, cache = {}): TravelTimes {
  return new TravelTimes(
    buildGraph(g.n, g.source, g.target),
    g.time,
    g.length,
    "weekday",
    8,
    cache,
  );
}

test("a worked example: the detour beats the direct edge", () => {
  // 0 -> 2 directly takes 10 s; 0 -> 1 -> 2 takes 3 + 4 s.
  const g: SmallGraph = {
    n: 3,
    source: Int32Array.of(0, 0, 1),
    target: Int32Array.of(2, 1, 2),
    time: Float32Array.of(10, 3, 4),
    length: Float32Array.of(100, 50, 60),
  };
  const o = oracleOf(g);
  assert.equal(o.time(0, 2), 7);
  assert.equal(o.distance(0, 2), 110);
  assert.deepEqual([...o.path(0, 2)], [0, 1, 2]);
  assert.equal(o.time(2, 0), Number.POSITIVE_INFINITY);
  assert.deepEqual([...o.path(2, 0)], []);
  assert.deepEqual([...o.path(1, 1)], [1]);
  assert.equal(o.distance(1, 1), 0);
});

test("Dijkstra equals Floyd–Warshall from every source (random graphs)", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 1, max: 25 }), (seed, n) => {
      const g = randomGraph(seed, n, n * 3);
      const fw = floydWarshall(g);
      const graph = buildGraph(n, g.source, g.target);
      const w = slotWeights(graph.forward, g.time);
      const d = new Dijkstra(n, g.source.length);
      for (let s = 0; s < n; s++) {
        d.run(graph.forward, w, s);
        for (let t = 0; t < n; t++) assert.equal(d.dist[t], fw[s * n + t]);
      }
    }),
    { numRuns: 60 },
  );
});

test("oracle: time, timesTo, tiny caches and the full matrix all agree with Floyd–Warshall", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1e9 }), (seed) => {
      const n = 20;
      const g = randomGraph(seed, n, 70);
      const fw = floydWarshall(g);
      const rows = oracleOf(g);
      const tiny = oracleOf(g, { rows: 1, columns: 1, trees: 1 });
      const cols = oracleOf(g);
      const full = oracleOf(g);
      full.precomputeAll();
      const rng = new Rng(seed);
      for (let q = 0; q < 200; q++) {
        const s = rng.int(n);
        const t = rng.int(n);
        const want = fw[s * n + t];
        assert.equal(rows.time(s, t), want);
        assert.equal(tiny.time(s, t), want);
        assert.equal(cols.timesTo(t)[s], want);
        assert.equal(full.time(s, t), want);
      }
    }),
    { numRuns: 30 },
  );
});

test("path times and lengths add up to time() and distance()", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1e9 }), (seed) => {
      const n = 30;
      const g = randomGraph(seed, n, 120);
      const o = oracleOf(g, { trees: 2 });
      for (let s = 0; s < n; s++) {
        for (let t = 0; t < n; t++) {
          const p = o.path(s, t);
          if (o.time(s, t) === Number.POSITIVE_INFINITY) {
            assert.equal(p.length, 0);
            continue;
          }
          assert.equal(p[0], s);
          assert.equal(p[p.length - 1], t);
          let time = 0;
          let metres = 0;
          let ambiguous = false;
          for (let i = 0; i + 1 < p.length; i++) {
            // The cheapest parallel edge between consecutive nodes is the one used.
            let best = -1;
            for (let e = 0; e < g.source.length; e++) {
              if (g.source[e] !== p[i] || g.target[e] !== p[i + 1]) continue;
              if (best >= 0 && g.time[e] === g.time[best]) ambiguous = true;
              if (best < 0 || g.time[e] < g.time[best]) best = e;
            }
            assert.ok(best >= 0, "consecutive path nodes must be joined by an edge");
            time += g.time[best];
            metres += g.length[best];
          }
          assert.equal(time, o.time(s, t));
          if (!ambiguous) assert.equal(metres, o.distance(s, t));
        }
      }
    }),
    { numRuns: 20 },
  );
});

test("strong connectivity: a cycle is, a cycle missing one edge is not", () => {
  const ring = buildGraph(4, Int32Array.of(0, 1, 2, 3), Int32Array.of(1, 2, 3, 0));
  assert.ok(isStronglyConnected(ring));
  const broken = buildGraph(4, Int32Array.of(0, 1, 2), Int32Array.of(1, 2, 3));
  assert.ok(!isStronglyConnected(broken));
});

test("bad node ids are rejected", () => {
  const o = oracleOf(randomGraph(1, 5, 10));
  assert.throws(() => o.time(0, 5), RangeError);
  assert.throws(() => o.time(-1, 0), RangeError);
  assert.throws(() => o.timesFrom(1.5), RangeError);
});
