using System;
using System.Collections.Generic;
using System.Linq;
using Gateway.Cloud.Decoding;
using Gateway.Cloud.Storage;

namespace Gateway.Cloud.Transparency
{
    /// <summary>One thing the audit found wrong.</summary>
    /// <param name="Kind">edited, deleted, inserted (readings); leaf_edited, leaf_missing, leaf_undecodable, root_mismatch, head_mismatch, log_truncated (the log).</param>
    /// <param name="DeviceId">The reading's or leaf's device (0 when none).</param>
    /// <param name="Sequence">The reading's sequence (or the batch's first), when a reading is concerned.</param>
    /// <param name="LeafIndex">The leaf concerned, -1 when none.</param>
    /// <param name="Detail">What differs, in words.</param>
    public sealed record AuditFinding(string Kind, uint DeviceId, uint? Sequence, long LeafIndex, string Detail);

    /// <summary>What <see cref="LogAuditor.Audit"/> found.</summary>
    /// <param name="Leaves">Leaf rows read.</param>
    /// <param name="HeadSize">The head row's size.</param>
    /// <param name="Rejected">Rejected batches counted by the head row.</param>
    /// <param name="Readings">Reading rows compared.</param>
    /// <param name="Batches">Batches decoded from the leaves.</param>
    /// <param name="Root">The recomputed root at the head's size (base64), or null.</param>
    /// <param name="CheckedCheckpoints">Signed checkpoints whose root was recomputed and matched.</param>
    /// <param name="LatestCheckpointSize">The largest signed checkpoint's size (-1 when none).</param>
    /// <param name="Findings">Everything wrong (empty: the database is what the log says).</param>
    public sealed record AuditReport(long Leaves, long HeadSize, long Rejected, long Readings, long Batches, string? Root, int CheckedCheckpoints, long LatestCheckpointSize,
        IReadOnlyList<AuditFinding> Findings)
    {
        /// <summary>True when nothing was found.</summary>
        public bool Ok => Findings.Count == 0;
    }

    /// <summary>
    /// Recomputes the log from the database and compares: every leaf's hash with the one stored beside it, the tree's
    /// root at each signed checkpoint's size with the checkpoint, the head row with the tree; then decodes every logged
    /// batch and compares the readings table with what the batches carried (the first batch to carry a sequence holds
    /// its stored values). Each difference is named (device, sequence, leaf).
    /// </summary>
    public static class LogAuditor
    {
        /// <summary>Findings listed at most (the count of each kind is still exact).</summary>
        public const int MaxFindings = 1000;

        private readonly record struct Expected(byte Channel, long TimeMs, int Value, ushort Status, long ReceivedAtMs, string Transport, long Leaf);

        /// <summary>Audits the store against verified checkpoints (any order).</summary>
        public static AuditReport Audit(SqlReceiverStore store, IReadOnlyList<SignedCheckpoint> checkpoints)
        {
            ArgumentNullException.ThrowIfNull(store);
            ArgumentNullException.ThrowIfNull(checkpoints);
            var findings = new List<AuditFinding>();
            void Add(AuditFinding f)
            {
                if (findings.Count < MaxFindings)
                {
                    findings.Add(f);
                }
            }

            var head = store.ReadLogHead();
            var bySize = checkpoints.GroupBy(c => c.Checkpoint.Size).ToDictionary(g => g.Key, g => g.ToList());
            var latest = checkpoints.Count == 0 ? -1 : checkpoints.Max(c => c.Checkpoint.Size);
            var frontier = new List<byte[]>();
            var expected = new Dictionary<(uint, uint), Expected>();
            long size = 0, batches = 0;
            var checkedCount = 0;
            byte[]? headRoot = null;
            void AtSize()
            {
                if (bySize.TryGetValue(size, out var list))
                {
                    var root = Merkle.Root(frontier);
                    foreach (var c in list)
                    {
                        if (root.AsSpan().SequenceEqual(c.Checkpoint.Root))
                        {
                            checkedCount++;
                        }
                        else
                        {
                            Add(new AuditFinding("root_mismatch", 0, null, size - 1,
                                $"the first {size} leaves hash to {Convert.ToBase64String(root)}, the signed checkpoint of size {size} says {Convert.ToBase64String(c.Checkpoint.Root)}"));
                        }
                    }
                }

                if (size == head.Size)
                {
                    headRoot = Merkle.Root(frontier);
                }
            }

            AtSize();
            foreach (var row in store.ReadLogLeaves(0, long.MaxValue))
            {
                if (row.Index != size)
                {
                    Add(new AuditFinding("leaf_missing", 0, null, size, $"leaves {size}..{row.Index - 1} are missing from log_leaves"));
                    break; // the tree cannot be recomputed past a hole
                }

                var hash = row.Leaf.Hash();
                if (!hash.AsSpan().SequenceEqual(row.StoredHash))
                {
                    Add(new AuditFinding("leaf_edited", row.Leaf.DeviceId, row.FirstSequence, row.Index, $"leaf {row.Index} (device {row.Leaf.DeviceId}, sequences from {row.FirstSequence}) no longer hashes to the hash stored with it"));
                }

                Merkle.Append(frontier, size, hash, null);
                size++;
                AtSize();
                if (row.Leaf.TryDecodeBatch(out var batch, out var error) != DecodeStatus.Ok || batch is null)
                {
                    Add(new AuditFinding("leaf_undecodable", row.Leaf.DeviceId, row.FirstSequence, row.Index, $"leaf {row.Index}: its batch does not decode: {error}"));
                    continue;
                }

                batches++;
                if (batch.DeviceId != row.Leaf.DeviceId || batch.FirstSequence != row.Leaf.FirstSequence)
                {
                    Add(new AuditFinding("leaf_edited", row.Leaf.DeviceId, batch.FirstSequence, row.Index, $"leaf {row.Index}: its batch is device {batch.DeviceId}'s from sequence {batch.FirstSequence}, the leaf says device {row.Leaf.DeviceId} from {row.Leaf.FirstSequence}"));
                }

                foreach (var r in batch.Readings)
                {
                    expected.TryAdd((batch.DeviceId, r.Sequence), new Expected((byte)r.Reading.Channel, r.Reading.TimeMs, r.Reading.Value, (ushort)r.Reading.Status,
                        row.Leaf.ReceivedAtMs, row.Leaf.Transport, row.Index));
                }
            }

            if (size < latest)
            {
                Add(new AuditFinding("log_truncated", 0, null, size, $"the database holds {size} leaves, the latest signed checkpoint {latest}"));
            }

            if (head.Size != size)
            {
                Add(new AuditFinding("head_mismatch", 0, null, -1, $"the head row says {head.Size} leaves, log_leaves holds {size}"));
            }
            else if (headRoot is not null && !headRoot.AsSpan().SequenceEqual(head.Root))
            {
                Add(new AuditFinding("head_mismatch", 0, null, -1, "the head row's frontier does not match the tree recomputed from the leaves"));
            }

            long readings = 0;
            var seen = new HashSet<(uint, uint)>();
            foreach (var r in store.AllReadings())
            {
                readings++;
                if (!expected.TryGetValue((r.DeviceId, r.Sequence), out var e))
                {
                    Add(new AuditFinding("inserted", r.DeviceId, r.Sequence, -1, $"reading device {r.DeviceId} sequence {r.Sequence} (value {r.Value}) is in no logged batch"));
                    continue;
                }

                seen.Add((r.DeviceId, r.Sequence));
                var diffs = new List<string>();
                if (r.Value != e.Value)
                {
                    diffs.Add($"value {r.Value}, the batch says {e.Value}");
                }

                if (r.Channel != e.Channel)
                {
                    diffs.Add($"channel {r.Channel}, the batch says {e.Channel}");
                }

                if (r.TimeMs != e.TimeMs)
                {
                    diffs.Add($"time {r.TimeMs}, the batch says {e.TimeMs}");
                }

                if (r.Status != e.Status)
                {
                    diffs.Add($"status {r.Status}, the batch says {e.Status}");
                }

                if (r.ReceivedAtMs != e.ReceivedAtMs || r.Transport != e.Transport)
                {
                    diffs.Add($"received {r.ReceivedAtMs} by {r.Transport}, the log says {e.ReceivedAtMs} by {e.Transport}");
                }

                if (diffs.Count > 0)
                {
                    Add(new AuditFinding("edited", r.DeviceId, r.Sequence, e.Leaf, $"reading device {r.DeviceId} sequence {r.Sequence}: " + string.Join("; ", diffs) + $" (leaf {e.Leaf})"));
                }
            }

            foreach (var ((device, seq), e) in expected.OrderBy(kv => kv.Key))
            {
                if (!seen.Contains((device, seq)))
                {
                    Add(new AuditFinding("deleted", device, seq, e.Leaf, $"reading device {device} sequence {seq} (value {e.Value}) is in leaf {e.Leaf} but not in the readings table"));
                }
            }

            return new AuditReport(size, head.Size, head.Rejected, readings, batches, headRoot is null ? null : Convert.ToBase64String(headRoot), checkedCount, latest, findings);
        }
    }
}
