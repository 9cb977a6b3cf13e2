/** validate(): every bad field named with the value given; unknown keys shown with their own values. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { UserError } from "../../src/core/errors.ts";
import { validate } from "../../src/core/validate.ts";

const Schema = z.strictObject({
  train: z.strictObject({ lr: z.number().positive(), episodes: z.number().int() }).partial(),
});

test("a bad value is named by its path, with the value given", () => {
  assert.throws(
    () => validate(Schema, { train: { lr: -1 } }, "run.yaml"),
    (e: unknown) =>
      e instanceof UserError && /^run\.yaml: train\.lr: .*0.*\(got -1\)$/.test(e.message),
  );
});

test("an unknown key shows that key's value, not the whole section", () => {
  assert.throws(
    () => validate(Schema, { train: { lrr: 0.1, lr: 0.001, episodes: 3 } }, "run.yaml"),
    (e: unknown) =>
      e instanceof UserError &&
      e.message === 'run.yaml: train: Unrecognized key: "lrr" (got {"lrr":0.1})',
  );
});

test("a valid value comes back parsed", () => {
  assert.deepEqual(validate(Schema, { train: { lr: 0.5 } }, "run.yaml"), { train: { lr: 0.5 } });
});
