"use strict";
// An export written by ./gateway audit export from a simulated run (test/export): it verifies with the log's key, and
// a changed value, a wrong key or a proof from another checkpoint is caught and named.
const test = require("node:test");
const assert = require("node:assert");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { verifyExport } = require("../verify.js");
const v = require("../verifier.js");
const { decodeBatch } = require("../../decoder-js/decoder.js");

const dir = path.join(__dirname, "export");
const key = v.parseVerifierKey(fs.readFileSync(path.join(dir, "log.vkey"), "utf8"));

function copy(edit) {
  const to = fs.mkdtempSync(path.join(os.tmpdir(), "gw-export-"));
  for (const f of fs.readdirSync(dir)) fs.copyFileSync(path.join(dir, f), path.join(to, f));
  edit(to);
  return to;
}

test("the export verifies: every leaf included in the signed checkpoint, every reading the one its batch carried", () => {
  const r = verifyExport(dir, key, [], decodeBatch);
  assert.deepStrictEqual(r.failures, []);
  assert.ok(r.ok);
  assert.ok(r.readings > 100 && r.readings === r.csv_readings);
});

test("a value changed in the CSV is named by device and sequence", () => {
  const d = copy((to) => {
    const p = path.join(to, "readings.csv");
    const rows = fs.readFileSync(p, "utf8").split("\n");
    const f = rows[3].split(","); f[5] = String(Number(f[5]) + 1); rows[3] = f.join(",");
    fs.writeFileSync(p, rows.join("\n"));
  });
  const r = verifyExport(d, key, [], decodeBatch);
  assert.ok(!r.ok);
  assert.strictEqual(r.failures.length, 1);
  assert.match(r.failures[0], /^readings\.csv device \d+ sequence \d+: value /);
});

test("a rewritten batch is not included, and another key rejects the checkpoint", () => {
  const d = copy((to) => {
    const p = path.join(to, "export.json");
    const e = JSON.parse(fs.readFileSync(p, "utf8"));
    e.leaves[0].received_at_ms += 1;
    fs.writeFileSync(p, JSON.stringify(e));
  });
  const r = verifyExport(d, key, [], decodeBatch);
  assert.ok(r.failures.some((f) => /not included in the checkpoint/.test(f)));
  const other = v.parseVerifierKey(JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "tests", "vectors", "transparency", "note.json"), "utf8")).log.verifier_key);
  assert.ok(!verifyExport(dir, other, [], decodeBatch).ok);
});
