/**
 * What travels through Redis: a played episode (every typed array, the totals, episode and
 * weight version) and a weights snapshot come back equal, and the learner's verdict on an
 * arriving episode follows the staleness rule. No server needed.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Rng } from "../../src/core/rng.ts";
import {
  decodeExperience,
  decodeWeights,
  encodeExperience,
  encodeWeights,
} from "../../src/distributed/codec.ts";
import { judgeExperience } from "../../src/distributed/redis-pool.ts";
import { runPlayer } from "../../src/experiments/rollout-pool.ts";
import { trainRunSchemaFor } from "../../src/experiments/run-config.ts";

test("a played episode (MAPPO: critic inputs and values) survives encode → decode byte for byte", async () => {
  const raw = { environment: "tiny", env: { episodeSteps: 5 }, train: { algo: "mappo", seed: 2 } };
  const player = await runPlayer(trainRunSchemaFor(raw, "test").parse(raw));
  const played = player.play({
    episode: 4,
    seed: 99,
    epsilon: 0.5,
    exploration: new Rng(5).getState(),
  });
  assert.ok(played.experience.critic.length > 0, "the fixture has critic inputs");
  const bytes = encodeExperience({ episode: 4, version: 2, actor: "a-1", played });
  // a Buffer at an odd offset of a bigger one, as a client may hand it over
  const slab = Buffer.alloc(bytes.length + 3);
  bytes.copy(slab, 3);
  const back = decodeExperience(slab.subarray(3));
  assert.equal(back.episode, 4);
  assert.equal(back.version, 2);
  assert.equal(back.actor, "a-1");
  assert.deepEqual(back.played.totals, played.totals);
  assert.deepEqual(back.played.experience, played.experience);
  assert.equal(bytes.length % 8, 0);
});

test("a PDPPO episode keeps its post-decision critic inputs through encode → decode", async () => {
  const raw = {
    environment: "tiny",
    env: { episodeSteps: 5 },
    train: { algo: "pdmappo", seed: 2 },
  };
  const player = await runPlayer(trainRunSchemaFor(raw, "test").parse(raw));
  const played = player.play({
    episode: 1,
    seed: 7,
    epsilon: 0.5,
    exploration: new Rng(5).getState(),
  });
  const { post, postDim } = played.experience;
  assert.ok(post && postDim && post.length === postDim * played.experience.step.length);
  const back = decodeExperience(encodeExperience({ episode: 1, version: 0, actor: "a", played }));
  assert.deepEqual(back.played.experience, played.experience);
});

test("weights with and without a critic round-trip; foreign bytes are refused", () => {
  const policy = Float32Array.from([1, -2.5, 3e-8]);
  const critic = Float32Array.from([0.25]);
  assert.deepEqual(decodeWeights(encodeWeights({ version: 7, weights: { policy, critic } })), {
    version: 7,
    weights: { policy, critic },
  });
  assert.deepEqual(
    decodeWeights(encodeWeights({ version: 0, weights: { policy, critic: null } })).weights,
    { policy, critic: null },
  );
  assert.throws(() => decodeWeights(Buffer.from("hello world")), /not fleetrl weights/);
  const experience = encodeWeights({ version: 1, weights: { policy, critic: null } });
  assert.throws(() => decodeExperience(experience), /not fleetrl experience/);
  assert.throws(() => decodeWeights(experience.subarray(0, experience.length - 8)), /truncated/);
});

test("judging: an episode handed out and played with the weights its job named is used; other weights (stale) or not handed out (unwanted) are not", () => {
  // episodes 8, 9 of this update (weights of episode 8), 10, 11 of the next, handed out ahead
  // with a policy lag of 1 (weights of episode 8 too: each is played with those of one update before)
  const handed = new Map([8, 9, 10, 11].map((e) => [e, { version: 8 }]));
  assert.equal(judgeExperience({ episode: 8, version: 8 }, handed), "accept");
  assert.equal(judgeExperience({ episode: 11, version: 8 }, handed), "accept");
  assert.equal(judgeExperience({ episode: 9, version: 6 }, handed), "stale");
  assert.equal(judgeExperience({ episode: 9, version: 10 }, handed), "stale");
  assert.equal(judgeExperience({ episode: 7, version: 8 }, handed), "unwanted");
  assert.equal(judgeExperience({ episode: 12, version: 8 }, handed), "unwanted");
});
