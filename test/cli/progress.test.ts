/** The progress bar on a terminal: its very first frame shows "-" for fields not known yet. */
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { test } from "node:test";
import { startProgress } from "../../src/cli/progress.ts";

test("the first frame of a terminal progress bar prints no raw {placeholders}", () => {
  let text = "";
  const tty = Object.assign(
    new Writable({
      write(chunk, _enc, done) {
        text += String(chunk);
        done();
      },
    }),
    {
      isTTY: true,
      columns: 200,
      cursorTo: () => true,
      clearLine: () => true,
      moveCursor: () => true,
    },
  ) as unknown as NodeJS.WriteStream;
  const bar = startProgress("episodes", 5, "reward {reward} | served {served}", tty);
  bar.stop();
  assert.match(text, /reward - \| served -/);
  assert.doesNotMatch(text, /\{reward\}|\{served\}/);
});
