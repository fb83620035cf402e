"use strict";
const test = require("node:test");
const assert = require("node:assert");
const fs = require("fs");
const path = require("path");
const v = require("../verifier.js");

const dir = path.join(__dirname, "..", "..", "..", "tests", "vectors", "transparency");
const merkle = JSON.parse(fs.readFileSync(path.join(dir, "merkle.json"), "utf8"));
const note = JSON.parse(fs.readFileSync(path.join(dir, "note.json"), "utf8"));
const b = (s) => Buffer.from(s, "base64");
const leaves = merkle.leaves_hex.map((h) => Buffer.from(h, "hex"));
const roots = merkle.roots.map(b);

test("leaf hashes match the vectors", () => {
  assert.deepStrictEqual(leaves.map((l) => v.leafHash(l).toString("base64")), merkle.leaf_hashes);
});

test("every inclusion proof verifies, and a wrong leaf, index or proof does not", () => {
  assert.strictEqual(merkle.inclusion.length, 66);
  for (const c of merkle.inclusion) {
    const proof = c.proof.map(b);
    const leaf = v.leafHash(leaves[c.index]);
    assert.ok(v.verifyInclusion(c.index, c.size, leaf, proof, roots[c.size]), `${c.index}/${c.size}`);
    assert.ok(!v.verifyInclusion(c.index, c.size, v.leafHash(Buffer.from([0xee])), proof, roots[c.size]));
    if (c.size > 1) {
      assert.ok(!v.verifyInclusion((c.index + 1) % c.size, c.size, leaf, proof, roots[c.size]));
      assert.ok(!v.verifyInclusion(c.index, c.size, leaf, proof.slice(0, -1), roots[c.size]));
    }
  }
});

test("every consistency proof verifies, and another old or new root does not", () => {
  for (const c of merkle.consistency) {
    const proof = c.proof.map(b);
    assert.ok(v.verifyConsistency(c.old, c.new, roots[c.old], roots[c.new], proof), `${c.old} -> ${c.new}`);
    if (c.old > 0 && c.old < c.new) {
      assert.ok(!v.verifyConsistency(c.old, c.new, roots[c.old - 1], roots[c.new], proof));
      assert.ok(!v.verifyConsistency(c.old, c.new, roots[c.old], roots[c.new - 1], proof));
    }
  }
  assert.ok(!v.verifyConsistency(5, 4, roots[5], roots[4], []));
});

test("the leaf encoding matches the vector", () => {
  const l = note.leaf;
  const enc = v.encodeLeaf({ device: l.device, firstSequence: l.first_sequence, receivedAtMs: l.received_at_ms, verdict: l.verdict, transport: l.transport, batch: Buffer.from(l.batch_hex, "hex") });
  assert.strictEqual(enc.toString("hex"), l.encoded_hex);
  assert.strictEqual(v.leafHash(enc).toString("base64"), l.leaf_hash);
});

test("the signed checkpoint verifies with the log key only, and its cosignature with the witness key", () => {
  const key = v.parseVerifierKey(note.log.verifier_key);
  const cp = v.verifyCheckpoint(note.checkpoint.note, key);
  assert.strictEqual(cp.size, 1);
  assert.strictEqual(cp.origin, "town.example/river-log");
  assert.throws(() => v.verifyCheckpoint(note.checkpoint.note.replace("\n1\n", "\n2\n"), key));
  const witness = v.parseVerifierKey(note.witness.verifier_key);
  const cosigned = v.verifyCheckpoint(note.witness.cosigned_note, key, [witness]);
  assert.deepStrictEqual(cosigned.cosigned, [note.witness.name]);
  assert.throws(() => v.parseVerifierKey(note.log.verifier_key.replace("+b7e1075a+", "+00000000+")));
});
