using System;
using System.Collections.Generic;
using System.Diagnostics;
using Gateway.Cloud.Decoding;
using Gateway.Core.Codec;
using Xunit;

namespace Gateway.Tests.Codec
{
    public class DecoderFuzzTests
    {
        /// <summary>600,000 random and mutated inputs: the C# decoder and verifier never throw and never hang.</summary>
        [Fact]
        public void CSharpDecoderAndVerifierSurviveSixHundredThousandFuzzedInputs()
        {
            var rng = new Random(600);
            var valid = new List<byte[]>();
            for (int i = 0; i < 40; i++)
            {
                var (r, s) = CodecFixtures.Stream(rng, rng.Next(1, 200));
                var enc = new BatchEncoder(CodecFixtures.Hmac(), CodecFixtures.DeviceId, 1, 1024);
                valid.AddRange(CodecFixtures.Batches(enc, r, s, rng.Next(2) == 0 ? 53 : 242, 8));
            }

            var verifier = new BatchVerifier();
            verifier.AddKey(CodecFixtures.DeviceId, CodecFixtures.KeyId, CodecFixtures.Key(7));
            long slowestTicks = 0;
            int ok = 0;
            var sw = new Stopwatch();
            for (int i = 0; i < 600_000; i++)
            {
                byte[] input;
                if (i % 4 == 0)
                {
                    input = new byte[rng.Next(rng.Next(2) == 0 ? 24 : 300)];
                    rng.NextBytes(input);
                    if (input.Length > 0 && rng.Next(10) < 7)
                    {
                        input[0] = (byte)(0x10 | rng.Next(1, 8));
                    }
                }
                else
                {
                    input = Mutate(rng, valid[rng.Next(valid.Count)], valid);
                }

                sw.Restart();
                if (BatchDecoder.TryDecode(input, out _, out _) == DecodeStatus.Ok)
                {
                    ok++;
                }

                if (i % 8 == 0)
                {
                    _ = verifier.Verify(input);
                }

                sw.Stop();
                slowestTicks = Math.Max(slowestTicks, sw.ElapsedTicks);
            }

            Assert.True(slowestTicks < Stopwatch.Frequency, $"slowest input took {slowestTicks * 1000.0 / Stopwatch.Frequency} ms");
            Assert.True(ok > 0, "no mutated input decoded at all: the fuzzer does not reach the blocks");
        }

        internal static byte[] Mutate(Random rng, byte[] source, List<byte[]> others)
        {
            var b = new List<byte>(source);
            int mutations = rng.Next(1, 5);
            for (int k = 0; k < mutations && b.Count > 0; k++)
            {
                switch (rng.Next(6))
                {
                    case 0:
                        int bit = rng.Next(b.Count * 8);
                        b[bit >> 3] ^= (byte)(1 << (bit & 7));
                        break;
                    case 1:
                        b[rng.Next(b.Count)] = (byte)rng.Next(256);
                        break;
                    case 2:
                        int keep = rng.Next(b.Count);
                        b.RemoveRange(keep, b.Count - keep);
                        break;
                    case 3:
                        var o = others[rng.Next(others.Count)];
                        int cut = rng.Next(b.Count);
                        b.RemoveRange(cut, b.Count - cut);
                        b.AddRange(o.AsSpan(rng.Next(o.Length)).ToArray());
                        break;
                    case 4:
                        b.Insert(rng.Next(b.Count), (byte)rng.Next(256));
                        break;
                    default:
                        int at = rng.Next(b.Count);
                        b.RemoveRange(at, Math.Min(b.Count - at, rng.Next(1, 5)));
                        break;
                }
            }

            return b.ToArray();
        }
    }
}
