/**
 * Ctrl-C for long commands: the first asks the work to stop at its next safe point (it polls
 * `stopped()`), printing `message`; a second quits at once with exit code 130.
 *
 * @example
 * const ctrlC = onCtrlC("stopping after this episode");
 * try { await train(config, out, { shouldStop: ctrlC.stopped }); } finally { ctrlC.dispose(); }
 */
import { log } from "./run.ts";

export function onCtrlC(message: string): { stopped: () => boolean; dispose: () => void } {
  let stop = false;
  const handler = () => {
    if (stop) process.exit(130);
    stop = true;
    log(`\n${message}`);
  };
  process.on("SIGINT", handler);
  return { stopped: () => stop, dispose: () => process.off("SIGINT", handler) };
}
