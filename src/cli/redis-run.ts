/**
 * What `learner` and `swarm` share on the command line: a required `--redis` URL, and a training
 * run — new (the train options) or resumed (`--resume DIR`) — under train's progress bar.
 */
import { UserError } from "../core/errors.ts";
import { parseRedisUrl } from "../distributed/connection.ts";
import type { AnyTrainRun } from "../experiments/run-config.ts";
import type { TrainHooks, TrainResult } from "../experiments/train.ts";
import { withTrainProgress } from "./commands/train.ts";

/** The checked `--redis` URL of `command` (missing or malformed: UserError). */
export function requiredRedisUrl(url: string | undefined, command: string): string {
  if (!url)
    throw new UserError(`${command}: --redis URL is required (e.g. redis://127.0.0.1:6379)`);
  parseRedisUrl(url);
  return url;
}

/** Which run to train: a new one (its config and directory) or the one in `resume`. */
export interface RunTarget {
  config?: AnyTrainRun;
  out?: string;
  resume?: string;
  episodes?: number;
}

/**
 * Train the run `opts` names with `train` (a new run's config comes from `newConfig`), with the
 * progress bar and Ctrl-C of `train`; `command` is how the user resumes it.
 */
export async function trainOverRedis<R extends TrainResult>(
  opts: { out?: string; resume?: string; episodes?: number },
  command: string,
  newConfig: () => AnyTrainRun,
  train: (target: RunTarget, hooks: TrainHooks) => Promise<R>,
): Promise<R> {
  if (opts.resume && opts.out)
    throw new UserError(
      "--out and --resume: a resumed run stays in its directory; give one of them",
    );
  let result: R | null = null;
  await withTrainProgress(async (hooks) => {
    const target = opts.resume
      ? { resume: opts.resume, episodes: opts.episodes }
      : { config: newConfig(), out: opts.out };
    result = await train(target, hooks);
    return result;
  }, command);
  return result as unknown as R;
}
