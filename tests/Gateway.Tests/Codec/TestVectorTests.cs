using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Gateway.Cli.Commands;
using Gateway.Cloud.Decoding;
using Gateway.Core.Codec;
using Gateway.Core.Sensing;
using Gateway.Virtual.Security;
using Xunit;

namespace Gateway.Tests.Codec
{
    /// <summary>
    /// The shared version-2 test vectors (tests/vectors/codec-v2.json) are what the encoder writes (codec-v1.json: version 1, frozen, still decoded); the JavaScript tests
    /// (tools/decoder-js/test) decode the same file. Regenerate with GATEWAY_WRITE_VECTORS=1 after a format change.
    /// </summary>
    public class TestVectorTests
    {
        public static readonly byte[] ExampleKey = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

        /// <summary>The README's worked example: two channels, a sequence hole, a quality flag, 53-byte budget.</summary>
        public static (Reading[] Readings, uint[] Sequences) Example()
        {
            long t0 = new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
            var r = new List<Reading>();
            int[] level = { 1520, 1524, 1531, 1539 };
            int[] battery = { 3710, 3709, 3709, 3708 };
            for (int c = 0; c < 4; c++)
            {
                r.Add(new Reading(ChannelId.WaterLevelMillimeters, t0 + c * 600_000L, level[c], c == 3 ? ReadingStatus.SpikeRejected : ReadingStatus.Ok));
                r.Add(new Reading(ChannelId.BatteryMillivolts, t0 + c * 600_000L, battery[c], ReadingStatus.Ok));
            }

            return (r.ToArray(), new uint[] { 100, 101, 102, 103, 105, 106, 107, 108 });
        }

        public static string ExampleHex()
        {
            var (r, s) = Example();
            var enc = new BatchEncoder(new HostHmacSha256(1, ExampleKey), 42, 1, 53);
            var buf = new byte[53];
            int len = enc.Encode(r, s, 0, r.Length, 53, 8, buf, 0);
            Assert.Equal(r.Length, enc.Taken);
            return Convert.ToHexStringLower(buf, 0, len);
        }

        private static string BuildVectorFile()
        {
            var vectors = new List<Dictionary<string, object>>();
            void Add(string name, byte[] batch, uint next, long receivedAt)
            {
                var v = new Dictionary<string, object>
                {
                    ["name"] = name, ["hex"] = Convert.ToHexStringLower(batch),
                    ["context"] = new Dictionary<string, object> { ["device_id"] = 42, ["next_sequence"] = next, ["received_at_ms"] = receivedAt },
                };
                var st = BatchDecoder.TryDecode(batch, new BatchContext(42, next, receivedAt), out var d, out _);
                if (st == DecodeStatus.Ok)
                {
                    v["compact"] = d!.Compact;
                    v["boot_counter"] = d.BootCounter;
                    v["tag"] = Convert.ToHexStringLower(d.Tag);
                    v["readings"] = d.Readings.Select(x => new object[] { x.Sequence, (int)x.Reading.Channel, x.Reading.TimeMs, x.Reading.Value, (int)x.Reading.Status }).ToList();
                }
                else
                {
                    v["error"] = st == DecodeStatus.Truncated ? "truncated" : "malformed";
                }

                vectors.Add(v);
            }

            var (er, es) = Example();
            var example = Convert.FromHexString(ExampleHex());
            Add("readme-worked-example", example, 0, er[0].TimeMs);

            // One wake, compact: the chain knows the sequence before it and the clock is set.
            long t0 = new DateTimeOffset(2026, 9, 6, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
            var wakeEncoder = new BatchEncoder(new HostHmacSha256(1, ExampleKey), 42, 3, 53);
            var chain = new byte[BatchEncoder.ChainStateLength];
            var wake = CodecBenchmark.Wake(t0);
            var seqs = new uint[] { 1000, 1001, 1002, 1003, 1004 };
            var first = new byte[53];
            int firstLength = wakeEncoder.Encode(wake, seqs, 0, 5, 53, 8, first, 0);
            Add("single-wake-full", first.AsSpan(0, firstLength).ToArray(), 0, t0 + 2000);
            wakeEncoder.Commit();
            var next = CodecBenchmark.Wake(t0 + 120_000);
            var seqs2 = new uint[] { 1005, 1006, 1007, 1008, 1009 };
            wakeEncoder.NowMs = t0 + 121_000;
            wakeEncoder.ReceiverInSync = true;
            int compactLength = wakeEncoder.Encode(next, seqs2, 0, 5, 53, 8, first, 0);
            Add("single-wake-compact", first.AsSpan(0, compactLength).ToArray(), 1005, t0 + 122_000);

            var rng = new Random(2026);
            var budgets = new[] { 53, 125, 242, 1024 };
            for (int i = 0; i < 24; i++)
            {
                var (r, s) = CodecFixtures.Stream(rng, rng.Next(1, 300));
                int budget = budgets[i % 4];
                var enc = new BatchEncoder(new HostHmacSha256(1, ExampleKey), 42, (uint)i, 1024);
                var buf = new byte[budget];
                int at = 0;
                for (int b = 0; b < 3 && at < r.Length; b++)
                {
                    // Odd streams run with the clock set: their batches after the first are compact.
                    enc.NowMs = i % 2 == 1 ? r[at].TimeMs + 5000 : 0;
                    enc.ReceiverInSync = true;
                    int len = enc.Encode(r, s, at, r.Length - at, budget, budget > 242 ? 16 : 8, buf, 0);
                    Assert.True(len > 0);
                    var batch = buf.AsSpan(0, len).ToArray();
                    BatchDecoder.TryDecode(batch, new BatchContext(42, s[at], r[at].TimeMs + 6000), out var db, out _);
                    if (b > 0)
                    {
                        Add($"random-{i}-budget-{budget}-batch-{b}{(db!.Compact ? "-compact" : "-full")}{(db.RangeCoded ? "-range" : "-rice")}{(db.TimeBlock ? "-timeblock" : "")}",
                            batch, s[at], r[at].TimeMs + 6000);
                    }

                    enc.Commit();
                    at += enc.Taken;
                }
            }

            // Long series: range-coded blocks and time blocks.
            for (int i = 0; i < 3; i++)
            {
                var (r, s) = CodecFixtures.Stream(rng, 900);
                var enc = new BatchEncoder(new HostHmacSha256(1, ExampleKey), 42, 7, 1024);
                var buf = new byte[1024];
                int at = 0;
                for (int b = 0; b < 2; b++)
                {
                    enc.NowMs = i == 1 ? r[at].TimeMs + 5000 : 0;
                    enc.ReceiverInSync = true;
                    int len = enc.Encode(r, s, at, r.Length - at, 1024, 16, buf, 0);
                    var batch = buf.AsSpan(0, len).ToArray();
                    BatchDecoder.TryDecode(batch, new BatchContext(42, s[at], r[at].TimeMs + 6000), out var db, out _);
                    Add($"long-{i}-batch-{b}{(db!.Compact ? "-compact" : "-full")}{(db.RangeCoded ? "-range" : "-rice")}{(db.TimeBlock ? "-timeblock" : "")}",
                        batch, s[at], r[at].TimeMs + 6000);
                    enc.Commit();
                    at += enc.Taken;
                }
            }

            Add("truncated-by-one-byte", example.AsSpan(0, example.Length - 1).ToArray(), 0, t0);
            Add("header-only", example.AsSpan(0, 4).ToArray(), 0, t0);
            var v3 = (byte[])example.Clone();
            v3[0] = 0x31;
            Add("version-3", v3, 0, t0);
            Add("one-byte-too-many", example.Concat(new byte[] { 0 }).ToArray(), 0, t0);
            Add("compact-without-arrival-time", first.AsSpan(0, compactLength).ToArray(), 1005, -1);
            Add("empty", Array.Empty<byte>(), 0, t0);
            return JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["format"] = "gateway batch v2 (firmware/Gateway.Core/Codec/README.md section 9); context = what the receiver supplies",
                ["key"] = Convert.ToHexStringLower(ExampleKey),
                ["key_id"] = 1,
                ["vectors"] = vectors,
            }, new JsonSerializerOptions { WriteIndented = true }) + "\n";
        }

        [Fact]
        public void SharedVectorFileIsWhatTheEncoderWrites()
        {
            string expected = BuildVectorFile();
            if (Environment.GetEnvironmentVariable("GATEWAY_WRITE_VECTORS") == "1")
            {
                File.WriteAllText(CodecPaths.VectorFileV2, expected);
            }

            Assert.True(File.Exists(CodecPaths.VectorFileV2), "tests/vectors/codec-v2.json is missing: run the codec tests with GATEWAY_WRITE_VECTORS=1");
            Assert.Equal(expected, File.ReadAllText(CodecPaths.VectorFileV2));
        }

        [Fact]
        public void VersionTwoVectorsHoldCompactAndFullBatchesAndVerifyInTheirContext()
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(CodecPaths.VectorFileV2));
            var valid = doc.RootElement.GetProperty("vectors").EnumerateArray().Where(v => v.TryGetProperty("readings", out _)).ToList();
            Assert.Contains(valid, v => v.GetProperty("compact").GetBoolean());
            Assert.Contains(valid, v => !v.GetProperty("compact").GetBoolean());
            foreach (var v in valid.Where(v => v.GetProperty("hex").GetString()!.StartsWith('2')))
            {
                var ctx = v.GetProperty("context");
                var verifier = new BatchVerifier();
                verifier.AddKey(42, 1, ExampleKey);
                var bytes = Convert.FromHexString(v.GetProperty("hex").GetString()!);
                long next = ctx.GetProperty("next_sequence").GetInt64();
                if (next > 0)
                {
                    // A receiver whose chain expects `next` (its state as a saved export: format 1, has head, next, link, no ranges).
                    var state = new byte[16];
                    state[0] = 1;
                    state[1] = 1;
                    BitConverter.TryWriteBytes(state.AsSpan(2), next);
                    Assert.True(verifier.ImportState(42, state));
                }

                var result = verifier.Verify(bytes, 42, ctx.GetProperty("received_at_ms").GetInt64());
                Assert.True(result.Accepted, v.GetProperty("name").GetString() + ": " + result.Message);
                var wrongDevice = new BatchVerifier();
                wrongDevice.AddKey(43, 1, ExampleKey);
                Assert.Equal(BatchVerdict.BadTag, wrongDevice.Verify(bytes, 43, ctx.GetProperty("received_at_ms").GetInt64()).Verdict);
            }
        }

        [Fact]
        public void VersionOneVectorsStillDecodeToWhatTheyRecord()
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(CodecPaths.VectorFile));
            int decoded = 0;
            foreach (var v in doc.RootElement.GetProperty("vectors").EnumerateArray())
            {
                var bytes = Convert.FromHexString(v.GetProperty("hex").GetString()!);
                if (bytes.Length == 0 || bytes[0] >> 4 != 1)
                {
                    continue;
                }

                var st = BatchDecoder.TryDecode(bytes, out var d, out _);
                if (v.TryGetProperty("error", out var error))
                {
                    Assert.Equal(error.GetString(), st == DecodeStatus.Truncated ? "truncated" : "malformed");
                    continue;
                }

                Assert.Equal(DecodeStatus.Ok, st);
                Assert.Equal(v.GetProperty("device_id").GetUInt32(), d!.DeviceId);
                var readings = v.GetProperty("readings").EnumerateArray().Select(r => r.EnumerateArray().Select(x => x.GetInt64()).ToArray()).ToList();
                Assert.Equal(readings.Count, d.Readings.Count);
                for (int i = 0; i < readings.Count; i++)
                {
                    var x = d.Readings[i];
                    Assert.Equal(readings[i], new long[] { x.Sequence, (int)x.Reading.Channel, x.Reading.TimeMs, x.Reading.Value, (int)x.Reading.Status });
                }

                decoded++;
            }

            Assert.True(decoded >= 20);
        }

        [Fact]
        public void WorkedExampleInReadmeMatchesEncoder()
        {
            string readme = File.ReadAllText(Path.Combine(CodecPaths.RepoRoot, "firmware", "Gateway.Core", "Codec", "README.md"));
            Assert.Contains(ExampleHex(), readme.Replace(" ", "").Replace("\n", ""));
        }

        [Fact]
        public void VerifierAcceptsTheWorkedExampleWithTheExampleKeyOnly()
        {
            var batch = Convert.FromHexString(ExampleHex());
            var good = new BatchVerifier();
            good.AddKey(42, 1, ExampleKey);
            Assert.Equal(BatchVerdict.Ok, good.Verify(batch, 42, 0).Verdict);
            var other = new BatchVerifier();
            other.AddKey(42, 1, ExampleKey.Reverse().ToArray());
            Assert.Equal(BatchVerdict.BadTag, other.Verify(batch, 42, 0).Verdict);
        }
    }
}
