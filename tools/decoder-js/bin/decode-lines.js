#!/usr/bin/env node
// Decodes one hex batch a line (input file) and writes one JSON result a line (output file), for the C# parity test.
"use strict";
const fs = require("fs");
const { decodeBatch, BatchError } = require("../decoder.js");

function fromHex(h) {
  const out = new Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.substr(2 * i, 2), 16);
  return out;
}

const [input, output] = process.argv.slice(2);
const lines = fs.readFileSync(input, "utf8").split("\n").filter((l) => l.length > 0);
const results = [];
let crashes = 0;
for (const line of lines) {
  try {
    const d = decodeBatch(fromHex(line.trim()));
    results.push(JSON.stringify({
      ok: true, keyId: d.keyId, deviceId: d.deviceId, bootCounter: d.bootCounter, firstSequence: d.firstSequence,
      lastSequence: d.lastSequence, link: d.link, tag: d.tag,
      readings: d.readings.map((r) => [r.sequence, r.channelId, r.timeMs, r.value, r.status]),
    }));
  } catch (e) {
    if (!(e instanceof BatchError)) crashes++;
    results.push(JSON.stringify({ ok: false, truncated: !!e.truncated, error: String(e.message), crash: !(e instanceof BatchError) }));
  }
}
fs.writeFileSync(output, results.join("\n") + "\n");
process.stdout.write(JSON.stringify({ decoded: lines.length, crashes }) + "\n");
