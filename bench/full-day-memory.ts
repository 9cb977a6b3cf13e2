/**
 * A full simulated day (1440 one-minute epochs from 00:00 on the shipped day, min-eta dispatch)
 * per fleet size: wall time and peak memory (DESIGN §4: flat, ≤ 600 MB for 1000 vehicles). Each
 * fleet size runs in a fresh process so its peak RSS is its own.
 *
 *   npx tsx bench/full-day-memory.ts [--vehicles 1000,5000] [--epochs 1440]
 */
import { execFileSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { DispatchConfigSchema } from "../src/envs/dispatch/config.ts";
import { minEtaDispatcher } from "../src/envs/dispatch/dispatchers.ts";
import { runEpisode } from "../src/envs/dispatch/episode.ts";
import { DispatchSimulator } from "../src/envs/dispatch/simulator.ts";
import { loadWorld } from "../src/envs/dispatch/world.ts";

const { values } = parseArgs({
  options: {
    vehicles: { type: "string", default: "1000,5000" },
    epochs: { type: "string", default: "1440" },
    one: { type: "string" },
  },
});

if (values.one) {
  const config = DispatchConfigSchema.parse({
    vehicles: Number(values.one),
    epochs: Number(values.epochs),
    startHour: 0,
  });
  const t = performance.now();
  const world = await loadWorld(config);
  const { metrics } = runEpisode(new DispatchSimulator(world, config), minEtaDispatcher, 1);
  const wallS = (performance.now() - t) / 1000;
  const peakMb = process.resourceUsage().maxRSS / 1024;
  console.log(
    `| ${config.vehicles} | ${config.epochs} | ${wallS.toFixed(1)} | ${peakMb.toFixed(0)} | ${metrics.requested} | ${metrics.served} |`,
  );
} else {
  console.log(
    `full day: min-eta, seed 1, from 00:00; node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model}), load ${loadavg()[0].toFixed(1)}`,
  );
  console.log(
    "\n| vehicles | epochs | wall s (load + episode) | peak RSS MB | requested | served |",
  );
  console.log("|---|---|---|---|---|---|");
  const self = fileURLToPath(import.meta.url);
  for (const n of values.vehicles.split(",")) {
    const args = ["--import", "tsx", self, "--one", n, "--epochs", values.epochs];
    process.stdout.write(execFileSync(process.execPath, args, { encoding: "utf8" }));
  }
}
