using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Gateway.Cloud.Decoding;
using Gateway.Core.Codec;
using Gateway.Core.Sensing;
using Gateway.Virtual.Security;
using Xunit;

namespace Gateway.Tests.Codec
{
    /// <summary>
    /// The shared test vectors (tests/vectors/codec-v1.json) are what the encoder writes; the JavaScript tests
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
            void Add(string name, byte[] batch)
            {
                var v = new Dictionary<string, object> { ["name"] = name, ["hex"] = Convert.ToHexStringLower(batch) };
                var st = BatchDecoder.TryDecode(batch, out var d, out _);
                if (st == DecodeStatus.Ok)
                {
                    v["device_id"] = d!.DeviceId;
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

            var example = Convert.FromHexString(ExampleHex());
            Add("readme-worked-example", example);
            var rng = new Random(2026);
            var budgets = new[] { 53, 125, 242, 1024 };
            for (int i = 0; i < 24; i++)
            {
                var (r, s) = CodecFixtures.Stream(rng, rng.Next(1, 300));
                int budget = budgets[i % 4];
                var enc = new BatchEncoder(new HostHmacSha256(1, ExampleKey), 42, (uint)i, 1024);
                var batches = CodecFixtures.Batches(enc, r, s, budget, budget > 242 ? 16 : 8);
                for (int b = 0; b < Math.Min(2, batches.Count); b++)
                {
                    var d = BatchDecoder.TryDecode(batches[b], out var db, out _);
                    Add($"random-{i}-budget-{budget}-batch-{b}{(db!.RangeCoded ? "-range" : "-rice")}{(db.TimeBlock ? "-timeblock" : "")}", batches[b]);
                }
            }

            Add("truncated-by-one-byte", example.AsSpan(0, example.Length - 1).ToArray());
            Add("header-only", example.AsSpan(0, 6).ToArray());
            var v2 = (byte[])example.Clone();
            v2[0] = 0x21;
            Add("version-2", v2);
            var trailing = example.Concat(new byte[] { 0 }).ToArray();
            Add("one-byte-too-many", trailing);
            Add("empty", Array.Empty<byte>());
            return JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["format"] = "gateway batch v1 (firmware/Gateway.Core/Codec/README.md)",
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
                File.WriteAllText(CodecPaths.VectorFile, expected);
            }

            Assert.True(File.Exists(CodecPaths.VectorFile), "tests/vectors/codec-v1.json is missing: run the codec tests with GATEWAY_WRITE_VECTORS=1");
            Assert.Equal(expected, File.ReadAllText(CodecPaths.VectorFile));
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
            Assert.Equal(BatchVerdict.Ok, good.Verify(batch).Verdict);
            var other = new BatchVerifier();
            other.AddKey(42, 1, ExampleKey.Reverse().ToArray());
            Assert.Equal(BatchVerdict.BadTag, other.Verify(batch).Verdict);
        }
    }
}
