"use strict";
// Decodes the shared test vectors written by the C# encoder (tests/vectors/codec-v1.json).
const test = require("node:test");
const assert = require("node:assert");
const fs = require("fs");
const path = require("path");
const { decodeUplink } = require("../decoder.js");

const file = path.join(__dirname, "..", "..", "..", "tests", "vectors", "codec-v1.json");
const vectors = JSON.parse(fs.readFileSync(file, "utf8")).vectors;

test("the vector file holds valid and invalid batches", () => {
  assert.ok(vectors.filter((v) => v.readings).length >= 20);
  assert.ok(vectors.filter((v) => v.error).length >= 4);
});

for (const v of vectors) {
  test(`vector ${v.name}`, () => {
    const res = decodeUplink({ bytes: Buffer.from(v.hex, "hex"), fPort: 1 });
    if (v.error) {
      assert.strictEqual(res.data, undefined);
      assert.strictEqual(res.errors.length, 1);
      assert.ok(res.errors[0].startsWith(v.error + ":"), res.errors[0]);
      return;
    }
    assert.deepStrictEqual(res.errors, []);
    assert.strictEqual(res.data.deviceId, v.device_id);
    assert.strictEqual(res.data.bootCounter, v.boot_counter);
    assert.strictEqual(res.data.tag, v.tag);
    assert.deepStrictEqual(res.data.readings.map((r) => [r.sequence, r.channelId, r.timeMs, r.value, r.status]), v.readings);
  });
}
