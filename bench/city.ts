/**
 * City layer benchmark: loading, travel-time queries (cold and cached), reverse searches,
 * the full matrix, snapping and point-in-zone. Run: npx tsx bench/city.ts
 */
import { loadCity } from "../src/city/city.ts";
import { TravelTimes } from "../src/city/travel-times.ts";
import { Rng } from "../src/core/rng.ts";

const rng = new Rng(1);
const line = (name: string, value: string) => console.log(`${name.padEnd(46)} ${value}`);
const perSec = (count: number, ms: number) =>
  `${Math.round((count / ms) * 1000).toLocaleString("en-US")} /s`;

function time<T>(f: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = f();
  return { ms: performance.now() - t0, value };
}

console.log(
  "scenario: shipped Manhattan network (4,091 nodes, 9,452 edges), weekday 08:00 profile,",
);
console.log(`          one process on this machine, Node ${process.version}\n`);

// Loading: first load (cold JIT, disk cache warm) and the median of five more.
const first = time(() => loadCity());
const loads = Array.from({ length: 5 }, () => time(() => loadCity()).ms).sort((a, b) => a - b);
line("loadCity(): first / median of 5", `${first.ms.toFixed(0)} ms / ${loads[2].toFixed(0)} ms`);
const city = first.value;
const n = city.nodeCount;
const edgeTimes = city.edgeTimes("weekday", 8);
const fresh = (cache = {}) =>
  new TravelTimes(city.graph, edgeTimes, city.edgeLength, "weekday", 8, cache);

// Cold queries: a fresh oracle, every query from a new source (one forward search each).
{
  const o = fresh({ rows: n });
  const sources = (rng.shuffle(Int32Array.from({ length: n }, (_, i) => i)) as Int32Array).subarray(
    0,
    2000,
  );
  const { ms } = time(() => {
    for (const s of sources) o.time(s, rng.int(n));
  });
  line(
    "time(u,v) cold (new source each: 1 search)",
    `${perSec(sources.length, ms)}  (${(ms / sources.length).toFixed(3)} ms/search)`,
  );
}

// Cached queries: random pairs among 2,000 nodes whose rows are cached.
{
  const o = fresh();
  const pool = Int32Array.from({ length: 2000 }, () => rng.int(n));
  for (const u of pool) o.timesFrom(u);
  const q = 5_000_000;
  const us = Int32Array.from({ length: q }, () => pool[rng.int(pool.length)]);
  const vs = Int32Array.from({ length: q }, () => rng.int(n));
  let sink = 0;
  const { ms } = time(() => {
    for (let i = 0; i < q; i++) sink += o.time(us[i], vs[i]);
  });
  line(
    "time(u,v) cached (rows of 2,000 sources)",
    `${perSec(q, ms)}  (checksum ${sink.toExponential(3)})`,
  );
}

// Simulator-like: 1,000 vehicle nodes to each of 500 new orders via timesTo (one reverse search each).
{
  const o = fresh();
  const vehicles = Int32Array.from({ length: 1000 }, () => rng.int(n));
  const orders = Int32Array.from({ length: 500 }, () => rng.int(n));
  let sink = 0;
  const { ms } = time(() => {
    for (const v of orders) {
      const col = o.timesTo(v);
      for (const u of vehicles) sink += col[u];
    }
  });
  line(
    "timesTo(v) + 1,000 vehicle lookups, new v each",
    `${perSec(orders.length, ms)}  (${(ms / orders.length).toFixed(3)} ms each)`,
  );
  void sink;
}

// The full matrix.
{
  const o = fresh();
  const before = process.memoryUsage();
  const { ms } = time(() => o.precomputeAll());
  const after = process.memoryUsage();
  const mb = (x: number) => `${(x / 2 ** 20).toFixed(0)} MB`;
  line(
    "precomputeAll(): time / tables (6·n² B) / +rss",
    `${(ms / 1000).toFixed(2)} s / ${mb(6 * n * n)} / ${mb(after.rss - before.rss)}`,
  );
  const q = 5_000_000;
  const us = Int32Array.from({ length: q }, () => rng.int(n));
  const vs = Int32Array.from({ length: q }, () => rng.int(n));
  let sink = 0;
  const t = time(() => {
    for (let i = 0; i < q; i++) sink += o.time(us[i], vs[i]);
  });
  line(
    "time(u,v) on the full matrix, random pairs",
    `${perSec(q, t.ms)}  (checksum ${sink.toExponential(3)})`,
  );
}

// path() and distance() on cached trees.
{
  const o = fresh();
  const pairs = Array.from({ length: 20_000 }, () => [rng.int(200), rng.int(n)]);
  for (let u = 0; u < 200; u++) o.timesFrom(u);
  let sink = 0;
  const { ms } = time(() => {
    for (const [u, v] of pairs) sink += o.path(u, v).length + o.distance(u, v);
  });
  line("path(u,v) + distance(u,v), 200 cached sources", `${perSec(pairs.length, ms)}`);
  void sink;
}

// Snapping and point-in-zone: points within ~100 m of a random node (like trip ends), and
// uniform points over Manhattan's bounding box (half of them in rivers or New Jersey).
{
  const q = 1_000_000;
  const near = { lat: new Float64Array(q), lon: new Float64Array(q) };
  for (let i = 0; i < q; i++) {
    const v = rng.int(n);
    near.lat[i] = city.nodeLat[v] + 0.002 * (rng.uniform() - 0.5);
    near.lon[i] = city.nodeLon[v] + 0.002 * (rng.uniform() - 0.5);
  }
  const box = {
    lat: Float64Array.from({ length: q }, () => 40.7 + 0.175 * rng.uniform()),
    lon: Float64Array.from({ length: q }, () => -74.02 + 0.11 * rng.uniform()),
  };
  let sink = 0;
  for (const [label, pts] of [
    ["near nodes", near],
    ["uniform in bbox", box],
  ] as const) {
    const snap = time(() => {
      for (let i = 0; i < q; i++) sink += city.nearestNode(pts.lat[i], pts.lon[i]);
    });
    line(`nearestNode(lat, lon), points ${label}`, perSec(q, snap.ms));
    const zone = time(() => {
      for (let i = 0; i < q; i++) sink += city.zoneOf(pts.lat[i], pts.lon[i]);
    });
    line(`zoneOf(lat, lon), points ${label}`, perSec(q, zone.ms));
  }
  void sink;
}
