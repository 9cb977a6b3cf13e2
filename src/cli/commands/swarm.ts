/**
 * `fleetrl swarm --redis URL --node NAME [train options]`: one node of a SAPO-style swarm
 * (distributed/swarm.ts): a training run of its own whose updates add up to J episodes other
 * nodes shared to its own I = --rollouts.
 */
import { type Command, InvalidArgumentError } from "commander";
import { UserError } from "../../core/errors.ts";
import { runSwarmNode, type SwarmResult } from "../../distributed/swarm-node.ts";
import { numberFlag, withFormerFlags } from "../options.ts";
import { requiredRedisUrl, trainOverRedis } from "../redis-run.ts";
import { action, type CommonOptions, log, withCommonOptions } from "../run.ts";
import { printHuman, TRAIN_HELP_AFTER, trainRunOf, withTrainOptions } from "./train.ts";

interface SwarmOptions extends CommonOptions {
  redis?: string;
  node?: string;
  swarm?: string;
  shared?: number;
  redisTimeout?: number;
  out?: string;
  resume?: string;
  episodes?: number;
  [flag: string]: unknown;
}

export function register(program: Command): void {
  withFormerFlags(
    withCommonOptions(
      withTrainOptions(
        program
          .command("swarm")
          .description(
            "train one node of a swarm (SAPO): its own policy and run directory, each update its own\n" +
              "--rollouts episodes plus up to --shared episodes other nodes published; join or leave any time",
          )
          .option("--redis <url>", "the swarm's Redis server: redis://… or rediss://… (required)")
          .option("--node <name>", "this node's name in the swarm (required)")
          .option("--swarm <name>", "the swarm to join (default swarm)"),
      )
        .option(
          "--shared <j>",
          "other nodes' episodes per update, at most (default: --rollouts; 0 = learn alone)",
          (v: string) => {
            const n = numberFlag(v);
            if (!Number.isInteger(n) || n < 0)
              throw new InvalidArgumentError(`expected a whole number ≥ 0, got "${v}"`);
            return n;
          },
        )
        .option(
          "--redis-timeout <s>",
          "give up when the connection has been lost this long (default 60)",
          numberFlag,
        )
        .option("--out <dir>", "run directory (default runs/train-<timestamp>)")
        .option("--resume <dir>", "continue this node's run (it rejoins the swarm as itself)")
        .addHelpText("after", TRAIN_HELP_AFTER),
    ),
  ).action(action(run, printSwarm));
}

function run(opts: SwarmOptions): Promise<SwarmResult> {
  const url = requiredRedisUrl(opts.redis, "swarm");
  if (!opts.resume && !opts.node) throw new UserError("swarm: --node NAME is required");
  const settings = {
    ...(opts.node !== undefined && { node: opts.node }),
    ...(opts.swarm !== undefined || !opts.resume ? { swarm: opts.swarm ?? "swarm" } : {}),
    ...(opts.shared !== undefined && { shared: opts.shared }),
    ...(opts.redisTimeout !== undefined && { redisTimeout: opts.redisTimeout }),
  };
  return trainOverRedis(
    opts,
    "fleetrl swarm --redis URL",
    () => trainRunOf(opts),
    (target, hooks) => runSwarmNode({ url, ...target, settings, hooks, log }),
  );
}

function printSwarm(r: SwarmResult): void {
  printHuman(r);
  const s = r.sharing;
  process.stdout.write(
    `swarm ${r.swarm}, node ${r.node}: learned from ${s.local} own and ${s.shared} shared episodes (${s.skipped} of another shape skipped)\n`,
  );
}
