/**
 * The MovingAI `.map` reader: the four shipped maps parse to their stated sizes and free-cell
 * counts (counted here independently, character by character), and malformed files are
 * rejected with the file, line and character in the message.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { UserError } from "../../../src/core/errors.ts";
import {
  formatMap,
  freeCount,
  largestComponent,
  parseMap,
  readMapFile,
} from "../../../src/envs/mapf/grid-map.ts";

/** The stated sizes (data/mapf/README.md) and the free cells counted from the raw text. */
const SHIPPED = [
  { file: "warehouse-10-20-10-2-1.map", height: 63, width: 161 },
  { file: "random-32-32-20.map", height: 32, width: 32 },
  { file: "room-32-32-4.map", height: 32, width: 32 },
  { file: "empty-16-16.map", height: 16, width: 16 },
];

/** Free cells of a .map text by counting its map rows' "." characters (the files use . and @). */
function countDots(text: string): { rows: number; free: number; blocked: number } {
  const rows = text.trim().split("\n").slice(4);
  const chars = rows.join("");
  return {
    rows: rows.length,
    free: chars.split("").filter((c) => c === ".").length,
    blocked: chars.split("").filter((c) => c === "@").length,
  };
}

describe("MovingAI .map reader", () => {
  for (const { file, height, width } of SHIPPED) {
    test(`${file}: ${height} × ${width}, free cells as counted in the text`, () => {
      const path = `data/mapf/${file}`;
      const counted = countDots(readFileSync(path, "utf8"));
      const map = readMapFile(path);
      assert.equal(map.height, height);
      assert.equal(map.width, width);
      assert.equal(counted.rows, height);
      assert.equal(counted.free + counted.blocked, width * height);
      assert.equal(freeCount(map), counted.free);
      // written back and read again: the same cells
      assert.deepEqual(parseMap(formatMap(map), file).free, map.free);
    });
  }

  test("known counts: empty 256 free, random 819, room 682, warehouse 5699; each one connected region", () => {
    const expected = {
      "empty-16-16": 256,
      "random-32-32-20": 819,
      "room-32-32-4": 682,
      "warehouse-10-20-10-2-1": 5699,
    };
    for (const [name, free] of Object.entries(expected)) {
      const map = readMapFile(`data/mapf/${name}.map`);
      assert.equal(freeCount(map), free, name);
      assert.equal(largestComponent(map).length, free, name);
    }
  });

  test("G and S are free, O T W are obstacles; CRLF line ends and a missing final newline are fine", () => {
    const map = parseMap("type octile\r\nheight 2\r\nwidth 4\r\nmap\r\n.GS@\r\nOTW.", "x.map");
    assert.deepEqual([...map.free], [1, 1, 1, 0, 0, 0, 0, 1]);
  });

  const bad: [string, string, RegExp][] = [
    [
      "wrong first line",
      "kind octile\nheight 1\nwidth 1\nmap\n.\n",
      /^bad\.map:1:1: expected "type <value>"/,
    ],
    [
      "height not a number",
      "type octile\nheight x\nwidth 1\nmap\n.\n",
      /^bad\.map:2:8: height: expected an integer/,
    ],
    [
      "width 0",
      "type octile\nheight 1\nwidth 0\nmap\n.\n",
      /^bad\.map:3:7: width: expected an integer in 1\.\.4096/,
    ],
    ["no map line", "type octile\nheight 1\nwidth 1\nmaps\n.\n", /^bad\.map:4:1: expected "map"/],
    [
      "unknown character",
      "type octile\nheight 2\nwidth 3\nmap\n...\n.x.\n",
      /^bad\.map:6:2: unknown cell "x"/,
    ],
    [
      "short row",
      "type octile\nheight 2\nwidth 3\nmap\n...\n..\n",
      /^bad\.map:6:3: expected 3 characters, the row has 2/,
    ],
    [
      "long row",
      "type octile\nheight 1\nwidth 3\nmap\n....\n",
      /^bad\.map:5:4: expected 3 characters, the row is longer/,
    ],
    [
      "missing rows",
      "type octile\nheight 3\nwidth 1\nmap\n.\n.\n",
      /^bad\.map:7:1: expected 3 map rows, the file ends after 2/,
    ],
    [
      "extra rows",
      "type octile\nheight 1\nwidth 1\nmap\n.\n.\n",
      /^bad\.map:6:1: expected the end of the file/,
    ],
    ["empty file", "", /^bad\.map:1:1: expected "type <value>"/],
  ];
  for (const [name, text, message] of bad) {
    test(`rejected: ${name}`, () => {
      assert.throws(
        () => parseMap(text, "bad.map"),
        (e: unknown) => e instanceof UserError && message.test(e.message),
      );
    });
  }

  test("a missing file is a user error naming it", () => {
    assert.throws(
      () => readMapFile("data/mapf/nope.map"),
      /data\/mapf\/nope\.map: cannot read the map/,
    );
  });
});
