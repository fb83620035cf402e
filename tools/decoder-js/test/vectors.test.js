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

// The version-1 file is frozen; its "version-2" entry (a version-1 body under a version-2 byte) tested a decoder
// that knew version 1 only, and is now read as version 2 (tests/vectors/codec-v2.json covers that version).
for (const v of vectors.filter((x) => x.name !== "version-2")) {
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

// Version 2 (README §9): each vector carries the receiver context it decodes in; decodeUplink takes it as a
// network server gives it (ChirpStack: recvTime, device variables deviceId and nextSequence).
const fileV2 = path.join(__dirname, "..", "..", "..", "tests", "vectors", "codec-v2.json");
const vectorsV2 = JSON.parse(fs.readFileSync(fileV2, "utf8")).vectors;

test("the version-2 vector file holds compact, full and invalid batches", () => {
  assert.ok(vectorsV2.filter((v) => v.readings && v.compact).length >= 5);
  assert.ok(vectorsV2.filter((v) => v.readings && !v.compact).length >= 5);
  assert.ok(vectorsV2.filter((v) => v.error).length >= 5);
});

for (const v of vectorsV2) {
  test(`version-2 vector ${v.name}`, () => {
    const c = v.context;
    const input = { bytes: Buffer.from(v.hex, "hex"), fPort: 1, variables: { deviceId: String(c.device_id), nextSequence: String(c.next_sequence) } };
    if (c.received_at_ms >= 0) { input.recvTime = new Date(c.received_at_ms).toISOString(); }
    const res = decodeUplink(input);
    if (v.error) {
      assert.strictEqual(res.data, undefined);
      assert.strictEqual(res.errors.length, 1);
      assert.ok(res.errors[0].startsWith(v.error + ":"), res.errors[0]);
      return;
    }
    assert.deepStrictEqual(res.errors, []);
    assert.strictEqual(res.data.compact, v.compact);
    assert.strictEqual(res.data.bootCounter, v.boot_counter);
    assert.strictEqual(res.data.tag, v.tag);
    assert.deepStrictEqual(res.data.readings.map((r) => [r.sequence, r.channelId, r.timeMs, r.value, r.status]), v.readings);
  });
}

test("a compact batch without the chain's next sequence is decoded with a warning", () => {
  const v = vectorsV2.find((x) => x.name === "single-wake-compact");
  const res = decodeUplink({ bytes: Buffer.from(v.hex, "hex"), fPort: 1, recvTime: new Date(v.context.received_at_ms).toISOString() });
  assert.deepStrictEqual(res.errors, []);
  assert.ok(res.warnings.some((w) => w.startsWith("compact batch")), res.warnings.join("; "));
});
