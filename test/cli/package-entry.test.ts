/** The package entry point: `import … from "fleetrl"` resolves (through package.json exports). */
import assert from "node:assert/strict";
import { test } from "node:test";
import * as fleetrl from "fleetrl";

test('import from "fleetrl" gives the environment, dispatchers, algorithms and trainer', async () => {
  for (const name of [
    "loadWorld",
    "DispatchSimulator",
    "runEpisode",
    "Trainer",
    "train",
    "simulate",
  ])
    assert.equal(typeof (fleetrl as Record<string, unknown>)[name], "function", name);
  assert.deepEqual([...fleetrl.ALGORITHM_NAMES].slice(0, 4), ["ospo", "grpo", "ippo", "mappo"]);
  const config = fleetrl.DispatchConfigSchema.parse({ vehicles: 40, epochs: 2, startHour: 1 });
  const world = await fleetrl.loadWorld(config);
  const { metrics } = fleetrl.runEpisode(
    new fleetrl.DispatchSimulator(world, config),
    fleetrl.minEtaDispatcher,
    42,
  );
  assert.ok(metrics.requested > 0 && metrics.served > 0);
  assert.equal(metrics.served + metrics.lost, metrics.requested);
});
