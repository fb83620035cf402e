using System;
using Gateway.Core.Codec;
using Gateway.Core.Sensing;
using Gateway.Virtual.Security;

namespace Gateway.Tests.Codec
{
    /// <summary>Seeded random reading streams and keys shared by the codec tests.</summary>
    internal static class CodecFixtures
    {
        public const uint DeviceId = 4242;
        public const byte KeyId = 3;

        public static byte[] Key(int seed)
        {
            var k = new byte[32];
            new Random(seed).NextBytes(k);
            return k;
        }

        public static HostHmacSha256 Hmac(int seed = 7, byte keyId = KeyId) => new(keyId, Key(seed));

        /// <summary>
        /// A random stream: 1–4 channels in a pattern, a regular schedule with occasional jitter, cadence changes,
        /// sequence holes, quality flags, odd channels, and value walks of random roughness.
        /// </summary>
        public static (Reading[] Readings, uint[] Sequences) Stream(Random rng, int count)
        {
            var readings = new Reading[count];
            var seqs = new uint[count];
            int channels = rng.Next(1, 5);
            var pattern = new ChannelId[channels];
            for (int c = 0; c < channels; c++)
            {
                pattern[c] = (ChannelId)(c + 1 + rng.Next(0, 2) * 4);
            }

            var level = new long[channels];
            var slope = new long[channels];
            int roughness = rng.Next(0, 6) switch { 0 => 0, 1 => 2, 2 => 20, 3 => 300, 4 => 100000, _ => int.MaxValue / 4 };
            int scale = rng.Next(0, 3) switch { 0 => 1, 1 => 10, _ => rng.Next(1, 1000) };
            for (int c = 0; c < channels; c++)
            {
                level[c] = rng.Next(-100000, 100000);
            }

            long t = 1_700_000_000_000L + rng.Next();
            long period = rng.Next(0, 3) switch { 0 => 600_000, 1 => 60_000, _ => rng.Next(0, 5_000_000) };
            uint seq = (uint)rng.Next();
            double exceptionRate = rng.Next(0, 3) switch { 0 => 0, 1 => 0.02, _ => 0.3 };
            for (int j = 0; j < count; j++)
            {
                int c = j % channels;
                if (c == 0 && j > 0)
                {
                    t += period;
                    if (rng.NextDouble() < exceptionRate)
                    {
                        period = rng.Next(0, 3_600_000);
                    }
                }

                long time = t;
                if (rng.NextDouble() < exceptionRate)
                {
                    time += rng.Next(-5000, 5000);
                }

                var ch = pattern[c];
                if (rng.NextDouble() < exceptionRate / 3)
                {
                    ch = (ChannelId)rng.Next(1, 11);
                }

                int ci = Array.IndexOf(pattern, ch);
                ci = ci < 0 ? c : ci;
                if (roughness == int.MaxValue / 4)
                {
                    level[ci] = rng.Next(int.MinValue, int.MaxValue) / scale;
                }
                else
                {
                    slope[ci] += rng.Next(-roughness, roughness + 1) / 4;
                    slope[ci] = Math.Clamp(slope[ci], -roughness, roughness);
                    level[ci] = Math.Clamp(level[ci] + slope[ci] + rng.Next(-roughness, roughness + 1), -2_000_000, 2_000_000);
                }

                var status = rng.NextDouble() < exceptionRate ? (ReadingStatus)rng.Next(1, 0x400) : ReadingStatus.Ok;
                readings[j] = new Reading(ch, time, (int)(level[ci] * scale), status);
                seq += rng.NextDouble() < exceptionRate ? (uint)rng.Next(2, 40) : 1u;
                seqs[j] = seq;
            }

            return (readings, seqs);
        }

        /// <summary>Encodes the whole stream into consecutive committed batches of a budget.</summary>
        public static System.Collections.Generic.List<byte[]> Batches(BatchEncoder enc, Reading[] r, uint[] s, int budget, int tagBytes)
        {
            var list = new System.Collections.Generic.List<byte[]>();
            var buf = new byte[budget];
            int at = 0;
            while (at < r.Length)
            {
                int len = enc.Encode(r, s, at, r.Length - at, budget, tagBytes, buf, 0);
                if (len == 0)
                {
                    throw new InvalidOperationException("not one reading fits");
                }

                enc.Commit();
                list.Add(buf.AsSpan(0, len).ToArray());
                at += enc.Taken;
            }

            return list;
        }
    }
}
