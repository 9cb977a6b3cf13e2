/**
 * The dashboard in headless Chromium against a runs folder made by the real CLI: runs listed,
 * learning curves drawn and extended live when train.jsonl grows, the map replay advancing when
 * playing and reaching the episode's metrics at its end, two dispatchers side by side.
 * Screenshots go to the temp runs folder, and also to the folder DASHBOARD_SCREENSHOTS names if
 * it is set (to look at them after the run).
 */
import assert from "node:assert/strict";
import {
  appendFileSync,
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
} from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { type Dashboard, startDashboard } from "../../src/dashboard/server.ts";
import { chromiumSkip, launchChromium } from "../browser/chromium.ts";
import { makeRunsDir } from "./fixture.ts";

let runs: string;
let dash: Dashboard;
let browser: Browser;
let page: Page;
const offsite: string[] = [];
const pageErrors: string[] = [];
const skip = chromiumSkip();

before(async () => {
  if (skip) return;
  runs = await makeRunsDir();
  dash = await startDashboard({ runsDir: runs, port: 0, pollMs: 100 });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  // Traffic to anything but this server is refused and recorded.
  await page.route("**/*", (route) => {
    if (route.request().url().startsWith(dash.url)) return route.continue();
    offsite.push(route.request().url());
    return route.abort();
  });
});

after(async () => {
  const keep = process.env.DASHBOARD_SCREENSHOTS;
  if (keep && runs) {
    mkdirSync(keep, { recursive: true });
    for (const f of readdirSync(runs).filter((n) => n.endsWith(".png"))) {
      copyFileSync(join(runs, f), join(keep, f));
    }
  }
  await browser?.close();
  await dash?.close();
  if (runs) rmSync(runs, { recursive: true, force: true });
});

const replay = () =>
  page.evaluate(() => {
    const r = (window as unknown as { fleetrlReplay: Record<string, () => unknown> }).fleetrlReplay;
    return { time: r.time() as number, xy: (r.vehiclePositions as (i: number) => number[])(0) };
  });

async function scrubTo(t: number): Promise<void> {
  await page.$eval(
    "#scrub",
    (el, value) => {
      const input = el as HTMLInputElement;
      input.value = String(value);
      input.dispatchEvent(new Event("input"));
    },
    t,
  );
}

async function counters(pane: number): Promise<Record<string, string>> {
  return page.$$eval(`#pane-${pane} dd[data-counter]`, (els) =>
    Object.fromEntries(els.map((e) => [e.getAttribute("data-counter"), e.textContent ?? ""])),
  );
}

test("the runs are listed with their kind; selecting training runs opens their curves", {
  skip,
}, async () => {
  await page.goto(dash.url);
  await page.waitForSelector("#runs-table tr[data-run]");
  const listed = await page.$$eval("#runs-table tr[data-run]", (rows) =>
    rows.map((r) => `${r.getAttribute("data-run")}:${r.getAttribute("data-kind")}`),
  );
  assert.deepEqual(listed, ["sim-a:simulate", "sim-b:simulate", "train-a:train"]);
  const simA = await page.textContent('#runs-table tr[data-run="sim-a"]');
  assert.match(simA ?? "", /min-eta/);
  await page.screenshot({ path: join(runs, "runs.png") });
  // a window narrower than the table: the table scrolls in its box, the page and its nav bar
  // stay window-wide
  await page.setViewportSize({ width: 700, height: 900 });
  const widths = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    window: window.innerWidth,
    header: document.querySelector("header")!.getBoundingClientRect().width,
    table: document.querySelector("#runs-table")!.scrollWidth,
  }));
  await page.setViewportSize({ width: 1300, height: 900 });
  assert.ok(widths.table > widths.window, `the table (${widths.table} px) is wider than 700 px`);
  assert.equal(widths.page, widths.window, "no page-wide horizontal scroll");
  assert.equal(widths.header, widths.window);
  await page.check('input[data-run="train-a"]');
  await page.click("#open-curves");
  await page.waitForFunction(() => location.hash.startsWith("#/curves"));
});

test("learning curves render, then grow live when train.jsonl gets a row", { skip }, async () => {
  await page.goto(`${dash.url}#/curves?runs=train-a`);
  await page.waitForSelector("#live-status:has-text('waiting for new rows')");
  const points = () =>
    page.$eval(
      "figure.panel path.line",
      (p) => (p.getAttribute("d") ?? "").split(/[ML]/).length - 1,
    );
  assert.equal(await points(), 2, "two training episodes");
  const yTitles = await page.$$eval("figure.panel text.axis-title", (t) =>
    t.map((e) => e.textContent),
  );
  assert.deepEqual(yTitles.slice(0, 2), ["reward (training)", "reward (greedy evaluation)"]);
  const evalPoints = await page.$$eval("figure.panel:nth-child(2) circle", (c) => c.length);
  assert.equal(evalPoints, 3, "the untrained policy's evaluation and two more");
  const log = join(runs, "train-a", "train.jsonl");
  const last = JSON.parse(readFileSync(log, "utf8").trim().split("\n").pop()!);
  appendFileSync(log, `${JSON.stringify({ ...last, episode: 3, reward: last.reward * 1.5 })}\n`);
  await page.waitForFunction(
    () =>
      (document.querySelector("figure.panel path.line")?.getAttribute("d") ?? "").split(/[ML]/)
        .length -
        1 ===
      3,
    undefined,
    { timeout: 5000 },
  );
  assert.match((await page.textContent("#live-status")) ?? "", /1 new row/);
  await page.screenshot({ path: join(runs, "curves.png") });
});

test("the replay advances when playing and ends on the episode's metrics", { skip }, async () => {
  await page.goto(`${dash.url}#/replay?runs=sim-a`);
  await page.waitForSelector("#view[data-ready]");
  const { start, end } = await page.evaluate(() => {
    const r = (window as unknown as { fleetrlReplay: { start: number; end: number } })
      .fleetrlReplay;
    return { start: r.start, end: r.end };
  });
  await scrubTo(start + 90);
  await page.selectOption("#speed", "120");
  const before = await replay();
  const shot1 = await page.locator("#map-0").screenshot();
  await page.click("#play");
  await page.waitForTimeout(1000);
  await page.click("#play"); // pause
  const afterPlay = await replay();
  const shot2 = await page.locator("#map-0").screenshot({ path: join(runs, "replay.png") });
  assert.ok(afterPlay.time > before.time + 30, `time advanced ${before.time} → ${afterPlay.time}`);
  const moved = before.xy.filter((v, i) => Math.abs(v - afterPlay.xy[i]) > 0.5).length / 2;
  assert.ok(moved >= 5, `vehicles moved on the map: ${moved}`);
  assert.ok(!shot1.equals(shot2), "the map's pixels changed");

  await scrubTo(end);
  const metrics = JSON.parse(readFileSync(join(runs, "sim-a", "metrics.json"), "utf8"));
  const c = await counters(0);
  assert.equal(Number(c.requested), metrics.requested);
  assert.equal(Number(c.served), metrics.served);
  assert.equal(Number(c.lost), metrics.lost);
  assert.equal(Number(c.waiting), 0);
  assert.equal(Number(c.delivered), metrics.served, "every assigned order is delivered");
  // The counter shows three significant digits: equal to metrics.json's mean to that precision.
  const shown = Number(c.meanPickupS);
  assert.ok(Math.abs(shown - metrics.meanPickupS) <= 0.005 * metrics.meanPickupS, c.meanPickupS);
});

test("two dispatchers side by side on one clock", { skip }, async () => {
  await page.goto(`${dash.url}#/replay?runs=sim-a,sim-b`);
  await page.waitForSelector("#view[data-ready]");
  assert.equal(await page.locator("canvas").count(), 2);
  assert.match((await page.textContent("#pane-0 h3")) ?? "", /sim-a — min-eta/);
  assert.match((await page.textContent("#pane-1 h3")) ?? "", /sim-b — greedy/);
  const start = await page.evaluate(
    () => (window as unknown as { fleetrlReplay: { start: number } }).fleetrlReplay.start,
  );
  // The same requests arrive in both (same seed); the dispatchers then serve them differently.
  await scrubTo(start + 300);
  const [a, b] = [await counters(0), await counters(1)];
  assert.equal(a.requested, b.requested);
  assert.ok(Number(a.requested) > 0);
  assert.notDeepEqual(a, b);
  const shot = join(runs, "replay-side-by-side.png");
  await page.screenshot({ path: shot });
});

test("the page made no request beyond the dashboard's server and raised no error", { skip }, () => {
  assert.deepEqual(offsite, []);
  assert.deepEqual(pageErrors, []);
});
