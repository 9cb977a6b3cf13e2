/**
 * MAPPO: IPPO with a centralised critic that reads the environment's global state (e.g. per-zone
 * supply and demand) followed by the agent's own features (the "agent-specific global state" of
 * Yu et al., 2022), so each agent's value still depends on where it is.
 */
import { ippo } from "./ippo.ts";
import type { Algorithm } from "./recipe.ts";

export const mappo: Algorithm = {
  ...ippo,
  name: "mappo",
  summary: "PPO with a centralised (global state + agent) critic and semi-Markov GAE",
  critic: "global+agent",
};
