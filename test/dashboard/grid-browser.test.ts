/**
 * The dashboard's grid replay and learning curves of mapf runs in headless Chromium, against a
 * runs folder made by the real code (simulate --env mapf, train --env mapf): the runs table
 * marks them mapf and opens the grid replay; scrubbing to a step puts robot 0 on the cell the
 * replay says and the goal counter at the replay's count; playing advances the step; the curves
 * of a mapf training run start with throughput.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { type Dashboard, startDashboard } from "../../src/dashboard/server.ts";
import { MapfSimulateSchema, simulateMapf } from "../../src/experiments/mapf-simulate.ts";
import { trainRunSchemaFor } from "../../src/experiments/run-config.ts";
import { train } from "../../src/experiments/train.ts";
import { chromiumSkip, launchChromium } from "../browser/chromium.ts";

let runs: string;
let dash: Dashboard;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const skip = chromiumSkip();

before(async () => {
  if (skip) return;
  runs = mkdtempSync(join(tmpdir(), "fleetrl-grid-"));
  const sim = MapfSimulateSchema.parse({
    environment: "mapf",
    map: "data/mapf/room-32-32-4.map",
    agents: 20,
    steps: 40,
    seed: 5,
  });
  await simulateMapf(sim, join(runs, "grid-sim"));
  const raw = {
    environment: "mapf",
    env: { map: "empty", width: 6, height: 6, agents: 3, steps: 8, window: 3 },
    train: { algo: "ospo", episodes: 2, evalEvery: 1, evalSeeds: [3], updatesPerEpisode: 1 },
  };
  await train(trainRunSchemaFor(raw, "test").parse(raw) as never, join(runs, "grid-train"));
  dash = await startDashboard({ runsDir: runs, port: 0, pollMs: 100 });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  page.on("pageerror", (e) => pageErrors.push(e.message));
});

after(async () => {
  await browser?.close();
  await dash?.close();
  if (runs) rmSync(runs, { recursive: true, force: true });
});

type Grid = {
  step: () => number;
  steps: number;
  goals: () => number;
  robot: (i: number) => [number, number];
  playing: () => boolean;
};
const grid = () =>
  page.evaluate(() => {
    const g = (window as unknown as { fleetrlGrid: Grid }).fleetrlGrid;
    return { step: g.step(), steps: g.steps, goals: g.goals(), robot: g.robot(0) };
  });

async function scrubTo(step: number): Promise<void> {
  await page.$eval(
    "#scrub",
    (el, value) => {
      const input = el as HTMLInputElement;
      input.value = String(value);
      input.dispatchEvent(new Event("input"));
    },
    step,
  );
}

test("the runs table marks mapf runs and opens the grid replay", { skip }, async () => {
  await page.goto(dash.url);
  await page.waitForSelector('#runs-table tr[data-run="grid-sim"]');
  const kind = await page.textContent('#runs-table tr[data-run="grid-sim"] td:nth-child(3)');
  assert.equal(kind, "simulate (mapf)");
  assert.equal(await page.isDisabled("#open-grid"), true);
  await page.check('input[data-run="grid-sim"]');
  assert.equal(await page.isDisabled("#open-replay"), true, "no events.json: no map replay");
  await page.click("#open-grid");
  await page.waitForFunction(() => location.hash.startsWith("#/grid?runs=grid-sim"));
});

test("scrubbing shows the replay's cells and goals; playing advances", { skip }, async () => {
  const replay = JSON.parse(readFileSync(join(runs, "grid-sim", "replay.json"), "utf8"));
  await page.goto(`${dash.url}#/grid?runs=grid-sim`);
  await page.waitForSelector("#view[data-ready]");
  const start = await grid();
  assert.equal(start.steps, 40);
  assert.equal(start.step, 0);
  const width = await page.$eval(
    "#grid",
    (c) => (c as HTMLCanvasElement).getBoundingClientRect().width,
  );
  const s = width / replay.map.width;
  const at = (t: number) => {
    const c = replay.positions[t * replay.agents];
    return [(c % replay.map.width) * s + s / 2, Math.floor(c / replay.map.width) * s + s / 2];
  };
  await scrubTo(25);
  const mid = await grid();
  assert.equal(mid.step, 25);
  assert.deepEqual(mid.robot, at(25));
  const goals25 = replay.goalsPerStep.slice(0, 25).reduce((a: number, b: number) => a + b, 0);
  assert.equal(mid.goals, goals25);
  assert.equal(await page.textContent('dd[data-counter="goals"]'), String(goals25));
  await scrubTo(40);
  assert.equal((await grid()).goals, replay.metrics.goals);
  await scrubTo(0);
  await page.selectOption("#speed", "20");
  await page.click("#play");
  await page.waitForTimeout(600);
  await page.click("#play"); // pause
  const played = await grid();
  assert.ok(played.step >= 3, `played to step ${played.step}`);
  await page.screenshot({ path: join(runs, "grid.png") });
});

test("a mapf training run's curves start with throughput", { skip }, async () => {
  await page.goto(`${dash.url}#/curves?runs=grid-train`);
  await page.waitForSelector("#live-status:has-text('waiting for new rows')");
  await page.waitForFunction(() =>
    [...document.querySelectorAll("figure.panel text.axis-title")].some((t) =>
      (t.textContent ?? "").startsWith("throughput (greedy evaluation)"),
    ),
  );
  const titles = await page.$$eval("figure.panel text.axis-title", (t) =>
    t.map((e) => e.textContent).filter((x) => x !== "episode"),
  );
  assert.deepEqual(titles.slice(0, 3), [
    "reward (training)",
    "throughput (greedy evaluation)",
    "env.throughput (training)",
  ]);
});

test("no page error", { skip }, () => {
  assert.deepEqual(pageErrors, []);
});
