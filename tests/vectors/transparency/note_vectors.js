#!/usr/bin/env node
// Writes note.json: a leaf encoding, a signed checkpoint and a witness cosignature made with node's own crypto from
// fixed seeds, following the C2SP signed-note, tlog-checkpoint and tlog-cosignature texts, so the C# code and the
// JavaScript verifier are checked against bytes neither produced.
"use strict";
const crypto = require("crypto");
const fs = require("fs");

function keyPair(seed) {
  const der = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]);
  const priv = crypto.createPrivateKey({ key: der, format: "der", type: "pkcs8" });
  const pub = Buffer.from(crypto.createPublicKey(priv).export({ format: "jwk" }).x, "base64url");
  return { priv, pub };
}
function keyId(name, type, pub) {
  return crypto.createHash("sha256").update(Buffer.concat([Buffer.from(name + "\n"), Buffer.from([type]), pub])).digest().subarray(0, 4);
}
function vkey(name, type, pub) {
  return name + "+" + keyId(name, type, pub).toString("hex") + "+" + Buffer.concat([Buffer.from([type]), pub]).toString("base64");
}
function skey(name, type, seed, pub) {
  return "PRIVATE+KEY+" + name + "+" + keyId(name, type, pub).toString("hex") + "+" + Buffer.concat([Buffer.from([type]), seed]).toString("base64");
}
function seq(from, n) { return Buffer.from(Array.from({ length: n }, (_, i) => (from + i) & 0xff)); }

// Leaf: 0x01, device u32, first sequence u32, time i64, verdict u8, transport len u8 + ASCII, batch len u32 + bytes.
const batch = seq(0xa0, 16);
const leaf = Buffer.alloc(1 + 4 + 4 + 8 + 1 + 1 + 4 + 4 + batch.length);
let o = 0;
leaf[o++] = 1;
leaf.writeUInt32BE(0x00c0ffee, o); o += 4;
leaf.writeUInt32BE(70000, o); o += 4;
leaf.writeBigInt64BE(1790000000123n, o); o += 8;
leaf[o++] = 5;
leaf[o++] = 4; leaf.write("lora", o, "ascii"); o += 4;
leaf.writeUInt32BE(batch.length, o); o += 4;
batch.copy(leaf, o);
const leafHash = crypto.createHash("sha256").update(Buffer.concat([Buffer.from([0]), leaf])).digest();

const origin = "town.example/river-log";
const logSeed = seq(1, 32);
const log = keyPair(logSeed);
const root = crypto.createHash("sha256").update(Buffer.concat([Buffer.from([0]), leaf])).digest(); // a one-leaf tree
const body = origin + "\n1\n" + root.toString("base64") + "\n";
const sig = crypto.sign(null, Buffer.from(body), log.priv);
const line = "\u2014 " + origin + " " + Buffer.concat([keyId(origin, 1, log.pub), sig]).toString("base64") + "\n";

const witnessName = "prefecture.example/witness";
const witnessSeed = seq(0x21, 32);
const w = keyPair(witnessSeed);
const time = 1790000100;
const msg = "cosignature/v1\ntime " + time + "\n" + body;
const wsig = crypto.sign(null, Buffer.from(msg), w.priv);
const ts = Buffer.alloc(8); ts.writeBigUInt64BE(BigInt(time));
const cosig = "\u2014 " + witnessName + " " + Buffer.concat([keyId(witnessName, 4, w.pub), ts, wsig]).toString("base64") + "\n";

fs.writeFileSync("note.json", JSON.stringify({
  leaf: { device: 0x00c0ffee, first_sequence: 70000, received_at_ms: 1790000000123, verdict: 5, transport: "lora", batch_hex: batch.toString("hex"),
    encoded_hex: leaf.toString("hex"), leaf_hash: leafHash.toString("base64") },
  log: { origin, seed_hex: logSeed.toString("hex"), signer_key: skey(origin, 1, logSeed, log.pub), verifier_key: vkey(origin, 1, log.pub) },
  checkpoint: { body, note: body + "\n" + line },
  witness: { name: witnessName, seed_hex: witnessSeed.toString("hex"), signer_key: skey(witnessName, 4, witnessSeed, w.pub),
    verifier_key: vkey(witnessName, 4, w.pub), time, cosignature_line: cosig, cosigned_note: body + "\n" + line + cosig },
}, null, 1) + "\n");
