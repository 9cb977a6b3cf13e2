/**
 * fleetrl processes for the distributed tests: started as a user would (the CLI in a child
 * process), their output kept, waited for by a line they print, killed at the end of the test.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readRows } from "../../src/training/train-log.ts";

export interface Running {
  child: ChildProcess;
  /** stdout + stderr so far. */
  output(): string;
  stdout(): string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
  /** Resolves once the output matches `pattern` (rejects after `timeoutMs` or at exit). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

const started: ChildProcess[] = [];

export function fleetrl(args: string[], env: NodeJS.ProcessEnv = {}): Running {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  started.push(child);
  let out = "";
  let stdout = "";
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer, isStdout: boolean) => {
    out += chunk;
    if (isStdout) stdout += chunk;
    for (const l of listeners) l();
  };
  child.stdout?.on("data", (c) => onData(c, true));
  child.stderr?.on("data", (c) => onData(c, false));
  const exited = new Promise<number | string>((resolve) =>
    child.once("exit", (code, signal) => {
      for (const l of listeners) l();
      resolve(code ?? signal ?? -1);
    }),
  );
  const waitFor = (pattern: RegExp, timeoutMs = 60_000) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (pattern.test(out)) done(resolve);
        else if (child.exitCode !== null || child.signalCode !== null)
          done(() => reject(new Error(`exited before ${pattern}:\n${out}`)));
      };
      const timer = setTimeout(
        () => done(() => reject(new Error(`no ${pattern} in ${timeoutMs} ms:\n${out}`))),
        timeoutMs,
      );
      const done = (f: () => void) => {
        clearTimeout(timer);
        listeners.delete(check);
        f();
      };
      listeners.add(check);
      check();
    });
  return { child, output: () => out, stdout: () => stdout, exited, waitFor };
}

/** Kill every process these tests started that still runs (call in `after`). */
export function killAll(): void {
  for (const child of started)
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}

/** What a run leaves that must not depend on who played: weights, logs without clock fields. */
export function fingerprint(dir: string) {
  const timeless = (rows: Record<string, unknown>[]) =>
    rows.map((r) =>
      Object.fromEntries(Object.entries(r).filter(([k]) => !/(Seconds|PerSecond)$/.test(k))),
    );
  return {
    checkpoint: readFileSync(join(dir, "checkpoint.safetensors")).toString("hex"),
    train: timeless(readRows(join(dir, "train.jsonl"))),
    eval: timeless(readRows(join(dir, "eval.jsonl"))),
    config: JSON.parse(readFileSync(join(dir, "config.json"), "utf8")),
  };
}

/** The tiny run the tests train: a few seconds, two episodes per update. */
export const TINY_RUN = [
  "--env",
  "tiny",
  "--algo",
  "ospo",
  "--episodes",
  "6",
  "--rollouts",
  "2",
  "--seed",
  "3",
  "--eval-every",
  "2",
  "--epsilon-decay",
  "auto",
];
