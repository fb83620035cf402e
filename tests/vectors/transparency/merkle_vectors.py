#!/usr/bin/env python3
"""Writes merkle.json: RFC 9162 roots, inclusion and consistency proofs computed straight from the RFC's recursive
definitions (section 2.1), independently of the C# and JavaScript code that the tests check against them."""
import base64, hashlib, json

LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f",
          "70", "8081", "90919293949596"]

def h(b): return hashlib.sha256(b).digest()
def leaf(d): return h(b"\x00" + d)
def node(l, r): return h(b"\x01" + l + r)
def k_of(n):
    k = 1
    while k * 2 < n: k *= 2
    return k
def mth(d):
    if len(d) == 0: return h(b"")
    if len(d) == 1: return leaf(d[0])
    k = k_of(len(d)); return node(mth(d[:k]), mth(d[k:]))
def path(m, d):
    if len(d) <= 1: return []
    k = k_of(len(d))
    return path(m, d[:k]) + [mth(d[k:])] if m < k else path(m - k, d[k:]) + [mth(d[:k])]
def subproof(m, d, b):
    if m == len(d): return [] if b else [mth(d)]
    k = k_of(len(d))
    return subproof(m, d[:k], b) + [mth(d[k:])] if m <= k else subproof(m - k, d[k:], False) + [mth(d[:k])]
def b64(x): return base64.b64encode(x).decode()

data = [bytes.fromhex(x) for x in LEAVES]
out = {"leaves_hex": LEAVES, "leaf_hashes": [b64(leaf(d)) for d in data],
       "roots": [b64(mth(data[:n])) for n in range(0, len(data) + 1)],
       "inclusion": [{"index": m, "size": n, "proof": [b64(p) for p in path(m, data[:n])]}
                     for n in range(1, len(data) + 1) for m in range(n)],
       "consistency": [{"old": m, "new": n, "proof": [b64(p) for p in (subproof(m, data[:n], True) if 0 < m < n else [])]}
                       for n in range(1, len(data) + 1) for m in range(0, n + 1)]}
with open("merkle.json", "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
