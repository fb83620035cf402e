"use strict";
// decode-events.js over ChirpStack v4 "up" events the simulator published (a DR3 gateway's batches on fPort 1 and a
// DR2 gateway's fragments of one batch on fPort 2, taken from `./gateway sim --gateways 20`): every event answered.
const test = require("node:test");
const assert = require("node:assert");
const path = require("node:path");
const { execFileSync } = require("node:child_process");

test("every simulated ChirpStack event is decoded through decodeUplink({ bytes, fPort }) without an error", () => {
  const out = execFileSync(process.execPath, [path.join(__dirname, "..", "bin", "decode-events.js"), path.join(__dirname, "fixtures", "chirpstack-events.jsonl")]);
  const summary = JSON.parse(out.toString());
  assert.strictEqual(summary.errors, 0, JSON.stringify(summary.firstErrors));
  assert.strictEqual(summary.events, summary.batches + summary.fragments);
  assert.ok(summary.batches > 0 && summary.fragments > 1);
  assert.ok(summary.readings >= summary.batches);
});
