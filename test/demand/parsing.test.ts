/** Low-level parsing: date-times, numbers and CSV lines, against known answers and brute force. */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { locateFields, parseCsvLine, parseNumber } from "../../src/demand/csv.ts";
import {
  daysFromCivil,
  formatDateTime,
  parseClock,
  parseDate,
  parseDateTime,
} from "../../src/demand/datetime.ts";

test("parseDateTime reads TLC, ISO and US forms as wall-clock-as-UTC seconds", () => {
  const t = Date.UTC(2013, 8, 1, 0, 6) / 1000;
  assert.equal(parseDateTime("2013-09-01 00:06:00"), t);
  assert.equal(parseDateTime("2013-09-01 00:06"), t);
  assert.equal(parseDateTime("2013-09-01T00:06:00Z"), t);
  assert.equal(parseDateTime("2013-09-01 00:06:00.250"), t + 0.25);
  assert.equal(parseDateTime("09/01/2013 12:06:00 AM"), t);
  assert.equal(parseDateTime("09/01/2013 12:06:00 PM"), t + 12 * 3600);
  // 2013-11-03 01:30 happened twice in New York; as wall clock it is one value, 1 h after 00:30.
  assert.equal(parseDateTime("2013-11-03 01:30:00") - parseDateTime("2013-11-03 00:30:00"), 3600);
  for (const bad of [
    "",
    "yesterday",
    "2013-02-29 00:00",
    "2013-09-01",
    "2013-09-01 24:00",
    "2013-09-01 10:61",
    "2013-09-01 10:00 XM",
    "13/01/2013 10:00",
  ]) {
    assert.ok(Number.isNaN(parseDateTime(bad)), bad);
  }
});

test("parseDateTime agrees with Date.UTC on random instants and round-trips formatDateTime", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: Date.UTC(1990, 0, 1) / 1000, max: Date.UTC(2100, 0, 1) / 1000 }),
      (s) => {
        assert.equal(parseDateTime(formatDateTime(s)), s);
        assert.equal(daysFromCivil(...ymd(s)), Math.floor(s / 86400));
      },
    ),
  );
});

function ymd(s: number): [number, number, number] {
  const d = new Date(s * 1000);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
}

test("parseDate and parseClock", () => {
  assert.equal(parseDate("2013-09-01"), Date.UTC(2013, 8, 1) / 1000);
  assert.ok(Number.isNaN(parseDate("2013-9-1")));
  assert.equal(parseClock("00:00"), 0);
  assert.equal(parseClock("24:00"), 86400);
  assert.equal(parseClock("7:30"), 27000);
  assert.ok(Number.isNaN(parseClock("24:01")));
  assert.ok(Number.isNaN(parseClock("12:60")));
});

test("parseNumber equals Number on decimal text", () => {
  fc.assert(
    fc.property(
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
      fc.integer({ min: 0, max: 8 }),
      (x, d) => {
        const s = x.toFixed(d);
        assert.equal(parseNumber(s, 0, s.length), Number(s));
      },
    ),
  );
  assert.equal(parseNumber("1e3", 0, 3), 1000);
  assert.ok(Number.isNaN(parseNumber("north", 0, 5)));
  assert.ok(Number.isNaN(parseNumber("-", 0, 1)));
});

test("CSV lines: quotes, escaped quotes, empty fields", () => {
  assert.deepEqual(parseCsvLine('1,"Manhattan","Alphabet City, ""East"""'), [
    "1",
    "Manhattan",
    'Alphabet City, "East"',
  ]);
  assert.deepEqual(parseCsvLine("a,,b,"), ["a", "", "b", ""]);
  const out = { text: "", starts: new Int32Array(3), ends: new Int32Array(3), count: 0 };
  locateFields('x,"y,z",w,v', out);
  assert.equal(out.count, 3);
  assert.deepEqual(
    [0, 1, 2].map((k) => out.text.slice(out.starts[k], out.ends[k])),
    ["x", "y,z", "w"],
  );
  locateFields("a", out);
  assert.equal(out.count, 1);
});
