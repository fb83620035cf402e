#!/usr/bin/env node
// Checks an open-data export of the Gateway transparency log (./gateway audit export) with nothing but the town's
// public key: the checkpoint's signature, every leaf's inclusion proof to it, and every reading of the CSV and JSON
// against the batch it came in (decoded by tools/decoder-js, the published payload decoder).
//   node verify.js DIR --key VKEY-OR-FILE [--witness VKEY-OR-FILE]... [--decoder PATH] [--json]
//   node verify.js --bench FILE     time inclusion-proof verification on the cases in FILE (one JSON line out)
// Exit 0 when everything verifies, 1 when something does not (each failure is named), 2 for bad usage.
"use strict";
const fs = require("fs");
const path = require("path");
const v = require("./verifier.js");

function keyArg(s) { return v.parseVerifierKey(fs.existsSync(s) ? fs.readFileSync(s, "utf8").split("\n")[0] : s); }

function parseCsv(text) {
  const lines = text.split("\n").filter((l) => l.length > 0);
  const head = lines.shift().split(",");
  return lines.map((l) => { const f = l.split(","); const o = {}; head.forEach((h, i) => { o[h] = f[i]; }); return o; });
}

function verifyExport(dir, logKey, witnessKeys, decodeBatch) {
  const failures = [];
  const exp = JSON.parse(fs.readFileSync(path.join(dir, "export.json"), "utf8"));
  let cp;
  try {
    cp = v.verifyCheckpoint(exp.checkpoint, logKey, witnessKeys);
  } catch (e) {
    return { ok: false, failures: ["checkpoint: " + e.message], leaves: 0, readings: 0 };
  }
  const leaves = new Map();
  for (const l of exp.leaves) {
    const batch = Buffer.from(l.batch, "base64");
    const leaf = v.encodeLeaf({ device: l.device, firstSequence: l.first_sequence, receivedAtMs: l.received_at_ms, verdict: l.verdict, transport: l.transport, batch });
    const proof = l.proof.map((p) => Buffer.from(p, "base64"));
    if (!v.verifyInclusion(l.index, cp.size, v.leafHash(leaf), proof, cp.root)) {
      failures.push(`leaf ${l.index} (device ${l.device}): not included in the checkpoint of size ${cp.size}`);
      continue;
    }
    let decoded;
    try {
      decoded = decodeBatch(batch, { deviceId: l.device, nextSequence: l.first_sequence, receivedAtMs: l.received_at_ms });
    } catch (e) {
      failures.push(`leaf ${l.index}: its batch does not decode: ${e.message}`);
      continue;
    }
    if (decoded.deviceId !== l.device || decoded.firstSequence !== l.first_sequence) { failures.push(`leaf ${l.index}: the batch is device ${decoded.deviceId}'s from sequence ${decoded.firstSequence}, the leaf says device ${l.device} from ${l.first_sequence}`); continue; }
    const bySeq = new Map();
    for (const r of decoded.readings) bySeq.set(r.sequence, r);
    leaves.set(l.index, { leaf: l, bySeq });
  }
  function check(r, where) {
    const entry = leaves.get(Number(r.leaf));
    if (!entry) { failures.push(`${where} device ${r.device} sequence ${r.seq}: its leaf ${r.leaf} is not a verified leaf of the export`); return; }
    const b = entry.bySeq.get(Number(r.seq));
    if (!b || Number(r.device) !== entry.leaf.device) { failures.push(`${where} device ${r.device} sequence ${r.seq}: not in the batch of leaf ${r.leaf}`); return; }
    const diffs = [];
    if (Number(r.value) !== b.value) diffs.push(`value ${r.value}, the batch says ${b.value}`);
    if (Number(r.channel) !== b.channelId) diffs.push(`channel ${r.channel}, the batch says ${b.channelId}`);
    if (Number(r.time_ms) !== b.timeMs) diffs.push(`time ${r.time_ms}, the batch says ${b.timeMs}`);
    if (Number(r.status) !== b.status) diffs.push(`status ${r.status}, the batch says ${b.status}`);
    if (Number(r.received_at_ms) !== entry.leaf.received_at_ms) diffs.push(`received ${r.received_at_ms}, the log says ${entry.leaf.received_at_ms}`);
    if (diffs.length) failures.push(`${where} device ${r.device} sequence ${r.seq}: ${diffs.join("; ")}`);
  }
  for (const r of exp.readings) check(r, "export.json");
  const csvPath = path.join(dir, "readings.csv");
  let csvRows = 0;
  if (fs.existsSync(csvPath)) {
    const rows = parseCsv(fs.readFileSync(csvPath, "utf8"));
    csvRows = rows.length;
    for (const r of rows) check(r, "readings.csv");
    if (rows.length !== exp.readings.length) failures.push(`readings.csv holds ${rows.length} readings, export.json ${exp.readings.length}`);
  } else {
    failures.push("readings.csv is missing");
  }
  return { ok: failures.length === 0, origin: cp.origin, checkpoint_size: cp.size, cosigned_by: cp.cosigned, leaves: leaves.size,
    readings: exp.readings.length, csv_readings: csvRows, failures };
}

function bench(file) {
  const data = JSON.parse(fs.readFileSync(file, "utf8"));
  const cases = data.cases.map((c) => ({ index: c.index, size: c.size, leaf: Buffer.from(c.leaf_hash, "base64"),
    proof: c.proof.map((p) => Buffer.from(p, "base64")), root: Buffer.from(c.root, "base64") }));
  for (const c of cases) if (!v.verifyInclusion(c.index, c.size, c.leaf, c.proof, c.root)) throw new Error(`case ${c.index}/${c.size} does not verify`);
  const bent = cases[0];
  if (v.verifyInclusion(bent.index, bent.size, v.leafHash(Buffer.from("x")), bent.proof, bent.root)) throw new Error("a wrong leaf verified");
  let n = 0;
  const rounds = Math.max(1, Math.ceil(20000 / cases.length));
  for (let i = 0; i < rounds; i++) for (const c of cases) v.verifyInclusion(c.index, c.size, c.leaf, c.proof, c.root); // warm-up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) for (const c of cases) { if (v.verifyInclusion(c.index, c.size, c.leaf, c.proof, c.root)) n++; }
  const us = Number(process.hrtime.bigint() - t0) / 1000 / (rounds * cases.length);
  if (n !== rounds * cases.length) throw new Error("a proof failed during timing");
  const maxHashes = Math.max(...cases.map((c) => c.proof.length));
  process.stdout.write(JSON.stringify({ verify_us: Math.round(us * 100) / 100, proofs_verified: n, max_proof_hashes: maxHashes }) + "\n");
}

function main(argv) {
  const args = { witnesses: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--key") args.key = argv[++i];
    else if (a === "--witness") args.witnesses.push(argv[++i]);
    else if (a === "--decoder") args.decoder = argv[++i];
    else if (a === "--json") args.json = true;
    else if (a === "--bench") args.bench = argv[++i];
    else if (a.startsWith("--")) { process.stderr.write(`verify: unknown option ${a}\n`); return 2; }
    else args.dir = a;
  }
  try {
    if (args.bench) { bench(args.bench); return 0; }
    if (!args.dir || !args.key) { process.stderr.write("usage: node verify.js DIR --key VKEY-OR-FILE [--witness VKEY]... [--decoder PATH] [--json]\n"); return 2; }
    const decoder = require(path.resolve(args.decoder || path.join(__dirname, "..", "decoder-js", "decoder.js")));
    const r = verifyExport(args.dir, keyArg(args.key), args.witnesses.map(keyArg), decoder.decodeBatch);
    if (args.json) process.stdout.write(JSON.stringify(r) + "\n");
    else {
      for (const f of r.failures) process.stdout.write("FAILED " + f + "\n");
      process.stdout.write(r.ok ? `OK: ${r.readings} readings in ${r.leaves} leaves, included in checkpoint ${r.checkpoint_size} of ${r.origin}` +
        (r.cosigned_by && r.cosigned_by.length ? `, cosigned by ${r.cosigned_by.join(", ")}` : "") + "\n" : `FAILED: ${r.failures.length} problem(s)\n`);
    }
    return r.ok ? 0 : 1;
  } catch (e) {
    process.stderr.write("verify: " + e.message + "\n");
    return 2;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
module.exports = { verifyExport, main };
