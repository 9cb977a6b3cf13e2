import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { Rng } from "../../src/core/rng.ts";
import { denseWeightsFromSparse, solveDenseMatching } from "../../src/matching/dense.ts";
import {
  type MatchingResult,
  MatchingWorkspace,
  type SparseMatchingProblem,
  solveMatching,
} from "../../src/matching/sparse.ts";

/** Build a CSR problem from per-row lists of [col, weight]. */
function problem(cols: number, rowEdges: [number, number][][]): SparseMatchingProblem {
  const rowPtr = new Int32Array(rowEdges.length + 1);
  const flat = rowEdges.flat();
  rowEdges.forEach((edges, r) => {
    rowPtr[r + 1] = rowPtr[r] + edges.length;
  });
  return {
    rows: rowEdges.length,
    cols,
    rowPtr,
    colIdx: Int32Array.from(flat, ([c]) => c),
    weight: Float64Array.from(flat, ([, w]) => w),
  };
}

/** Best total over every matching (each row passes or takes one of its edges to a free column). */
function bruteForceTotal(p: SparseMatchingProblem): number {
  const used = new Uint8Array(p.cols);
  const visit = (r: number): number => {
    if (r === p.rows) return 0;
    let best = visit(r + 1);
    for (let e = p.rowPtr[r]; e < p.rowPtr[r + 1]; e++) {
      const c = p.colIdx[e];
      if (used[c]) continue;
      used[c] = 1;
      best = Math.max(best, p.weight[e] + visit(r + 1));
      used[c] = 0;
    }
    return best;
  };
  return visit(0);
}

/** The result is a matching of existing positive edges, consistent both ways, summing to total. */
function assertValid(p: SparseMatchingProblem, m: MatchingResult): void {
  assert.equal(m.rowMatch.length, p.rows);
  assert.equal(m.colMatch.length, p.cols);
  let sum = 0;
  let matched = 0;
  for (let r = 0; r < p.rows; r++) {
    const c = m.rowMatch[r];
    if (c === -1) continue;
    matched++;
    assert.equal(m.colMatch[c], r, `colMatch[${c}] should point back to row ${r}`);
    let best = Number.NEGATIVE_INFINITY;
    for (let e = p.rowPtr[r]; e < p.rowPtr[r + 1]; e++) {
      if (p.colIdx[e] === c) best = Math.max(best, p.weight[e]);
    }
    assert.ok(best > 0, `row ${r} matched to column ${c} without a positive edge`);
    sum += best;
  }
  assert.equal(m.colMatch.filter((r) => r !== -1).length, matched);
  assert.ok(Math.abs(sum - m.total) <= 1e-9 * Math.max(1, Math.abs(sum)));
}

/** A seeded random instance; integer weights create many ties, duplicates are allowed. */
function randomProblem(
  rng: Rng,
  rows: number,
  cols: number,
  density: number,
  weightOf: () => number,
  duplicates = 0,
): SparseMatchingProblem {
  const rowEdges: [number, number][][] = [];
  for (let r = 0; r < rows; r++) {
    const edges: [number, number][] = [];
    for (let c = 0; c < cols; c++) if (rng.uniform() < density) edges.push([c, weightOf()]);
    for (let d = 0; d < duplicates && edges.length > 0; d++) {
      edges.push([edges[rng.int(edges.length)][0], weightOf()]);
    }
    rng.shuffle(edges);
    rowEdges.push(edges);
  }
  return problem(cols, rowEdges);
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

test("3x3 assignment with a known unique optimum", () => {
  const w = [
    [6, 9, 7],
    [8, 10, 5],
    [7, 8, 8],
  ];
  const p = problem(
    3,
    w.map((row) => row.map((x, c): [number, number] => [c, x])),
  );
  const m = solveMatching(p);
  assert.deepEqual(Array.from(m.rowMatch), [1, 0, 2]);
  assert.deepEqual(Array.from(m.colMatch), [1, 0, 2]);
  assert.equal(m.total, 25);
  assertValid(p, m);
});

test("beats greedy where taking the best edge first is suboptimal", () => {
  // Greedy gives vehicle 0 order 0 (5) and leaves vehicle 1 idle: 5. Optimum: 4 + 3 = 7.
  const p = problem(2, [
    [
      [0, 5],
      [1, 4],
    ],
    [[0, 3]],
  ]);
  const m = solveMatching(p);
  assert.deepEqual(Array.from(m.rowMatch), [1, 0]);
  assert.equal(m.total, 7);
});

test("a long augmenting chain is found (each row shifts one column right)", () => {
  // Row r prefers column r (weight 10) and also has column r+1 (weight 9); the last row only
  // wants column 0. Optimum shifts every row: 9*(n-1) + 100 beats 10*(n-1).
  const n = 8;
  const rows: [number, number][][] = [];
  for (let r = 0; r < n - 1; r++) {
    rows.push([
      [r, 10],
      [r + 1, 9],
    ]);
  }
  rows.push([[0, 100]]);
  const p = problem(n, rows);
  const m = solveMatching(p);
  assert.equal(m.total, 9 * (n - 1) + 100);
  assert.deepEqual(Array.from(m.rowMatch), [1, 2, 3, 4, 5, 6, 7, 0]);
});

test("pass option: non-positive edges are never chosen", () => {
  const allNegative = problem(2, [
    [
      [0, -1],
      [1, -0.5],
    ],
    [[0, -3]],
  ]);
  const m1 = solveMatching(allNegative);
  assert.deepEqual(Array.from(m1.rowMatch), [-1, -1]);
  assert.deepEqual(Array.from(m1.colMatch), [-1, -1]);
  assert.equal(m1.total, 0);

  const zeros = problem(2, [[[0, 0]], [[1, 0]]]);
  assert.deepEqual(Array.from(solveMatching(zeros).rowMatch), [-1, -1]);

  // Row 1 would rather pass than take its negative edge, freeing nothing for anyone.
  const mixed = problem(2, [
    [[0, 2]],
    [
      [0, 1],
      [1, -4],
    ],
  ]);
  const m3 = solveMatching(mixed);
  assert.deepEqual(Array.from(m3.rowMatch), [0, -1]);
  assert.equal(m3.total, 2);
});

test("duplicate (row, col) edges: the best weight is kept", () => {
  const p = problem(1, [
    [
      [0, 1],
      [0, 5],
      [0, -2],
    ],
  ]);
  const m = solveMatching(p);
  assert.deepEqual(Array.from(m.rowMatch), [0]);
  assert.equal(m.total, 5);
  assert.equal(solveDenseMatching(1, 1, denseWeightsFromSparse(p)).total, 5);
});

test("degenerate inputs: no rows, no columns, no edges", () => {
  const none = solveMatching(problem(0, []));
  assert.equal(none.rowMatch.length, 0);
  assert.equal(none.total, 0);
  const noCols = solveMatching(problem(0, [[], [], []]));
  assert.deepEqual(Array.from(noCols.rowMatch), [-1, -1, -1]);
  assert.equal(noCols.colMatch.length, 0);
  const noEdges = solveMatching(problem(4, [[], []]));
  assert.deepEqual(Array.from(noEdges.rowMatch), [-1, -1]);
  assert.deepEqual(Array.from(noEdges.colMatch), [-1, -1, -1, -1]);
  assert.equal(noEdges.total, 0);
  assert.equal(solveDenseMatching(0, 3, new Float64Array(0)).total, 0);
  assert.equal(solveDenseMatching(2, 0, new Float64Array(0)).total, 0);
});

test("bad inputs are rejected with the field and what was expected", () => {
  const ok = () => problem(2, [[[0, 1]], [[1, 2]]]);
  const cases: [Partial<SparseMatchingProblem>, RegExp][] = [
    [{ rows: -1 }, /rows: expected a non-negative integer \(got -1\)/],
    [{ cols: 1.5 }, /cols: expected a non-negative integer \(got 1.5\)/],
    [{ rowPtr: Int32Array.of(0, 1) }, /rowPtr.length: expected rows\+1 = 3 \(got 2\)/],
    [{ rowPtr: Int32Array.of(1, 1, 2) }, /rowPtr\[0\]: expected 0 \(got 1\)/],
    [{ rowPtr: Int32Array.of(0, 2, 1) }, /rowPtr\[2\]: expected a value >= rowPtr\[1\] = 2/],
    [{ rowPtr: Int32Array.of(0, 1, 3) }, /colIdx.length: expected rowPtr\[rows\] = 3 \(got 2\)/],
    [{ weight: Float64Array.of(1) }, /weight.length: expected rowPtr\[rows\] = 2 \(got 1\)/],
    [{ colIdx: Int32Array.of(0, 2) }, /colIdx\[1\]: expected a column in \[0, 2\) \(got 2\)/],
    [{ colIdx: Int32Array.of(-1, 1) }, /colIdx\[0\]: expected a column in \[0, 2\) \(got -1\)/],
    [{ weight: Float64Array.of(1, Number.NaN) }, /weight\[1\]: expected a finite number/],
    [{ weight: Float64Array.of(Infinity, 1) }, /weight\[0\]: expected a finite number/],
    [{ colIdx: [0, 1] as unknown as Int32Array }, /colIdx: expected an Int32Array/],
  ];
  for (const [patch, message] of cases) {
    assert.throws(() => solveMatching({ ...ok(), ...patch }), message);
  }
  assert.throws(() => solveDenseMatching(2, 2, new Float64Array(3)), /expected rows\*cols = 4/);
  assert.throws(() => solveDenseMatching(1, 1, Float64Array.of(Number.NaN)), /finite number/);
});

test("agrees with brute force on 2,000 small seeded instances (ties, negatives, duplicates)", () => {
  const rng = new Rng(2024).split("matching-brute-force");
  const weightKinds: (() => number)[] = [
    () => rng.int(7) - 2, // small integers: many ties and zeros
    () => rng.int(5) - 6, // all negative
    () => rng.normal() * 3 + 1, // floats of both signs
    () => 1 + rng.int(3), // all positive, heavy ties
    () => 1e6 * rng.uniform() - 1e5, // large magnitudes
  ];
  for (let k = 0; k < 2000; k++) {
    const rows = rng.int(7);
    const cols = rng.int(7);
    const density = [0, 0.3, 0.6, 1][rng.int(4)];
    const weightOf = weightKinds[k % weightKinds.length];
    const p = randomProblem(rng, rows, cols, density, weightOf, rng.int(3));
    const m = solveMatching(p);
    assertValid(p, m);
    const expected = bruteForceTotal(p);
    assert.ok(close(m.total, expected), `instance ${k}: got ${m.total}, brute force ${expected}`);
    const dense = solveDenseMatching(rows, cols, denseWeightsFromSparse(p));
    assertValid(p, dense);
    assert.ok(close(dense.total, expected), `instance ${k}: dense ${dense.total} vs ${expected}`);
  }
});

test("property: optimal and valid on arbitrary small graphs (fast-check)", () => {
  const edge = fc.tuple(
    fc.nat({ max: 5 }),
    fc.nat({ max: 5 }),
    fc.oneof(fc.integer({ min: -4, max: 6 }), fc.double({ min: -10, max: 10, noNaN: true })),
  );
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 6 }),
      fc.integer({ min: 1, max: 6 }),
      fc.array(edge, { maxLength: 24 }),
      (rows, cols, edges) => {
        const rowEdges: [number, number][][] = Array.from({ length: rows }, () => []);
        for (const [r, c, w] of edges) if (r < rows) rowEdges[r].push([c % cols, w]);
        const p = problem(cols, rowEdges);
        const m = solveMatching(p);
        assertValid(p, m);
        return close(m.total, bruteForceTotal(p));
      },
    ),
    { numRuns: 400, seed: 7 },
  );
});

test("agrees with the dense Hungarian on medium instances (50x80, 80x50, 60x60 complete)", () => {
  const rng = new Rng(99).split("matching-medium");
  const ws = new MatchingWorkspace();
  const shapes: [number, number, number][] = [
    [50, 80, 0.15],
    [80, 50, 0.15],
    [60, 60, 1],
    [50, 80, 0.05],
  ];
  for (const [rows, cols, density] of shapes) {
    for (let s = 0; s < 6; s++) {
      const integer = s % 2 === 0;
      const weightOf = integer
        ? () => rng.int(21) - 5
        : () => 10 - 8 * rng.uniform() + rng.normal();
      const p = randomProblem(rng, rows, cols, density, weightOf, 2);
      const m = solveMatching(p, ws);
      assertValid(p, m);
      const dense = solveDenseMatching(rows, cols, denseWeightsFromSparse(p));
      assertValid(p, dense);
      assert.ok(
        close(m.total, dense.total),
        `${rows}x${cols} seed ${s}: sparse ${m.total} vs dense ${dense.total}`,
      );
      if (integer) assert.equal(m.total, dense.total);
    }
  }
});

/** The same problem seen from the other side: orders as rows, vehicles as columns. */
function transpose(p: SparseMatchingProblem): SparseMatchingProblem {
  const rowEdges: [number, number][][] = Array.from({ length: p.cols }, () => []);
  for (let r = 0; r < p.rows; r++) {
    for (let e = p.rowPtr[r]; e < p.rowPtr[r + 1]; e++)
      rowEdges[p.colIdx[e]].push([r, p.weight[e]]);
  }
  return problem(p.rows, rowEdges);
}

test("solving the transposed problem gives the same optimum", () => {
  const rng = new Rng(17).split("matching-transpose");
  for (let s = 0; s < 20; s++) {
    const rows = 1 + rng.int(60);
    const cols = 1 + rng.int(60);
    const p = randomProblem(rng, rows, cols, 0.1, () => rng.int(30) - 5, 1);
    const m = solveMatching(p);
    const t = solveMatching(transpose(p));
    assertValid(transpose(p), t);
    assert.equal(t.total, m.total, `${rows}x${cols}`);
  }
});

test("deterministic, and a reused workspace gives the same answers as a fresh one", () => {
  const rng = new Rng(5).split("matching-determinism");
  const problems = [
    randomProblem(rng, 40, 70, 0.2, () => rng.int(4)),
    randomProblem(rng, 5, 3, 0.8, () => rng.int(3) - 1),
    randomProblem(rng, 90, 30, 0.3, () => rng.uniform()),
    randomProblem(rng, 40, 70, 0.2, () => rng.int(4)),
  ];
  const ws = new MatchingWorkspace();
  for (const p of problems) {
    const fresh = solveMatching(p);
    const reused = solveMatching(p, ws);
    assert.deepEqual(reused.rowMatch, fresh.rowMatch);
    assert.deepEqual(reused.colMatch, fresh.colMatch);
    assert.equal(reused.total, fresh.total);
    assert.deepEqual(solveMatching(p).rowMatch, fresh.rowMatch);
  }
});
