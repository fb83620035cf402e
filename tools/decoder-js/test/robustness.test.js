"use strict";
// The decoder never throws and never loops, whatever it is given.
const test = require("node:test");
const assert = require("node:assert");
const fs = require("fs");
const path = require("path");
const { decodeUplink } = require("../decoder.js");
const { fuzz } = require("../bin/fuzz.js");

test("inputs that are not byte arrays are errors, not exceptions", () => {
  for (const input of [undefined, null, {}, { bytes: null }, { bytes: "11" }, { bytes: [300, 1, 2] }, { bytes: [0x11, -1] }, { bytes: [0.5] }]) {
    const res = decodeUplink(input);
    assert.ok(Array.isArray(res.errors) && res.errors.length === 1, JSON.stringify(input));
  }
});

test("50,000 random and mutated inputs: no crash, no hang (none slower than 1 s)", () => {
  const file = path.join(__dirname, "..", "..", "..", "tests", "vectors", "codec-v1.json");
  const valid = JSON.parse(fs.readFileSync(file, "utf8")).vectors.filter((v) => v.readings).map((v) => Array.from(Buffer.from(v.hex, "hex")));
  const res = fuzz(31, 50000, valid);
  assert.strictEqual(res.crashes, 0, res.first_crash || "");
  assert.ok(res.slowest_ms < 1000, `slowest ${res.slowest_ms} ms`);
  assert.ok(res.decoded_ok > 0, "no mutation decoded: the fuzzer does not reach the blocks");
});

test("a reading's flags and names are readable", () => {
  const file = path.join(__dirname, "..", "..", "..", "tests", "vectors", "codec-v1.json");
  const example = JSON.parse(fs.readFileSync(file, "utf8")).vectors.find((v) => v.name === "readme-worked-example");
  const res = decodeUplink({ bytes: Buffer.from(example.hex, "hex"), fPort: 1 });
  assert.deepStrictEqual(res.data.channels, ["water_level_mm", "battery_mv"]);
  const flagged = res.data.readings.filter((r) => r.flags.length > 0);
  assert.deepStrictEqual(flagged.map((r) => [r.sequence, r.flags]), [[107, ["spike_rejected"]]]);
  assert.ok(res.warnings.some((w) => w.includes("verified by the cloud")));
});

test("DR2 fragments on fPort 2 are reported, not decoded as batches", () => {
  const ok = decodeUplink({ bytes: [0x12, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], fPort: 2 });
  assert.deepStrictEqual(ok.data.fragment, { of: "batch", index: 1, count: 3, last: false, payload: "0102030405060708090a" });
  assert.strictEqual(decodeUplink({ bytes: [0x22, 1, 2], fPort: 2 }).data.fragment.index, 2);
  assert.ok(decodeUplink({ bytes: [0x32, 1, 2], fPort: 2 }).errors[0].startsWith("malformed"));
  assert.ok(decodeUplink({ bytes: [0x02, 1, 2], fPort: 2 }).errors[0].startsWith("malformed"));
});
