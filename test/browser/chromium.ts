/**
 * Headless Chromium for browser tests: Debian's `chromium` package driven by playwright-core
 * (no browser download; `.ci/run` installs the package). Flags keep it off the network.
 *
 * Without Chromium the browser tests skip (`test(name, { skip: chromiumSkip() }, …)`) and one
 * line per test run says so and how to install it, so `npm test` passes on a fresh machine.
 * With CI set they never skip: CI installs Chromium and must run them for real.
 */
import { existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const INSTALL_HINT = "apt-get install chromium";

/** The skip reason when Chromium is missing and CI is not set, else false (run the tests). */
export function chromiumSkip(): string | false {
  if (existsSync(CHROMIUM_PATH) || process.env.CI) return false;
  const reason = `Chromium not found at ${CHROMIUM_PATH}: browser tests skipped (install it: ${INSTALL_HINT}, or set CHROMIUM_PATH)`;
  announceOnce(reason);
  return reason;
}

/** Print `line` once per test run: every test file of one run shares the runner's pid. */
function announceOnce(line: string): void {
  try {
    writeFileSync(join(tmpdir(), `fleetrl-no-chromium-${process.ppid}`), line, { flag: "wx" });
  } catch {
    return; // another test file of this run has said it
  }
  process.stderr.write(`\n!!! ${line} !!!\n\n`);
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `browser tests need Chromium at ${CHROMIUM_PATH}: install Debian's package (${INSTALL_HINT}) or set CHROMIUM_PATH`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
