using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using Gateway.Cloud.Decoding;
using Gateway.Core.Codec;
using Gateway.Virtual.Security;
using Xunit;

namespace Gateway.Tests.Codec
{
    public class TamperTests
    {
        private enum Attack { BitFlip, Truncate, Replay, Reorder, Splice, Drop, WrongKey, Forge }

        /// <summary>
        /// 10,000 attacks on valid batch streams, each against a verifier that has accepted the stream up to the
        /// attacked batch: every attack is detected and classified as what it is, and the stream then resumes.
        /// </summary>
        [Fact]
        public void EveryTamperingIsDetectedAndClassified()
        {
            var rng = new Random(10_000);
            var key = CodecFixtures.Key(7);
            var streams = new List<(List<byte[]> Genuine, List<byte[]> Forged, List<byte[]> OtherKey)>();
            for (int s = 0; s < 4; s++)
            {
                var (r, q) = CodecFixtures.Stream(rng, 600);
                int budget = s % 2 == 0 ? 53 : 125;
                var genuine = CodecFixtures.Batches(new BatchEncoder(new HostHmacSha256(CodecFixtures.KeyId, key), CodecFixtures.DeviceId, 2, 512), r, q, budget, 8);
                var forged = CodecFixtures.Batches(new BatchEncoder(new HostHmacSha256(CodecFixtures.KeyId, CodecFixtures.Key(99)), CodecFixtures.DeviceId, 2, 512), r, q, budget, 8);
                var otherKey = CodecFixtures.Batches(new BatchEncoder(new HostHmacSha256(9, key), CodecFixtures.DeviceId, 2, 512), r, q, budget, 8);
                streams.Add((genuine, forged, otherKey));
            }

            var counts = new Dictionary<string, int>();
            var mutated = new List<byte[]>();
            for (int n = 0; n < 10_000; n++)
            {
                var attack = (Attack)(n % 8);
                var (genuine, forged, otherKey) = streams[rng.Next(streams.Count)];
                int i = rng.Next(1, genuine.Count - 2);
                var v = new BatchVerifier();
                v.AddKey(CodecFixtures.DeviceId, CodecFixtures.KeyId, key);
                for (int j = 0; j < i; j++)
                {
                    Assert.Equal(BatchVerdict.Ok, v.Verify(genuine[j]).Verdict);
                }

                string what = $"attack {n} {attack} on batch {i}";
                byte[] b = genuine[i];
                switch (attack)
                {
                    case Attack.BitFlip:
                        var flipped = (byte[])b.Clone();
                        int bit = rng.Next(b.Length * 8);
                        flipped[bit >> 3] ^= (byte)(1 << (bit & 7));
                        var f = v.Verify(flipped).Verdict;
                        Assert.True(f is BatchVerdict.BadTag or BatchVerdict.Malformed or BatchVerdict.Truncated or BatchVerdict.WrongKey, $"{what}: {f}");
                        Count(counts, "bitflip->" + f);
                        mutated.Add(flipped);
                        break;
                    case Attack.Truncate:
                        var cut = b.AsSpan(0, rng.Next(1, b.Length)).ToArray();
                        Assert.Equal(BatchVerdict.Truncated, v.Verify(cut).Verdict);
                        Count(counts, "truncate");
                        mutated.Add(cut);
                        break;
                    case Attack.Replay:
                        Assert.Equal(BatchVerdict.Replayed, v.Verify(genuine[rng.Next(i)]).Verdict);
                        Count(counts, "replay");
                        break;
                    case Attack.Reorder:
                        var late = v.Verify(genuine[i + 1]);
                        Assert.Equal(BatchVerdict.Dropped, late.Verdict);
                        Assert.Equal(BatchVerdict.Reordered, v.Verify(b).Verdict);
                        Assert.Equal(BatchVerdict.Ok, v.Verify(genuine[i + 2]).Verdict);
                        Count(counts, "reorder");
                        continue;
                    case Attack.Splice:
                        var other = genuine[rng.Next(genuine.Count)];
                        int at = rng.Next(1, b.Length);
                        var spliced = new byte[at + other.Length - Math.Min(at, other.Length - 1)];
                        Array.Copy(b, spliced, at);
                        Array.Copy(other, Math.Min(at, other.Length - 1), spliced, at, spliced.Length - at);
                        if (spliced.AsSpan().SequenceEqual(b) || spliced.AsSpan().SequenceEqual(other))
                        {
                            n--;
                            continue;
                        }

                        var sv = v.Verify(spliced).Verdict;
                        Assert.True(sv is BatchVerdict.BadTag or BatchVerdict.Malformed or BatchVerdict.Truncated, $"{what}: {sv}");
                        Count(counts, "splice->" + sv);
                        mutated.Add(spliced);
                        break;
                    case Attack.Drop:
                        var dropped = v.Verify(genuine[i + 1]);
                        Assert.Equal(BatchVerdict.Dropped, dropped.Verdict);
                        Assert.True(dropped.Batch!.FirstSequence > dropped.MissingLast && dropped.MissingFirst <= dropped.MissingLast, what);
                        Count(counts, "drop");
                        continue;
                    case Attack.WrongKey:
                        Assert.Equal(BatchVerdict.WrongKey, v.Verify(otherKey[i]).Verdict);
                        Count(counts, "wrongkey");
                        break;
                    case Attack.Forge:
                        Assert.Equal(BatchVerdict.BadTag, v.Verify(forged[i]).Verdict);
                        Count(counts, "forge");
                        break;
                }

                // The attack left the chain intact: the genuine batch is still accepted in its place.
                Assert.Equal(BatchVerdict.Ok, v.Verify(b).Verdict);
            }

            Assert.True(counts["truncate"] > 1000 && counts["forge"] > 1000 && counts["wrongkey"] > 1000);

            // The JavaScript decoder sees the same mutated bytes: it must reject what C# rejects structurally, never crash.
            string dir = Path.Combine(Path.GetTempPath(), "gateway-codec-tamper-" + Environment.ProcessId);
            Directory.CreateDirectory(dir);
            string input = Path.Combine(dir, "in.hex"), output = Path.Combine(dir, "out.jsonl");
            File.WriteAllLines(input, mutated.ConvertAll(Convert.ToHexStringLower));
            var (code, stdout, stderr) = CodecPaths.Node(Path.Combine(CodecPaths.DecoderJs, "bin", "decode-lines.js"), input, output);
            Assert.True(code == 0, stderr);
            Assert.Contains("\"crashes\":0", stdout);
            var lines = File.ReadAllLines(output);
            for (int k = 0; k < mutated.Count; k++)
            {
                bool cs = BatchDecoder.TryDecode(mutated[k], out _, out _) == DecodeStatus.Ok;
                using var js = JsonDocument.Parse(lines[k]);
                Assert.Equal(cs, js.RootElement.GetProperty("ok").GetBoolean());
            }

            Directory.Delete(dir, true);
        }

        private static void Count(Dictionary<string, int> counts, string key) =>
            counts[key] = counts.TryGetValue(key, out var c) ? c + 1 : 1;
    }
}
