using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Gateway.Cloud.Decoding;
using Gateway.Cloud.Storage;
using Gateway.Core.Codec;
using Gateway.Core.Sensing;
using Gateway.Cloud.Security;

namespace Gateway.Cloud.Bench
{
    /// <summary>Figures of one cloud benchmark run.</summary>
    /// <param name="Devices">Gateways simulated.</param>
    /// <param name="Batches">Batches verified and stored.</param>
    /// <param name="Readings">Readings in those batches.</param>
    /// <param name="VerifiedReadingsPerSecond">Readings decoded and verified per second, in memory.</param>
    /// <param name="StoredReadingsPerSecond">Readings stored per second in the database (one transaction a batch).</param>
    /// <param name="BytesPerReading">Average batch bytes per reading (cellular budget, 16-byte tags).</param>
    public sealed record CloudBenchResult(int Devices, int Batches, long Readings, double VerifiedReadingsPerSecond, double StoredReadingsPerSecond, double BytesPerReading);

    /// <summary>
    /// Measures the receiver's two costs separately: decoding and verifying batches (CPU) and storing their readings
    /// (database). Batches are made by the real encoder from four realistic channels at 10-minute cadence.
    /// </summary>
    public static class CloudBenchmark
    {
        /// <summary>Runs the benchmark; the database is a fresh SQLite file in <paramref name="workDir"/> unless a store is given.</summary>
        public static CloudBenchResult Run(int devices, int batchesPerDevice, string workDir, Func<IReceiverStore>? openStore = null, int seed = 1)
        {
            var rng = new Random(seed);
            var keys = new Dictionary<uint, byte[]>();
            var batches = new List<byte[]>();
            const int ReadingsPerBatch = 240; // 60 cycles of 4 channels, fits a 1 KB cellular batch
            var channels = new[] { ChannelId.WaterLevelMillimeters, ChannelId.PressurePascals, ChannelId.TemperatureMillicelsius, ChannelId.BatteryMillivolts };
            var readings = new Reading[ReadingsPerBatch];
            var seqs = new uint[ReadingsPerBatch];
            var output = new byte[1024];
            for (uint d = 1; d <= devices; d++)
            {
                var key = new byte[32];
                rng.NextBytes(key);
                keys[d] = key;
                var encoder = new BatchEncoder(new CloudHmacSha256(1, key), d, 1, 1024);
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
                            seqs[n] = seq++;
                            n++;
                        }

                        t += 600_000;
                    }

                    var offset = 0;
                    while (offset < ReadingsPerBatch)
                    {
                        var len = encoder.Encode(readings, seqs, offset, ReadingsPerBatch - offset, 1024, 16, output, 0);
                        encoder.Commit();
                        batches.Add(output.AsSpan(0, len).ToArray());
                        offset += encoder.Taken;
                    }
                }
            }

            var verifier = new BatchVerifier();
            foreach (var (d, key) in keys)
            {
                verifier.AddKey(d, 1, key);
            }

            long total = 0;
            var decoded = new List<DecodedBatch>(batches.Count);
            var sw = Stopwatch.StartNew();
            foreach (var bytes in batches)
            {
                var r = verifier.Verify(bytes);
                if (!r.Accepted || r.Batch is null)
                {
                    throw new InvalidOperationException("benchmark batch did not verify: " + r.Message);
                }

                total += r.Batch.Readings.Count;
                decoded.Add(r.Batch);
            }

            var verifySeconds = sw.Elapsed.TotalSeconds;

            using var store = openStore?.Invoke() ?? new SqliteReceiverStore(Path.Combine(workDir, "bench-cloud.db"));
            var rows = decoded.Select(b => b.Readings.Select(r => new ReceivedReading(b.DeviceId, r.Sequence, (byte)r.Reading.Channel, r.Reading.TimeMs,
                r.Reading.Value, (ushort)r.Reading.Status, 1, "cellular")).ToList()).ToList();
            sw.Restart();
            long stored = 0;
            foreach (var batchRows in rows)
            {
                stored += store.StoreReadings(batchRows).Stored;
            }

            var storeSeconds = sw.Elapsed.TotalSeconds;
            if (stored != total)
            {
                throw new InvalidOperationException($"stored {stored} of {total} readings");
            }

            return new CloudBenchResult(devices, batches.Count, total, total / verifySeconds, total / storeSeconds,
                batches.Sum(b => (double)b.Length) / total);
        }
    }
}
