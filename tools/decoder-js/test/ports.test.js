"use strict";
// Every port a gateway uses gets an answer from decodeUplink; a port it never uses is named in the error.
const test = require("node:test");
const assert = require("node:assert");
const { decodeUplink } = require("../decoder.js");

test("fPort 6 carries commissioning fragments, described like batch fragments", () => {
  const res = decodeUplink({ bytes: [0x11, 9, 8], fPort: 6 });
  assert.deepStrictEqual(res.errors, []);
  assert.deepStrictEqual(res.data.fragment, { of: "commissioning record", index: 1, count: 2, last: true, payload: "0908" });
});

test("fPort 5 carries a whole commissioning record, reported for the cloud to verify", () => {
  const res = decodeUplink({ bytes: [1, 2, 3], fPort: 5 });
  assert.deepStrictEqual(res.errors, []);
  assert.deepStrictEqual(res.data.commissioning, { length: 3, payload: "010203" });
  assert.ok(decodeUplink({ bytes: [1, 300], fPort: 5 }).errors[0].startsWith("malformed"));
});

test("a port no gateway uses is named, never decoded as a batch", () => {
  const res = decodeUplink({ bytes: [0x11, 1, 2, 3], fPort: 7 });
  assert.strictEqual(res.data, undefined);
  assert.match(res.errors[0], /^fPort 7 carries no Gateway payload/);
});

test("the last fragment of a batch says so", () => {
  const res = decodeUplink({ bytes: [0x22, 1, 2], fPort: 2 });
  assert.strictEqual(res.data.fragment.last, true);
  assert.strictEqual(res.data.fragment.index, 2);
});
