/**
 * At the process's file-handle limit the run list is an error (503), not an empty list: a
 * server that cannot open a file must not report "no runs". The handles are used up in this
 * process (the server runs in it) after the client's connection is open, then given back.
 */
import assert from "node:assert/strict";
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type Dashboard, startDashboard } from "../../src/dashboard/server.ts";

let runs: string;
let dash: Dashboard;

before(async () => {
  runs = mkdtempSync(join(tmpdir(), "fleetrl-handles-"));
  mkdirSync(join(runs, "sim-a"));
  writeFileSync(join(runs, "sim-a", "config.json"), JSON.stringify({ vehicles: 10 }));
  writeFileSync(join(runs, "sim-a", "metrics.json"), JSON.stringify({ served: 3 }));
  dash = await startDashboard({ runsDir: runs, port: 0, pollMs: 50 });
});

after(async () => {
  await dash?.close();
  rmSync(runs, { recursive: true, force: true });
});

/** GET /api/runs on an open keep-alive socket; resolves with the status line's code. */
function runsStatus(socket: Socket): Promise<number> {
  return new Promise((resolve) => {
    socket.once("data", (chunk) => resolve(Number(String(chunk).split(" ")[1])));
    socket.write(
      `GET /api/runs HTTP/1.1\r\nHost: 127.0.0.1:${dash.port}\r\nConnection: keep-alive\r\n\r\n`,
    );
  });
}

test("/api/runs answers 503 while the process has no file handle left, 200 with the runs after", async () => {
  const socket = connect(dash.port, "127.0.0.1");
  await new Promise((resolve) => socket.once("connect", resolve));
  assert.equal(await runsStatus(socket), 200);
  const held: number[] = [];
  try {
    for (;;) held.push(openSync(join(runs, "sim-a", "config.json"), "r"));
  } catch (e) {
    assert.equal((e as NodeJS.ErrnoException).code, "EMFILE");
  }
  const status = await runsStatus(socket);
  for (const fd of held) closeSync(fd);
  assert.equal(status, 503);
  assert.equal(await runsStatus(socket), 200);
  socket.destroy();
});
