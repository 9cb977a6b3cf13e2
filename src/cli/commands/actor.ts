/**
 * `fleetrl actor --redis URL`: play a distributed run's episodes for its learner
 * (distributed/actor.ts); everything else comes from the run the learner published. Exits 0
 * when the learner marks the run done; any number of actors, on any machines.
 */
import type { Command } from "commander";
import { type ActorResult, runActor } from "../../distributed/actor.ts";
import { requiredRedisUrl } from "../redis-run.ts";
import { action, type CommonOptions, log, withCommonOptions } from "../run.ts";

interface ActorOptions extends CommonOptions {
  redis?: string;
  run?: string;
}

export function register(program: Command): void {
  withCommonOptions(
    program
      .command("actor")
      .description(
        "play the episodes of a learner's run (fleetrl learner --redis URL …) and send their experience;\n" +
          "waits for a learner, exits when its run is done",
      )
      .option(
        "--redis <url>",
        "the learner's Redis server: redis://[:password@]host[:port][/db], or rediss://… for TLS (required)",
      )
      .option("--run <name>", "the run to join (default: the only one in progress on the server)"),
  ).action(action(run, printActor));
}

function run(opts: ActorOptions): Promise<ActorResult> {
  return runActor({ url: requiredRedisUrl(opts.redis, "actor"), run: opts.run, log });
}

function printActor(r: ActorResult): void {
  const kb = r.episodes
    ? `, ${(r.bytes / r.episodes / 1024).toFixed(0)} KB and ${(r.sendMs / r.episodes).toFixed(1)} ms sent per episode`
    : "";
  process.stdout.write(
    `actor ${r.actor}: ${r.episodes} episodes of run ${r.run} (${r.reclaimed} taken over from actors that gave no result)${kb}\n`,
  );
}
