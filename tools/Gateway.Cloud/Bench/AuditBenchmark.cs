using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json;
using Gateway.Cloud.Decoding;
using Gateway.Cloud.Receiver;
using Gateway.Cloud.Security;
using Gateway.Cloud.Storage;
using Gateway.Cloud.Transparency;
using Gateway.Core.Codec;
using Gateway.Core.Sensing;

namespace Gateway.Cloud.Bench
{
    /// <summary>Figures of the transparency log benchmark.</summary>
    /// <param name="Leaves">Leaves appended in the timed run.</param>
    /// <param name="ReadingsPerLeaf">Readings per batch (leaf).</param>
    /// <param name="GroupBatches">Batches per durable commit.</param>
    /// <param name="AppendsPerSecond">Leaves per second appended through the receiver, committed durably with their readings.</param>
    /// <param name="StoredReadingsPerSecond">Readings stored per second in the same run.</param>
    /// <param name="ProofHashesAtBillion">Most hashes of an inclusion proof in a tree of 10^9 leaves.</param>
    /// <param name="Durability">The store's durability, in words.</param>
    /// <param name="AuditOk">The audit of the database after the run found nothing.</param>
    /// <param name="StoredProofsChecked">Inclusion proofs read from the database after the run and verified against its head.</param>
    /// <param name="CasesFile">The verification cases written for the JavaScript verifier.</param>
    /// <param name="ReadingsOnlyBatchesPerSecond">Baseline: the same batches' readings committed the same way without their leaves.</param>
    /// <param name="AppendsPerSecondReceiverGroup">Leaves with their readings per second at the receiver's group of 32 per commit.</param>
    /// <param name="ReceiverBatchesPerSecond">Batches per second through the whole receiver (verify, readings, audit row, chain state, acknowledgement counters, leaves).</param>
    public sealed record AuditBenchResult(long Leaves, int ReadingsPerLeaf, int GroupBatches, double AppendsPerSecond, double StoredReadingsPerSecond,
        int ProofHashesAtBillion, string Durability, bool AuditOk, int StoredProofsChecked, string CasesFile, double ReadingsOnlyBatchesPerSecond,
        double ReceiverBatchesPerSecond, double AppendsPerSecondReceiverGroup);

    /// <summary>
    /// Measures the transparency log where it costs: appends through the receiver's own durable transaction
    /// (<see cref="CloudReceiver.IngestMany"/>: verify, readings, audit row, chain state, acknowledgement counters and
    /// the leaves, one commit per group, SQLite WAL synchronous=FULL) after a warm-up; the size of an inclusion proof
    /// in a tree of 10⁹ leaves; and writes inclusion-proof cases (at 10⁹ leaves, and proofs read back from the
    /// database) for the JavaScript verifier to time. The run's database is then audited (tree and readings).
    /// </summary>
    public static class AuditBenchmark
    {
        /// <summary>A tree of this many leaves is where the proof size and verification time are taken.</summary>
        public const long Billion = 1_000_000_000;

        /// <summary>Batches per commit of the MQTT receiver's group commit.</summary>
        public const int ReceiverGroup = 32;

        /// <summary>Runs it in <paramref name="workDir"/> (a fresh SQLite file).</summary>
        public static AuditBenchResult Run(string workDir, int devices = 100, int batchesPerDevice = 200, int readingsPerBatch = 4, int group = ReceiverGroup)
        {
            var rng = new Random(7);
            var warm = Make(rng, 0xA000_0000u, 10, 20, readingsPerBatch);
            var timed = Make(rng, 0xA100_0000u, devices, batchesPerDevice, readingsPerBatch);
            var keys = new KeyRing();
            foreach (var (id, key, _) in warm.Concat(timed))
            {
                keys.Add(id, 1, key);
            }

            var receiverTimed = Make(rng, 0xA200_0000u, devices, Math.Max(1, batchesPerDevice / 4), readingsPerBatch);
            foreach (var (id, key, _) in receiverTimed)
            {
                keys.Add(id, 1, key);
            }

            using var store = new SqliteReceiverStore(Path.Combine(workDir, "bench-audit.db"));
            var receiver = new CloudReceiver(store, keys);
            Ingest(receiver, warm, group);
            var direct = Decode(timed);

            // Baseline first (readings only, on devices of their own), then the leaves with their readings.
            var baseline = Decode(Make(rng, 0xA300_0000u, devices, batchesPerDevice, readingsPerBatch));
            double baselineSeconds;
            using (var baseStore = new SqliteReceiverStore(Path.Combine(workDir, "bench-baseline.db")))
            {
                Append(baseStore, Decode(Make(rng, 0xA400_0000u, 10, 20, readingsPerBatch)), group, withLeaves: false);
                var bw = Stopwatch.StartNew();
                Append(baseStore, baseline, group, withLeaves: false);
                baselineSeconds = bw.Elapsed.TotalSeconds;
            }

            var small = Decode(Make(rng, 0xA500_0000u, devices, Math.Max(1, batchesPerDevice / 4), readingsPerBatch));
            var sw = Stopwatch.StartNew();
            Append(store, small, ReceiverGroup, withLeaves: true);
            var smallSeconds = sw.Elapsed.TotalSeconds;
            sw.Restart();
            var leaves = Append(store, direct, group, withLeaves: true);
            var seconds = sw.Elapsed.TotalSeconds;
            sw.Restart();
            var viaReceiver = Ingest(receiver, receiverTimed, ReceiverGroup);
            var receiverSeconds = sw.Elapsed.TotalSeconds;

            var head = store.ReadLogHead();
            if (head.Size != leaves + viaReceiver + small.Count + (10 * 20))
            {
                throw new InvalidOperationException($"the log holds {head.Size} leaves, {leaves + viaReceiver + 200} were appended");
            }

            var audit = LogAuditor.Audit(store, Array.Empty<SignedCheckpoint>());

            // Proof size at 10^9 leaves: the deepest proofs (the left part of the tree) and a sample.
            NodeSource synthetic = (level, index) => Synthetic(level, index);
            var indexes = new List<long> { 0, Billion / 2, Billion - 1 };
            for (var i = 0; i < 200; i++)
            {
                indexes.Add(rng.NextInt64(Billion));
            }

            var cases = new List<object>();
            var most = 0;
            foreach (var index in indexes)
            {
                var proof = Merkle.InclusionProof(index, Billion, synthetic);
                most = Math.Max(most, proof.Count);
                var leaf = Synthetic(0, index);
                var root = Merkle.RootFromInclusion(index, Billion, leaf, proof)!;
                cases.Add(Case(index, Billion, leaf, proof, root));
            }

            // Proofs read back from the database verify against its head.
            var checkedProofs = 0;
            for (var i = 0; i < 100; i++)
            {
                var index = rng.NextInt64(head.Size);
                var proof = Merkle.InclusionProof(index, head.Size, store.ReadLogNode);
                var leaf = store.ReadLogNode(0, index);
                if (!Merkle.VerifyInclusion(index, head.Size, leaf, proof, head.Root))
                {
                    throw new InvalidOperationException($"the stored proof of leaf {index} does not verify against the head");
                }

                cases.Add(Case(index, head.Size, leaf, proof, head.Root));
                checkedProofs++;
            }

            var file = Path.Combine(workDir, "verify-cases.json");
            File.WriteAllText(file, JsonSerializer.Serialize(new { cases }));
            return new AuditBenchResult(leaves, readingsPerBatch, group, leaves / seconds, leaves * readingsPerBatch / seconds, most, store.Durability, audit.Ok,
                checkedProofs, file, baseline.Count / baselineSeconds, viaReceiver / receiverSeconds, small.Count / smallSeconds);
        }

        private static object Case(long index, long size, byte[] leaf, List<byte[]> proof, byte[] root) => new
        {
            index, size, leaf_hash = Convert.ToBase64String(leaf), proof = proof.Select(Convert.ToBase64String).ToArray(), root = Convert.ToBase64String(root),
        };

        private static byte[] Synthetic(int level, long index)
        {
            Span<byte> b = stackalloc byte[12];
            BinaryPrimitives.WriteInt32BigEndian(b, level);
            BinaryPrimitives.WriteInt64BigEndian(b[4..], index);
            return SHA256.HashData(b);
        }

        /// <summary>Each batch decoded into its leaf and reading rows (as the receiver makes them), interleaved across devices.</summary>
        private static List<(PendingLeaf Leaf, List<ReceivedReading> Rows)> Decode(List<(uint Id, byte[] Key, List<byte[]> Batches)> devices)
        {
            var list = new List<(PendingLeaf, List<ReceivedReading>)>();
            var most = devices.Max(d => d.Batches.Count);
            for (var i = 0; i < most; i++)
            {
                foreach (var d in devices)
                {
                    if (i >= d.Batches.Count)
                    {
                        continue;
                    }

                    var bytes = d.Batches[i];
                    var at = 1_790_000_000_000L + list.Count;
                    if (BatchDecoder.TryDecode(bytes, new BatchContext(d.Id, 0, at), out var batch, out var error) != DecodeStatus.Ok || batch is null)
                    {
                        throw new InvalidOperationException("a benchmark batch does not decode: " + error);
                    }

                    var rows = batch.Readings.Select(r => new ReceivedReading(batch.DeviceId, r.Sequence, (byte)r.Reading.Channel, r.Reading.TimeMs, r.Reading.Value,
                        (ushort)r.Reading.Status, at, "lora")).ToList();
                    list.Add((new PendingLeaf(new LogLeaf(batch.DeviceId, batch.FirstSequence, at, "lora", LeafVerdict.Accepted, bytes), batch.FirstSequence, rows.Count), rows));
                }
            }

            return list;
        }

        /// <summary>Commits the batches' readings (and their leaves), <paramref name="group"/> batches per durable transaction; returns the batches.</summary>
        private static long Append(IReceiverStore store, List<(PendingLeaf Leaf, List<ReceivedReading> Rows)> batches, int group, bool withLeaves)
        {
            for (var i = 0; i < batches.Count; i += group)
            {
                var part = batches.Skip(i).Take(group).ToList();
                var results = store.Commit(t =>
                {
                    var stored = t.InsertBatches(part.Select(p => (IReadOnlyList<ReceivedReading>)p.Rows).ToList());
                    if (withLeaves)
                    {
                        t.AppendLeaves(part.Select(p => p.Leaf).ToList(), 0);
                    }

                    return stored;
                });
                if (results.Any(r => r.Stored == 0 || r.Duplicates != 0))
                {
                    throw new InvalidOperationException("a benchmark batch's readings were not all stored");
                }
            }

            return batches.Count;
        }

        private static long Ingest(CloudReceiver receiver, List<(uint Id, byte[] Key, List<byte[]> Batches)> devices, int group)
        {
            var all = new List<byte[]>();
            var most = devices.Max(d => d.Batches.Count);
            for (var i = 0; i < most; i++)
            {
                foreach (var d in devices)
                {
                    if (i < d.Batches.Count)
                    {
                        all.Add(d.Batches[i]);
                    }
                }
            }

            long leaves = 0;
            for (var i = 0; i < all.Count; i += group)
            {
                var messages = new List<IncomingBatch>(group);
                for (var j = i; j < Math.Min(all.Count, i + group); j++)
                {
                    messages.Add(new IncomingBatch("lora", all[j], 1_790_000_000_000L + j, "bench/up"));
                }

                foreach (var o in receiver.IngestMany(messages))
                {
                    if (o.Verdict != BatchVerdict.Ok || o.Stored == 0)
                    {
                        throw new InvalidOperationException($"benchmark batch of device {o.DeviceId}: {o.Verdict}: {o.Message}");
                    }

                    leaves++;
                }
            }

            return leaves;
        }

        private static List<(uint Id, byte[] Key, List<byte[]> Batches)> Make(Random rng, uint firstId, int devices, int batches, int perBatch)
        {
            var channels = new[] { ChannelId.WaterLevelMillimeters, ChannelId.PressurePascals, ChannelId.TemperatureMillicelsius, ChannelId.BatteryMillivolts };
            var list = new List<(uint, byte[], List<byte[]>)>();
            var readings = new Reading[perBatch];
            var seqs = new uint[perBatch];
            var output = new byte[256];
            for (var d = 0; d < devices; d++)
            {
                var id = firstId + (uint)d;
                var key = new byte[32];
                rng.NextBytes(key);
                var encoder = new BatchEncoder(new CloudHmacSha256(1, key), id, 1, 222);
                var made = new List<byte[]>();
                uint seq = 1;
                var t = 1_790_000_000_000L;
                for (var b = 0; b < batches; b++)
                {
                    for (var i = 0; i < perBatch; i++)
                    {
                        readings[i] = new Reading(channels[i % 4], t, 800 + rng.Next(400), ReadingStatus.Ok);
                        seqs[i] = seq++;
                        if (i % 4 == 3)
                        {
                            t += 600_000;
                        }
                    }

                    var len = encoder.Encode(readings, seqs, 0, perBatch, 222, 16, output, 0);
                    if (encoder.Taken != perBatch)
                    {
                        throw new InvalidOperationException("a benchmark batch did not fit a LoRa payload");
                    }

                    encoder.Commit();
                    made.Add(output.AsSpan(0, len).ToArray());
                }

                list.Add((id, key, made));
            }

            return list;
        }
    }
}
