using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Gateway.Cloud.Decoding;
using Gateway.Cloud.Receiver;
using Gateway.Cloud.Storage;
using Gateway.Core.Codec;
using Gateway.Core.Sensing;
using Gateway.Cloud.Security;

namespace Gateway.Cloud.Bench
{
    /// <summary>Figures of one cloud benchmark run.</summary>
    /// <param name="Devices">Gateways simulated (per timed run).</param>
    /// <param name="Batches">Batches verified and stored per timed run.</param>
    /// <param name="Readings">Readings in those batches.</param>
    /// <param name="VerifiedReadingsPerSecond">Readings decoded and verified per second, in memory.</param>
    /// <param name="StoredReadingsPerSecond">Readings verified and stored per second through the receiver's own durable
    /// transaction, <paramref name="GroupBatches"/> batches per commit (group commit, as under load).</param>
    /// <param name="StoredReadingsPerSecondOneBatchPerCommit">The same with one batch per commit.</param>
    /// <param name="GroupBatches">Batches per commit of the grouped run.</param>
    /// <param name="BytesPerReading">Average batch bytes per reading (cellular budget, 16-byte tags).</param>
    /// <param name="Durability">The store's durability, in words (see <see cref="SqlReceiverStore.Durability"/>).</param>
    /// <param name="SampledReadings">Readings read back and compared value by value after the runs.</param>
    /// <param name="Fleet">The fleet page's read times over the filled database (SQL stores).</param>
    public sealed record CloudBenchResult(int Devices, int Batches, long Readings, double VerifiedReadingsPerSecond, double StoredReadingsPerSecond,
        double StoredReadingsPerSecondOneBatchPerCommit, int GroupBatches, double BytesPerReading, string Durability, int SampledReadings,
        FleetReadTimes? Fleet = null);

    /// <summary>
    /// What the fleet page costs over the database the benchmark filled, median of five after a warm-up, ms: the
    /// whole page's view (<see cref="Fleet.FleetView.Build"/>), its device list and battery column from the summary,
    /// and the same two found by scanning the readings (the way without a summary, the baseline); the summary was
    /// checked equal to the scan.
    /// </summary>
    /// <param name="StoredReadings">Readings in the database when timed.</param>
    /// <param name="ViewMs">The whole fleet view.</param>
    /// <param name="SummaryMs">The device list and the battery column, from the summary.</param>
    /// <param name="ScanMs">The same two by scanning the readings.</param>
    public sealed record FleetReadTimes(long StoredReadings, double ViewMs, double SummaryMs, double ScanMs);

    /// <summary>
    /// Measures the receiver's two costs: decoding and verifying batches (CPU) and storing them the way the receiver
    /// does (<see cref="CloudReceiver.IngestMany"/>: readings, audit row, chain-state lock and upsert, acknowledgement
    /// counters, one durable commit), once with one batch per commit and once with several (group commit), each after
    /// a warm-up on other devices. Batches are made by the real encoder from four realistic channels at 10-minute
    /// cadence. Afterwards every device's count and a sample of values are read back and checked.
    /// </summary>
    public static class CloudBenchmark
    {
        private const int ReadingsPerBatch = 240; // 60 cycles of 4 channels, fits a 1 KB cellular batch

        private sealed record DeviceBatches(uint DeviceId, byte[] Key, List<byte[]> Batches, Dictionary<uint, (ChannelId Channel, long TimeMs, int Value)> Expected);

        /// <summary>
        /// Runs the benchmark; the database is a fresh SQLite file in <paramref name="workDir"/> unless a store is
        /// given (devices get ids in a random range, so a shared database is not disturbed; use a scratch one anyway).
        /// </summary>
        public static CloudBenchResult Run(int devices, int batchesPerDevice, string workDir, Func<IReceiverStore>? openStore = null, int seed = 1, int groupBatches = 32)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(devices, 1);
            ArgumentOutOfRangeException.ThrowIfLessThan(batchesPerDevice, 1);
            ArgumentOutOfRangeException.ThrowIfLessThan(groupBatches, 1);
            var rng = new Random(seed);
            var idBase = 0xB000_0000u + ((uint)Random.Shared.Next(0, 0x7FFF) << 12);
            var warmup = Make(rng, idBase, Math.Max(2, devices / 10), Math.Max(2, batchesPerDevice / 4));
            var single = Make(rng, idBase + 0x400, devices, batchesPerDevice);
            var grouped = Make(rng, idBase + 0x800, devices, batchesPerDevice);
            long total = single.Sum(d => d.Expected.Count);

            // Verification alone, in memory, after a warm-up pass.
            var verifier = new BatchVerifier();
            foreach (var d in warmup.Concat(single))
            {
                verifier.AddKey(d.DeviceId, 1, d.Key);
            }

            foreach (var b in Interleave(warmup))
            {
                verifier.Verify(b);
            }

            var sw = Stopwatch.StartNew();
            foreach (var bytes in Interleave(single))
            {
                var r = verifier.Verify(bytes);
                if (!r.Accepted || r.Batch is null)
                {
                    throw new InvalidOperationException("benchmark batch did not verify: " + r.Message);
                }
            }

            var verifyPerSecond = total / sw.Elapsed.TotalSeconds;

            using var store = openStore?.Invoke() ?? new SqliteReceiverStore(Path.Combine(workDir, "bench-cloud.db"));
            var keys = new KeyRing();
            foreach (var d in warmup.Concat(single).Concat(grouped))
            {
                keys.Add(d.DeviceId, 1, d.Key);
            }

            var receiver = new CloudReceiver(store, keys);
            Ingest(receiver, warmup, groupBatches);
            var perBatch = Ingest(receiver, single, 1);
            var perGroup = Ingest(receiver, grouped, groupBatches);
            var sampled = Check(store, warmup.Concat(single).Concat(grouped).ToList(), rng);
            return new CloudBenchResult(devices, single.Sum(d => d.Batches.Count), total, verifyPerSecond, total / perGroup, total / perBatch, groupBatches,
                single.Sum(d => d.Batches.Sum(b => (double)b.Length)) / total,
                store is SqlReceiverStore sql ? sql.Durability : store.Engine, sampled, store is SqlReceiverStore s ? FleetReads(s) : null);
        }

        /// <summary>Times the fleet page's reads (<see cref="FleetReadTimes"/>) after checking the summary against a scan.</summary>
        public static FleetReadTimes FleetReads(SqlReceiverStore store)
        {
            ArgumentNullException.ThrowIfNull(store);
            const byte battery = (byte)ChannelId.BatteryMillivolts;
            var (events, leaves) = store.CountAuditByScan();
            if (!store.QueryDevices().SequenceEqual(store.QueryDevicesByScan()) || !store.QueryLatest(battery).SequenceEqual(store.QueryLatestByScan(battery))
                || !store.CountChainEvents().SequenceEqual(events) || !store.CountLogLeaves().OrderBy(kv => kv.Key).SequenceEqual(leaves.OrderBy(kv => kv.Key)))
            {
                throw new InvalidOperationException("the fleet summary differs from a scan of the readings");
            }

            static double Median(Action read)
            {
                read();
                var times = new double[5];
                for (var i = 0; i < times.Length; i++)
                {
                    var sw = Stopwatch.StartNew();
                    read();
                    times[i] = sw.Elapsed.TotalMilliseconds;
                }

                Array.Sort(times);
                return times[times.Length / 2];
            }

            return new FleetReadTimes(store.CountReadings(),
                Median(() => Fleet.FleetView.Build(store, null, null)),
                Median(() => { store.QueryDevices(); store.QueryLatest(battery); }),
                Median(() => { store.QueryDevicesByScan(); store.QueryLatestByScan(battery); }));
        }

        /// <summary>Ingests every batch, devices interleaved as they arrive, <paramref name="group"/> per commit; returns seconds.</summary>
        private static double Ingest(CloudReceiver receiver, List<DeviceBatches> devices, int group)
        {
            var all = Interleave(devices).ToList();
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < all.Count; i += group)
            {
                var messages = all.Skip(i).Take(group).Select(b => new IncomingBatch("cellular", b, 1_790_000_000_000L, "bench/up")).ToList();
                foreach (var o in receiver.IngestMany(messages))
                {
                    if (o.Verdict != BatchVerdict.Ok || o.Stored == 0 || o.Duplicates != 0 || o.AckDownlinks.Count == 0)
                    {
                        throw new InvalidOperationException($"benchmark batch of device {o.DeviceId}: {o.Verdict}, {o.Stored} stored, {o.Duplicates} duplicates: {o.Message}");
                    }
                }
            }

            return sw.Elapsed.TotalSeconds;
        }

        /// <summary>Every device's count, and every reading of a few devices value by value; returns the readings compared.</summary>
        private static int Check(IReceiverStore store, List<DeviceBatches> devices, Random rng)
        {
            foreach (var d in devices)
            {
                var n = store.CountReadings(d.DeviceId);
                if (n != d.Expected.Count)
                {
                    throw new InvalidOperationException($"device {d.DeviceId}: {n} readings stored, {d.Expected.Count} sent");
                }
            }

            var compared = 0;
            foreach (var d in devices.OrderBy(_ => rng.Next()).Take(3))
            {
                foreach (var r in store.QueryReadings(d.DeviceId, long.MinValue, long.MaxValue))
                {
                    if (!d.Expected.TryGetValue(r.Sequence, out var e) || (ChannelId)r.Channel != e.Channel || r.TimeMs != e.TimeMs || r.Value != e.Value)
                    {
                        throw new InvalidOperationException($"device {d.DeviceId} sequence {r.Sequence}: stored {r.Channel}/{r.TimeMs}/{r.Value} differs from what was sent");
                    }

                    compared++;
                }
            }

            var chains = store.LoadChainStates().Count(s => devices.Any(d => d.DeviceId == s.DeviceId));
            if (chains != devices.Count)
            {
                throw new InvalidOperationException($"{chains} chain states saved for {devices.Count} devices");
            }

            return compared;
        }

        private static IEnumerable<byte[]> Interleave(List<DeviceBatches> devices)
        {
            var most = devices.Max(d => d.Batches.Count);
            for (var i = 0; i < most; i++)
            {
                foreach (var d in devices)
                {
                    if (i < d.Batches.Count)
                    {
                        yield return d.Batches[i];
                    }
                }
            }
        }

        private static List<DeviceBatches> Make(Random rng, uint firstId, int devices, int batchesPerDevice)
        {
            var channels = new[] { ChannelId.WaterLevelMillimeters, ChannelId.PressurePascals, ChannelId.TemperatureMillicelsius, ChannelId.BatteryMillivolts };
            var readings = new Reading[ReadingsPerBatch];
            var seqs = new uint[ReadingsPerBatch];
            var output = new byte[1024];
            var list = new List<DeviceBatches>();
            for (var i = 0; i < devices; i++)
            {
                var id = firstId + (uint)i;
                var key = new byte[32];
                rng.NextBytes(key);
                var device = new DeviceBatches(id, key, new List<byte[]>(), new Dictionary<uint, (ChannelId, long, int)>());
                var encoder = new BatchEncoder(new CloudHmacSha256(1, key), id, 1, 1024);
                uint seq = 1;
                double level = 800 + rng.Next(400);
                var t = 1_790_000_000_000L;
                for (var b = 0; b < batchesPerDevice; b++)
                {
                    var n = 0;
                    while (n < ReadingsPerBatch)
                    {
                        level += rng.NextDouble() * 4 - 2;
                        var values = new[] { (int)level, (int)(level * 9.80665), 15000 + rng.Next(200), 3700 - b };
                        for (var c = 0; c < 4; c++)
                        {
                            readings[n] = new Reading(channels[c], t, values[c], ReadingStatus.Ok);
                            seqs[n] = seq;
                            device.Expected[seq] = (channels[c], t, values[c]);
                            seq++;
                            n++;
                        }

                        t += 600_000;
                    }

                    var offset = 0;
                    while (offset < ReadingsPerBatch)
                    {
                        var len = encoder.Encode(readings, seqs, offset, ReadingsPerBatch - offset, 1024, 16, output, 0);
                        encoder.Commit();
                        device.Batches.Add(output.AsSpan(0, len).ToArray());
                        offset += encoder.Taken;
                    }
                }

                list.Add(device);
            }

            return list;
        }
    }
}
