// The Gateway transparency log's formats (tools/Gateway.Cloud/Transparency/README.md), checked with node's own
// crypto only: RFC 9162 hashing and proof verification, C2SP signed notes, checkpoints and cosignatures, leaves.
"use strict";
const crypto = require("crypto");

function sha256(...parts) { const h = crypto.createHash("sha256"); for (const p of parts) h.update(p); return h.digest(); }
const ZERO = Buffer.from([0]);
const ONE = Buffer.from([1]);
function leafHash(leaf) { return sha256(ZERO, leaf); }
function nodeHash(l, r) { return sha256(ONE, l, r); }

// RFC 9162 2.1.3.2. index and size are Numbers (exact up to 2^53).
function rootFromInclusion(index, size, leaf, proof) {
  if (!(index >= 0 && index < size)) return null;
  let fn = index, sn = size - 1, r = leaf;
  for (const p of proof) {
    if (sn === 0 || p.length !== 32) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}
function verifyInclusion(index, size, leaf, proof, root) {
  const r = rootFromInclusion(index, size, leaf, proof);
  return r !== null && r.equals(root);
}

// RFC 9162 2.1.4.2; size 0 is extended by every tree, equal sizes need equal roots.
function verifyConsistency(m, n, rootM, rootN, proof) {
  if (!(m >= 0 && m <= n)) return false;
  if (m === 0) return proof.length === 0;
  if (m === n) return proof.length === 0 && rootM.equals(rootN);
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(m) ? [rootM, ...proof] : proof.slice();
  let fn = m - 1, sn = n - 1;
  while (fn % 2 === 1) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
  let fr = path[0], sr = path[0];
  for (let i = 1; i < path.length; i++) {
    const c = path[i];
    if (sn === 0 || c.length !== 32) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr); sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
  }
  return sn === 0 && fr.equals(rootM) && sr.equals(rootN);
}
function isPowerOfTwo(m) { while (m > 1) { if (m % 2 !== 0) return false; m /= 2; } return m === 1; }

// Leaf: 0x01, device u32, time i64 (ms), verdict u8, transport len u8 + ASCII, batch len u32 + bytes (big-endian).
function encodeLeaf(l) {
  const t = Buffer.from(l.transport, "ascii");
  const b = Buffer.alloc(23 + t.length + l.batch.length);
  let o = 0;
  b[o++] = 1;
  b.writeUInt32BE(l.device >>> 0, o); o += 4;
  b.writeUInt32BE(l.firstSequence >>> 0, o); o += 4;
  b.writeBigInt64BE(BigInt(l.receivedAtMs), o); o += 8;
  b[o++] = l.verdict;
  b[o++] = t.length; t.copy(b, o); o += t.length;
  b.writeUInt32BE(l.batch.length, o); o += 4;
  l.batch.copy(b, o);
  return b;
}

// Verifier keys: name+keyid+base64(type || 32-byte Ed25519 key).
function keyIdOf(name, type, key) { return sha256(Buffer.from(name + "\n", "utf8"), Buffer.from([type]), key).subarray(0, 4); }
function parseVerifierKey(text) {
  const s = text.trim();
  const a = s.indexOf("+"), b = s.indexOf("+", a + 1);
  if (a <= 0 || b < 0) throw new Error("verifier key: not name+keyid+base64");
  const name = s.slice(0, a), id = s.slice(a + 1, b), blob = Buffer.from(s.slice(b + 1), "base64");
  if (blob.length !== 33 || (blob[0] !== 1 && blob[0] !== 4)) throw new Error("verifier key: not an Ed25519 (0x01) or cosignature (0x04) key");
  const key = blob.subarray(1), type = blob[0];
  const keyId = keyIdOf(name, type, key);
  if (keyId.toString("hex") !== id) throw new Error("verifier key: the key ID does not match");
  const publicKey = crypto.createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: key.toString("base64url") }, format: "jwk" });
  return { name, type, key, keyId, publicKey };
}

// Signed note: text (ending in \n), blank line, "— name base64(keyid || sig)" lines.
function parseNote(note) {
  if (/[\u0000-\u0009\u000b-\u001f]/.test(note)) throw new Error("signed note: a control character");
  const split = note.lastIndexOf("\n\n");
  if (split < 0) throw new Error("signed note: no blank line before the signatures");
  const text = note.slice(0, split + 1), rest = note.slice(split + 2);
  if (rest.length === 0 || !rest.endsWith("\n")) throw new Error("signed note: no signature lines");
  const signatures = rest.slice(0, -1).split("\n").map((line) => {
    const m = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (!m) throw new Error("signed note: a malformed signature line");
    const payload = Buffer.from(m[2], "base64");
    if (payload.length < 5) throw new Error("signed note: a short signature");
    return { name: m[1], keyId: payload.subarray(0, 4), sig: payload.subarray(4) };
  });
  return { text, signatures };
}

function verifySignature(key, text, sig) {
  if (key.type === 1) return sig.length === 64 && crypto.verify(null, Buffer.from(text, "utf8"), key.publicKey, sig);
  if (sig.length !== 72) return false;
  const ts = sig.readBigUInt64BE(0);
  if (ts >= 2n ** 63n) return false;
  const msg = "cosignature/v1\ntime " + ts.toString() + "\n" + text;
  return crypto.verify(null, Buffer.from(msg, "utf8"), key.publicKey, sig.subarray(8));
}

// Number of valid signatures by key; -1 when one of the key fails (reject the note).
function countValid(note, key) {
  let n = 0;
  for (const s of note.signatures) {
    if (s.name !== key.name || !s.keyId.equals(key.keyId)) continue;
    if (!verifySignature(key, note.text, s.sig)) return -1;
    n++;
  }
  return n;
}

function parseCheckpoint(text) {
  if (!text.endsWith("\n")) throw new Error("checkpoint: no final newline");
  const lines = text.slice(0, -1).split("\n");
  if (lines.length < 3 || lines[0].length === 0) throw new Error("checkpoint: fewer than three lines");
  if (!/^(0|[1-9][0-9]{0,18})$/.test(lines[1])) throw new Error("checkpoint: bad size");
  const root = Buffer.from(lines[2], "base64");
  if (root.length !== 32 || root.toString("base64") !== lines[2]) throw new Error("checkpoint: bad root hash");
  return { origin: lines[0], size: Number(lines[1]), root };
}

// A checkpoint note signed by the log key (whose name is the origin); throws when not.
function verifyCheckpoint(noteText, logKey, witnessKeys) {
  const note = parseNote(noteText);
  const cp = parseCheckpoint(note.text);
  if (cp.origin !== logKey.name) throw new Error(`checkpoint origin ${cp.origin} is not the key's name ${logKey.name}`);
  if (countValid(note, logKey) <= 0) throw new Error(`checkpoint of size ${cp.size}: no valid signature of ${logKey.name}`);
  const cosigned = (witnessKeys || []).filter((w) => countValid(note, w) > 0).map((w) => w.name);
  return { ...cp, text: note.text, cosigned };
}

module.exports = { leafHash, nodeHash, rootFromInclusion, verifyInclusion, verifyConsistency, encodeLeaf, parseVerifierKey, parseNote,
  countValid, verifySignature, parseCheckpoint, verifyCheckpoint };
