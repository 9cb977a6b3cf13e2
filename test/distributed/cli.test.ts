/**
 * The command line of the distributed run as a user meets it: bad URLs and flags (exit 2, a
 * clear message, no stack trace), a server that cannot be reached (exit 2 naming the URL, the
 * password hidden), a wrong password, and a whole run over TLS with a password.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { UserError } from "../../src/core/errors.ts";
import { validate } from "../../src/core/validate.ts";
import { parseRedisUrl, shownUrl } from "../../src/distributed/connection.ts";
import { DistributedSettingsSchema, runKeys } from "../../src/distributed/run-keys.ts";
import { runCli, tempDir } from "../cli/run-cli.ts";
import { fleetrl, killAll, TINY_RUN } from "./processes.ts";
import {
  freePort,
  makeTlsFiles,
  type RedisServer,
  SKIP_REDIS,
  startRedis,
  type TlsFiles,
} from "./redis-server.ts";

const userError = (r: ReturnType<typeof runCli>, pattern: RegExp) => {
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
};

test("bad URLs, run names and settings are refused with a message that says what is wrong", () => {
  const bad: [() => unknown, RegExp][] = [
    [() => parseRedisUrl("localhost:6379"), /expected a redis:\/\/ or rediss:\/\/ URL/],
    [() => parseRedisUrl("not a url"), /not a URL/],
    [() => parseRedisUrl("http://127.0.0.1:6379"), /expected a redis:\/\/ or rediss:\/\/ URL/],
    [() => parseRedisUrl("redis://:secret@127.0.0.1/abc"), /database number/],
    [() => parseRedisUrl("redis://127.0.0.1?db=1"), /no query/],
    [() => runKeys("a b"), /--run "a b": a run name is/],
    [() => runKeys("-x"), /a run name is/],
    [
      () => validate(DistributedSettingsSchema, { run: "r", redisTimeout: -1 }, "s"),
      /redisTimeout/,
    ],
    [() => validate(DistributedSettingsSchema, { run: "r", claimTimeout: 0 }, "s"), /claimTimeout/],
  ];
  for (const [f, pattern] of bad) {
    assert.throws(f, (e: Error) => e instanceof UserError && pattern.test(e.message));
    try {
      f();
    } catch (e) {
      assert.doesNotMatch((e as Error).message, /secret/, "the password is never printed");
    }
  }
  assert.equal(shownUrl("rediss://user:secret@h:1/2"), "rediss://user:***@h:1/2");
  assert.equal(parseRedisUrl("rediss://:pw@127.0.0.1:6380/1").protocol, "rediss:");
});

test("the CLI: bad URLs and flags exit 2 with the message, no stack trace", () => {
  const dir = tempDir("fleetrl-dist-cli-");
  const cases: [string[], RegExp][] = [
    [["actor"], /--redis URL is required/],
    [["learner", "--env", "tiny"], /--redis URL is required/],
    [["actor", "--redis", "redis://:secret@127.0.0.1/abc"], /database number/],
    [
      ["learner", "--redis", "redis://127.0.0.1", "--policy-lag", "1.5"],
      /--policy-lag <n>' argument '1.5' is invalid. expected a whole number ≥ 0/,
    ],
    [
      ["learner", "--redis", "redis://127.0.0.1", "--policy-lag", "-1"],
      /expected a whole number ≥ 0, got "-1"/,
    ],
    [["learner", "--redis", "redis://127.0.0.1", "--claim-timeout", "0"], /expected a number > 0/],
    [
      ["learner", "--redis", "redis://127.0.0.1", "--resume", dir],
      /no distributed.json: not a learner's run/,
    ],
    [["swarm", "--redis", "redis://127.0.0.1", "--env", "tiny"], /--node NAME is required/],
  ];
  for (const [args, pattern] of cases) {
    const r = runCli(args);
    userError(r, pattern);
    assert.doesNotMatch(r.stderr, /secret/, "the password is never printed");
  }
});

test("a learner's distributed.json from before the policy lag: its maxStaleness is ignored, the rest still checked", () => {
  const dir = tempDir("fleetrl-dist-old-");
  const settings = { run: "old", maxStaleness: 1, claimTimeout: -1, redisTimeout: 60 };
  writeFileSync(join(dir, "distributed.json"), JSON.stringify(settings));
  const r = runCli(["learner", "--redis", "redis://127.0.0.1", "--resume", dir]);
  userError(r, /distributed\.json: claimTimeout: Too small/);
  assert.doesNotMatch(r.stderr, /maxStaleness/);
});

test("a server that cannot be reached: exit 2 naming the URL, password hidden", async () => {
  const port = await freePort();
  for (const command of [["actor"], ["learner", ...TINY_RUN, "--out", join(tempDir(), "run")]]) {
    const r = runCli([
      command[0],
      "--redis",
      `redis://:secret@127.0.0.1:${port}`,
      ...command.slice(1),
    ]);
    userError(
      r,
      new RegExp(`cannot connect to Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port}`),
    );
    assert.doesNotMatch(r.stderr, /secret/);
  }
});

let tls: TlsFiles;
let server: RedisServer;
before(async () => {
  if (SKIP_REDIS) return;
  tls = makeTlsFiles();
  server = await startRedis({ password: "s3cret", tls });
});
after(async () => {
  killAll();
  await server?.stop();
});

test("TLS and a password: a wrong password or plain redis:// is refused (exit 2); the right URL trains", {
  skip: SKIP_REDIS,
}, async () => {
  const trust = { NODE_EXTRA_CA_CERTS: tls.ca }; // the test CA, as a user trusts their own
  const wrong = server.url.replace("s3cret", "nope");
  const cli = (args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
      encoding: "utf8",
      env: { ...process.env, ...trust },
    });
  const r = cli(["actor", "--redis", wrong]);
  userError(
    r,
    /cannot connect to Redis at rediss:\/\/:\*\*\*@127.0.0.1:\d+: authentication failed/,
  );
  assert.doesNotMatch(r.stderr, /nope/);
  userError(
    cli(["actor", "--redis", server.url.replace("rediss:", "redis:")]),
    /cannot connect to Redis/,
  );
  const out = join(tempDir(), "tls");
  const learner = fleetrl(
    ["learner", "--redis", server.url, ...TINY_RUN, "--episodes", "2", "--out", out],
    trust,
  );
  const actor = fleetrl(["actor", "--redis", server.url], trust);
  assert.equal(await learner.exited, 0, learner.output());
  assert.equal(await actor.exited, 0, actor.output());
  assert.match(learner.stdout(), /actors: 2 episodes received/);
  assert.doesNotMatch(learner.output() + actor.output(), /s3cret/);
});
