#!/usr/bin/env node
// Fuzzes the decoder: random inputs and mutations (bit flips, byte changes, cuts, splices, insertions) of valid
// batches read from a hex-a-line file. Usage: fuzz.js <seed> <count> [valid-batches.hex]
// Prints one JSON line: {"inputs","crashes","slowest_ms","decoded_ok"}; exit code 1 on any crash.
"use strict";
const fs = require("fs");
const { decodeBatch, decodeUplink, BatchError } = require("../decoder.js");

function rng(seed) { // mulberry32
  let a = seed >>> 0;
  return () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

function fuzz(seed, count, valid) {
  const r = rng(seed);
  const int = (n) => Math.floor(r() * n);
  let crashes = 0, slowest = 0, ok = 0, firstCrash = null;
  for (let i = 0; i < count; i++) {
    let bytes;
    if (valid.length === 0 || i % 4 === 0) {
      const n = int(r() < 0.5 ? 24 : 300);
      bytes = new Array(n);
      for (let j = 0; j < n; j++) bytes[j] = int(256);
      if (n > 0 && r() < 0.7) bytes[0] = 0x10 | (1 + int(7));
    } else {
      bytes = valid[int(valid.length)].slice();
      const mutations = 1 + int(4);
      for (let k = 0; k < mutations && bytes.length > 0; k++) {
        const kind = int(6);
        if (kind === 0) { const b = int(bytes.length * 8); bytes[b >> 3] ^= 1 << (b & 7); }
        else if (kind === 1) { bytes[int(bytes.length)] = int(256); }
        else if (kind === 2) { bytes = bytes.slice(0, int(bytes.length)); }
        else if (kind === 3) { const o = valid[int(valid.length)]; const cut = int(bytes.length); bytes = bytes.slice(0, cut).concat(o.slice(int(o.length))); }
        else if (kind === 4) { bytes.splice(int(bytes.length), 0, int(256)); }
        else { bytes.splice(int(bytes.length), 1 + int(4)); }
      }
    }
    const t0 = process.hrtime.bigint();
    try { decodeBatch(bytes); ok++; }
    catch (e) { if (!(e instanceof BatchError)) { crashes++; if (!firstCrash) firstCrash = String(e && e.stack); } }
    const res = decodeUplink({ bytes, fPort: 1 });
    if (!res || !Array.isArray(res.errors)) crashes++;
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (ms > slowest) slowest = ms;
  }
  return { inputs: count, crashes, slowest_ms: Math.round(slowest * 1000) / 1000, decoded_ok: ok, first_crash: firstCrash };
}

function readValid(file) {
  if (!file) return [];
  return fs.readFileSync(file, "utf8").split("\n").filter((l) => l.trim().length > 0).map((l) => {
    const h = l.trim(); const out = []; for (let i = 0; i < h.length; i += 2) out.push(parseInt(h.substr(i, 2), 16)); return out;
  });
}

module.exports = { fuzz, readValid };

if (require.main === module) {
  const [seed, count, file] = process.argv.slice(2);
  const res = fuzz(parseInt(seed, 10), parseInt(count, 10), readValid(file));
  process.stdout.write(JSON.stringify(res) + "\n");
  process.exit(res.crashes === 0 ? 0 : 1);
}
