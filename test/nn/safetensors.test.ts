import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { UserError } from "../../src/core/errors.ts";
import { Rng } from "../../src/core/rng.ts";
import {
  Critic,
  decodeSafetensors,
  encodeSafetensors,
  initBackend,
  loadNetworks,
  mlpConfig,
  PairScorer,
  saveNetworks,
} from "../../src/nn/index.ts";

const dir = mkdtempSync(join(tmpdir(), "fleetrl-nn-"));
before(() => initBackend());
after(() => rmSync(dir, { recursive: true, force: true }));

describe("safetensors encoding", () => {
  test("layout: LE header length, 8-byte aligned JSON header, raw LE float32 data", () => {
    const bytes = encodeSafetensors(
      [
        { name: "a", shape: [2], data: new Float32Array([1.5, -2]) },
        { name: "b", shape: [1, 1], data: new Float32Array([3]) },
      ],
      { note: "hi" },
    );
    const view = new DataView(bytes.buffer);
    const n = Number(view.getBigUint64(0, true));
    assert.equal(n % 8, 0);
    const header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + n)).toString());
    assert.deepEqual(header, {
      __metadata__: { note: "hi" },
      a: { dtype: "F32", shape: [2], data_offsets: [0, 8] },
      b: { dtype: "F32", shape: [1, 1], data_offsets: [8, 12] },
    });
    assert.equal(bytes.length, 8 + n + 12);
    assert.equal(view.getFloat32(8 + n, true), 1.5);
    assert.equal(view.getFloat32(8 + n + 8, true), 3);
    const back = decodeSafetensors(bytes, "x.safetensors");
    assert.deepEqual(back.metadata, { note: "hi" });
    assert.deepEqual(back.tensors.get("a")?.data, new Float32Array([1.5, -2]));
    assert.deepEqual(back.tensors.get("b")?.shape, [1, 1]);
  });

  test("corrupt bytes fail with a UserError naming the file and field", () => {
    const good = encodeSafetensors([{ name: "w", shape: [2], data: new Float32Array([1, 2]) }]);
    const withLength = (n: bigint) => {
      const b = good.slice();
      new DataView(b.buffer).setBigUint64(0, n, true);
      return b;
    };
    const nan = good.slice();
    new DataView(nan.buffer).setFloat32(nan.length - 4, Number.NaN, true);
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(3), /f\.st: header: expected a safetensors file/],
      [withLength(1n << 40n), /header length between 2 and/],
      [good.subarray(0, good.length - 2), /data_offsets: expected \[begin, end\]/],
      [new Uint8Array([...good, 0, 0, 0, 0]), /data bytes after the header/],
      [nan, /w\[1\]: expected finite values/],
      [withLength(16n), /expected a JSON header/],
    ];
    for (const [bytes, message] of cases) {
      assert.throws(
        () => decodeSafetensors(bytes, "f.st"),
        (e: unknown) => e instanceof UserError && message.test(e.message),
      );
    }
  });
});

describe("saving and loading networks", () => {
  const scorer = PairScorer.create(28, new Rng(1).split("policy"));
  const critic = Critic.create(12, new Rng(1).split("critic"), { hidden: [64] });

  test("round trip: same weights, configs, extras and forward outputs; no temp file left", () => {
    const path = join(dir, "model.safetensors");
    const moments = new Float32Array([0.1, 0.2, 0.3]);
    saveNetworks(
      path,
      { policy: scorer, critic },
      {
        tensors: [{ name: "adam.m", shape: [3], data: moments }],
        metadata: { episode: "7" },
      },
    );
    assert.deepEqual(readdirSync(dir), ["model.safetensors"]);
    const { networks, content } = loadNetworks(path, {
      policy: { kind: "pair-scorer", config: mlpConfig({ inputDim: 28 }) },
      critic: { kind: "critic" },
    });
    assert.ok(networks.policy instanceof PairScorer);
    assert.deepEqual(networks.policy.params, scorer.params);
    assert.deepEqual(networks.critic.config, critic.config);
    assert.deepEqual(networks.critic.params, critic.params);
    assert.deepEqual(content.tensors.get("adam.m")?.data, moments);
    assert.equal(content.metadata.episode, "7");
    const x = new Float32Array(28 * 3).fill(0.25);
    assert.deepEqual((networks.policy as PairScorer).scores(x, 3), scorer.scores(x, 3));
  });

  test("mismatched or corrupt files fail with clear UserErrors", () => {
    const path = join(dir, "policy.safetensors");
    saveNetworks(path, { policy: scorer });
    const userError = (re: RegExp) => (e: unknown) => e instanceof UserError && re.test(e.message);
    assert.throws(
      () =>
        loadNetworks(path, {
          policy: { kind: "pair-scorer", config: mlpConfig({ inputDim: 30 }) },
        }),
      userError(/policy\.config: expected 30→128→128→1 .*got "28→128→128→1/),
    );
    assert.throws(
      () => loadNetworks(path, { policy: { kind: "critic" } }),
      userError(/policy\.kind: expected "critic"/),
    );
    assert.throws(
      () => loadNetworks(path, { value: { kind: "critic" } }),
      userError(/value\.kind/),
    );
    assert.throws(
      () => loadNetworks(join(dir, "missing.safetensors"), {}),
      userError(/cannot read weights \(ENOENT\)/),
    );

    const bytes = readFileSync(path);
    const truncated = join(dir, "truncated.safetensors");
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 100));
    assert.throws(
      () => loadNetworks(truncated, { policy: { kind: "pair-scorer" } }),
      userError(/truncated\.safetensors: .*expected/),
    );

    const foreign = join(dir, "foreign.safetensors");
    writeFileSync(
      foreign,
      encodeSafetensors([{ name: "x", shape: [1], data: new Float32Array(1) }]),
    );
    assert.throws(() => loadNetworks(foreign, {}), userError(/format: expected "fleetrl-mlp\/1"/));

    const reshaped = join(dir, "reshaped.safetensors");
    const meta = {
      format: "fleetrl-mlp/1",
      "p.kind": "critic",
      "p.config": JSON.stringify(mlpConfig({ inputDim: 2, hidden: [3] })),
    };
    writeFileSync(
      reshaped,
      encodeSafetensors(
        [
          { name: "p.layer0.weight", shape: [3, 2], data: new Float32Array(6) },
          { name: "p.layer0.bias", shape: [3], data: new Float32Array(3) },
          { name: "p.layer1.weight", shape: [3, 1], data: new Float32Array(3) },
          { name: "p.layer1.bias", shape: [1], data: new Float32Array(1) },
        ],
        meta,
      ),
    );
    assert.throws(
      () => loadNetworks(reshaped, { p: { kind: "critic" } }),
      userError(/p\.layer0\.weight\.shape: expected \[2,3\]/),
    );
  });
});
