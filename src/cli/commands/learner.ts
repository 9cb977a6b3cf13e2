/**
 * `fleetrl learner --redis URL [train options] --out DIR`: a training run whose episodes are
 * played by `fleetrl actor` processes through Redis (distributed/learner.ts). The same run
 * directory, checkpoints, progress and `--resume DIR` as `train`.
 */
import { type Command, InvalidArgumentError } from "commander";
import { type LearnerResult, runLearner } from "../../distributed/learner.ts";
import { numberFlag, withFormerFlags } from "../options.ts";
import { requiredRedisUrl, trainOverRedis } from "../redis-run.ts";
import { action, type CommonOptions, log, withCommonOptions } from "../run.ts";
import { printHuman, TRAIN_HELP_AFTER, trainRunOf, withTrainOptions } from "./train.ts";

interface LearnerOptions extends CommonOptions {
  redis?: string;
  run?: string;
  claimTimeout?: number;
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
          .command("learner")
          .description(
            "train with actors on other processes or machines: publish the run on Redis, hand out its\n" +
              "episodes, learn from the experience the actors send (fleetrl actor --redis URL); the run\n" +
              "directory is a train run's (checkpoints, logs, --resume)",
          )
          .option(
            "--redis <url>",
            "the Redis server: redis://[:password@]host[:port][/db], or rediss://… for TLS (required)",
          )
          .option(
            "--run <name>",
            "the run's name on the server, its key prefix (default the run directory's name)",
          ),
      )
        .option(
          "--claim-timeout <s>",
          "an episode without a result this long after an actor took it goes to another actor (default 60)",
          positive,
        )
        .option(
          "--redis-timeout <s>",
          "give up when the connection to Redis has been lost this long (default 60)",
          positive,
        )
        .option("--out <dir>", "run directory (default runs/train-<timestamp>)")
        .option(
          "--resume <dir>",
          "continue the learner's run in this directory (same run name; actors keep waiting meanwhile)",
        )
        .addHelpText("after", TRAIN_HELP_AFTER),
    ),
  ).action(action(run, printLearner));
}

function positive(value: string): number {
  const n = numberFlag(value);
  if (n <= 0) throw new InvalidArgumentError(`expected a number > 0, got "${value}"`);
  return n;
}

function run(opts: LearnerOptions): Promise<LearnerResult> {
  const url = requiredRedisUrl(opts.redis, "learner");
  const settings = {
    ...(opts.run !== undefined && { run: opts.run }),
    ...(opts.claimTimeout !== undefined && { claimTimeout: opts.claimTimeout }),
    ...(opts.redisTimeout !== undefined && { redisTimeout: opts.redisTimeout }),
  };
  return trainOverRedis(
    opts,
    "fleetrl learner --redis URL",
    () => newRun(opts),
    (target, hooks) => runLearner({ url, ...target, settings, hooks, log }),
  );
}

/** The new run's config, with a hint when one update cannot keep several actors busy. */
function newRun(opts: LearnerOptions) {
  const config = trainRunOf(opts);
  if (config.train.rollouts === 1)
    log(
      "an update collects 1 episode (--rollouts 1), so one actor plays at a time: give --rollouts the number of actors",
    );
  if (config.train.policyLag === 0)
    log(
      "actors wait while the learner updates (--policy-lag 0); with --policy-lag 1 they play the next update's episodes meanwhile",
    );
  return config;
}

function printLearner(r: LearnerResult): void {
  printHuman(r);
  const t = r.transport;
  const perEpisode = t.accepted ? ` (${(t.bytes / t.accepted / 1024).toFixed(0)} KB each)` : "";
  process.stdout.write(
    `actors: ${t.accepted} episodes received${perEpisode}, ${t.unwanted} duplicates dropped, ${t.stale} played with other weights (handed out again); run ${r.run} on ${r.redis}\n`,
  );
}
