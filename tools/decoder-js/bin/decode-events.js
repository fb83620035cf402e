#!/usr/bin/env node
// Runs the payload formatter over ChirpStack v4 "up" integration events (one JSON object a line, as the simulator
// writes them to sim-out/chirpstack-events.jsonl) exactly as ChirpStack calls it: decodeUplink({ bytes, fPort }).
// Prints one JSON object: events, what each was decoded as, and every error (with its event's fCnt and devEui).
"use strict";
const fs = require("fs");
const { decodeUplink } = require("../decoder.js");

const [input] = process.argv.slice(2);
if (!input) {
  console.error("usage: decode-events.js EVENTS.jsonl");
  process.exit(2);
}

const summary = { events: 0, batches: 0, fragments: 0, commissioning: 0, readings: 0, errors: 0, byPort: {}, firstErrors: [] };
for (const line of fs.readFileSync(input, "utf8").split("\n")) {
  if (line.trim().length === 0) continue;
  summary.events++;
  let res;
  let evt = {};
  try {
    evt = JSON.parse(line);
    res = decodeUplink({ bytes: Array.from(Buffer.from(evt.data || "", "base64")), fPort: evt.fPort });
  } catch (e) {
    res = { errors: ["the formatter threw: " + String(e && e.message ? e.message : e)], warnings: [] };
  }
  summary.byPort[evt.fPort] = (summary.byPort[evt.fPort] || 0) + 1;
  if (res.errors && res.errors.length > 0) {
    summary.errors++;
    if (summary.firstErrors.length < 10) {
      summary.firstErrors.push({ devEui: evt.deviceInfo && evt.deviceInfo.devEui, fCnt: evt.fCnt, fPort: evt.fPort, errors: res.errors });
    }
  } else if (res.data && res.data.fragment) {
    summary.fragments++;
  } else if (res.data && res.data.commissioning) {
    summary.commissioning++;
  } else if (res.data && res.data.readings) {
    summary.batches++;
    summary.readings += res.data.readings.length;
  }
}
console.log(JSON.stringify(summary));
