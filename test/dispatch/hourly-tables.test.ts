/**
 * A multi-hour episode keeps a bounded number of hourly travel-time tables alive (each ~100 MB
 * precomputed; a full day used to keep all 24) and its metrics are those it had before.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { loadCity } from "../../src/city/city.ts";
import { DispatchConfigSchema } from "../../src/envs/dispatch/config.ts";
import { minEtaDispatcher } from "../../src/envs/dispatch/dispatchers.ts";
import { runEpisode } from "../../src/envs/dispatch/episode.ts";
import { DispatchSimulator } from "../../src/envs/dispatch/simulator.ts";
import { loadWorld } from "../../src/envs/dispatch/world.ts";

const GOLDEN = "9091 629 3b0bd66b20476c6547b4a491750b8d8d3d37fd06750309bf635fdbab136da75d";

test("a 3-hour episode keeps at most 2 hourly tables and its metrics are unchanged", async () => {
  const city = loadCity();
  const config = DispatchConfigSchema.parse({ vehicles: 40, startHour: 22.5, epochs: 150 });
  const world = await loadWorld(config, { city });
  const { metrics } = runEpisode(new DispatchSimulator(world, config), minEtaDispatcher, 7);
  const precomputed = Array.from({ length: 24 }, (_, h) => h).filter(
    (h) => city.travelTimes(world.day, h).precomputed,
  );
  assert.ok(precomputed.length <= 2, `hours with a full table alive: ${precomputed.join(", ")}`);
  // the metrics this episode had before tables were released (22:30 → 01:00, seed 7)
  const digest = createHash("sha256").update(JSON.stringify(metrics)).digest("hex");
  assert.equal(`${metrics.requested} ${metrics.served} ${digest}`, GOLDEN);
});
