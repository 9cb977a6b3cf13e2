import assert from "node:assert/strict";
import { test } from "node:test";
import { DispatchConfigSchema } from "../../src/envs/dispatch/config.ts";
import { minEtaDispatcher } from "../../src/envs/dispatch/dispatchers.ts";
import {
  addOrderDistributions,
  emptyDistributions,
  mergeDistributions,
} from "../../src/envs/dispatch/distributions.ts";
import { runEpisode } from "../../src/envs/dispatch/episode.ts";
import { DispatchSimulator } from "../../src/envs/dispatch/simulator.ts";
import { LINE_NODES, lineWorld } from "./line-world.ts";

test("histograms and zone counts of a hand-computed episode", () => {
  // Order 0: node 3 → 8 at 30 s, served: assigned at 60 s, picked up at 240 s (pickup 180 s →
  // bin 6 of 30 s), no detour (bin 0). Order 1: node 10 → 9 at 30 s, 600 s away (beyond the
  // 300 s pickup-ETA bound): never a candidate, lost. Zones: nodes 0–5 are zone 7, nodes 6–10 zone 8.
  const world = lineWorld({
    requestTime: Float64Array.of(30, 30),
    pickupNode: Int32Array.of(3, 10),
    dropoffNode: Int32Array.of(8, 9),
  });
  const config = DispatchConfigSchema.parse({ vehicles: 1, epochs: 4 });
  const sim = new DispatchSimulator(world, config);
  runEpisode(sim, minEtaDispatcher, 1);
  const zone = Int32Array.from({ length: LINE_NODES }, (_, i) => (i <= 5 ? 7 : 8));
  const d = addOrderDistributions(emptyDistributions(), sim.orders, zone);
  assert.equal(d.pickupS.counts[6], 1);
  assert.equal(d.detourS.counts[0], 1);
  assert.equal(
    d.pickupS.counts.reduce((a, b) => a + b, 0),
    1,
  );
  assert.deepEqual(d.servedByZone, { 7: 1 });
  assert.deepEqual(d.lostByZone, { 8: 1 });
  const twice = mergeDistributions(emptyDistributions(), d);
  mergeDistributions(twice, d);
  assert.equal(twice.pickupS.counts[6], 2);
  assert.deepEqual(twice.lostByZone, { 8: 2 });
});
