/**
 * Ablation of the policy-optimization pieces (issue 12) on the tiny environment, whose
 * evaluation carries the optimum: every variant (a registered name, or a name plus the config's
 * piece overrides) trains the same budget on each seed, then is evaluated greedily on held-out
 * seeds. Prints, per variant, mean ± 95% CI over the seeds (Student t) of the regret per step
 * (optimum − reward, lower is better), the last episode's policy entropy and approx KL, and the
 * wall time per training episode (its evaluations every 10 episodes included; the regret is
 * the final policy's, not the best kept one's). A quick sanity study, not a fleet result: the tiny fleet has 3
 * vehicles, so group statistics are over 1–3 decisions.
 *
 *   npx tsx bench/ablation.ts [--episodes 30] [--seeds 3] [--only ospo,bpo]
 */
import { parseArgs } from "node:util";
import { meanCi95 } from "../src/core/stats.ts";
import { TinyDispatchEnv } from "../src/envs/tiny/tiny-env.ts";
import type { TrainConfigInput } from "../src/training/train-config.ts";
import { Trainer } from "../src/training/trainer.ts";

const { values } = parseArgs({
  options: {
    episodes: { type: "string", default: "30" },
    seeds: { type: "string", default: "3" },
    only: { type: "string" },
  },
});

/** Label → the training config's algorithm and piece overrides. */
const VARIANTS: Record<string, TrainConfigInput> = {
  ospo: { algo: "ospo" },
  "ospo+median": { algo: "ospo", baseline: "median" },
  "ospo+etr": { algo: "ospo", surrogate: "etr" },
  "ospo+bpo+median": { algo: "ospo", surrogate: "bpo", baseline: "median" },
  "ospo+mdpo": { algo: "ospo", surrogate: "mdpo" },
  grpo: { algo: "grpo" },
  "mc-grpo": { algo: "mc-grpo" },
  etr: { algo: "etr" },
  bpo: { algo: "bpo" },
  mdpo: { algo: "mdpo" },
  gdpo: { algo: "gdpo" },
  // the critic-based pair: IPPO and PDPPO (IPPO + a post-decision critic), MAPPO and PDMAPPO
  ippo: { algo: "ippo" },
  pdppo: { algo: "pdppo" },
  "pdppo+mean": { algo: "pdppo", postDecisionAdvantage: "mean" },
  mappo: { algo: "mappo" },
  pdmappo: { algo: "pdmappo" },
};

const episodes = Number(values.episodes);
const seeds = Array.from({ length: Number(values.seeds) }, (_, i) => i + 1);
const evalSeeds = Array.from({ length: 50 }, (_, i) => 10_000 + i);
const chosen = values.only ? values.only.split(",") : Object.keys(VARIANTS);

const fmt = (xs: number[], digits: number) => {
  const { mean, half } = meanCi95(xs);
  return `${mean.toFixed(digits)} ± ${half.toFixed(digits)}`;
};

console.log(
  `tiny env (episodeSteps 16), ${episodes} episodes, lr 1e-3, seeds ${seeds.join(",")}; ` +
    `greedy regret per step on ${evalSeeds.length} held-out seeds, mean ± 95% CI`,
);
console.log("| variant | regret / step | entropy (last) | approx KL (last) | s / episode |");
console.log("|---|---|---|---|---|");
for (const label of chosen) {
  const variant = VARIANTS[label];
  if (!variant) throw new Error(`unknown variant ${label} (${Object.keys(VARIANTS).join(", ")})`);
  const regret: number[] = [];
  const entropy: number[] = [];
  const kl: number[] = [];
  const seconds: number[] = [];
  for (const seed of seeds) {
    const env = new TinyDispatchEnv({ episodeSteps: 16 });
    const trainer = await Trainer.create({
      env,
      config: { ...variant, seed, episodes, lr: 1e-3, evalEvery: 10, evalSeeds },
    });
    let last: Record<string, number> = {};
    const t0 = performance.now();
    for (let e = 0; e < episodes; e++) last = trainer.trainEpisode() as Record<string, number>;
    seconds.push((performance.now() - t0) / 1000 / episodes);
    const ev = trainer.evaluate(evalSeeds);
    regret.push((ev.means.optimalReward - ev.reward) / ev.means.steps);
    entropy.push(last.entropy);
    kl.push(last.approxKl);
  }
  console.log(
    `| ${label} | ${fmt(regret, 3)} | ${fmt(entropy, 3)} | ${fmt(kl, 4)} | ${fmt(seconds, 3)} |`,
  );
}
