/**
 * Simulator benchmark, scenario "manhattan-peak" (DESIGN §4): 1000 vehicles of capacity 3,
 * 30 one-minute epochs from 00:00 on the shipped day 2013-09-01, every non-learning dispatcher.
 * Start-up (loading data, the hour's all-pairs travel-time table) is reported separately from
 * episode time; the per-epoch breakdown is the mean over the measured episodes.
 * Also prints served orders and pickup time per dispatcher over 3 seeds (docs/results.md).
 *
 *   npx tsx bench/simulate.ts [--seeds 3] [--vehicles 1000] [--epochs 30] [--start-hour 0]
 */
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { meanCi95 } from "../src/core/stats.ts";
import { DispatchConfigSchema } from "../src/envs/dispatch/config.ts";
import { BASELINE_DISPATCHERS } from "../src/envs/dispatch/dispatchers.ts";
import { type PhaseTimes, runEpisode } from "../src/envs/dispatch/episode.ts";
import { DispatchSimulator } from "../src/envs/dispatch/simulator.ts";
import { loadWorld } from "../src/envs/dispatch/world.ts";

const { values } = parseArgs({
  options: {
    seeds: { type: "string", default: "3" },
    vehicles: { type: "string", default: "1000" },
    epochs: { type: "string", default: "30" },
    "start-hour": { type: "string", default: "0" },
  },
});
const seeds = Number(values.seeds);
const config = DispatchConfigSchema.parse({
  vehicles: Number(values.vehicles),
  epochs: Number(values.epochs),
  startHour: Number(values["start-hour"]),
});

console.log(
  `scenario manhattan-peak: ${config.vehicles} vehicles × capacity ${config.capacity}, ${config.epochs} epochs of ${config.dt} s from ${config.startHour}:00 on ${config.date}; ` +
    `${seeds} seeds; node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model}), load ${loadavg()[0].toFixed(1)}`,
);
let t = performance.now();
const world = await loadWorld(config);
const loadMs = performance.now() - t;
t = performance.now();
world.oracleAt(config.startHour);
const tableMs = performance.now() - t;
console.log(
  `start-up: data ${loadMs.toFixed(0)} ms, all-pairs travel-time table ${tableMs.toFixed(0)} ms`,
);

// Warm-up (JIT) on one short episode, not measured.
runEpisode(new DispatchSimulator(world, { ...config, epochs: 3 }), BASELINE_DISPATCHERS[2], 999);

const fmt = (ci: { mean: number; half: number }, digits = 1) =>
  `${ci.mean.toFixed(digits)} ± ${Number.isNaN(ci.half) ? "–" : ci.half.toFixed(digits)}`;
console.log(
  "\n| dispatcher | episode ms (median) | movement | candidates | scoring | matching | insertion | finish | served | service rate | pickup s | wait s | detour s | reward |",
);
console.log("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
for (const dispatcher of BASELINE_DISPATCHERS) {
  const times: number[] = [];
  const phases: PhaseTimes[] = [];
  const served: number[] = [];
  const rate: number[] = [];
  const pickup: number[] = [];
  const wait: number[] = [];
  const detour: number[] = [];
  const reward: number[] = [];
  for (let seed = 0; seed < seeds; seed++) {
    const sim = new DispatchSimulator(world, config);
    const t0 = performance.now();
    const r = runEpisode(sim, dispatcher, seed);
    times.push(performance.now() - t0);
    phases.push(r.phases);
    served.push(r.metrics.served);
    rate.push(r.metrics.serviceRate * 100);
    pickup.push(r.metrics.meanPickupS);
    wait.push(r.metrics.meanWaitS);
    detour.push(r.metrics.meanDetourS);
    reward.push(r.metrics.episodeReward);
  }
  const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
  const phase = (k: keyof PhaseTimes) =>
    (phases.reduce((s, p) => s + p[k], 0) / phases.length).toFixed(0);
  console.log(
    `| ${dispatcher.name} | ${median.toFixed(0)} | ${phase("movementMs")} | ${phase("candidatesMs")} | ${phase("scoringMs")} | ${phase("matchingMs")} | ${phase("insertionMs")} | ${phase("finishMs")} | ` +
      `${fmt(meanCi95(served), 0)} | ${fmt(meanCi95(rate), 2)}% | ${fmt(meanCi95(pickup))} | ${fmt(meanCi95(wait))} | ${fmt(meanCi95(detour))} | ${fmt(meanCi95(reward), 0)} |`,
  );
}
const peakMb = process.resourceUsage().maxRSS / 1024;
console.log(`\npeak memory (max RSS of this process): ${peakMb.toFixed(0)} MB`);
console.log(
  "(± is the half-width of the 95% CI over seeds; phase columns are mean ms per episode)",
);
