using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;

namespace Gateway.Cli.Commands
{
    /// <summary>The codecs the batch codec is compared with, each as bits per reading of one series.</summary>
    public static class CodecBaselines
    {
        /// <summary>
        /// Gorilla (Pelkonen et al., VLDB 2015) as Facebook's TSDB uses it: timestamps in seconds, first 64 bits, then
        /// delta-of-delta in the buckets 0 / 7 / 9 / 12 / 32 bits; values as doubles, first 64 bits, then XOR with
        /// the previous value: '0' when equal, '10' + meaningful bits inside the previous window, else
        /// '11' + 5 bits leading zeros + 6 bits length + meaningful bits.
        /// </summary>
        public static double GorillaBits(long[] timesMs, int[] values)
        {
            long bits = 64 + 64;
            long prevT = timesMs[0] / 1000, prevDelta = 0;
            ulong prev = (ulong)BitConverter.DoubleToInt64Bits(values[0]);
            int prevLeading = -1, prevTrailing = 0;
            for (int i = 1; i < values.Length; i++)
            {
                long t = timesMs[i] / 1000;
                long delta = t - prevT;
                long dod = delta - prevDelta;
                if (i == 1)
                {
                    bits += 14;
                }
                else if (dod == 0)
                {
                    bits += 1;
                }
                else if (dod >= -63 && dod <= 64)
                {
                    bits += 2 + 7;
                }
                else if (dod >= -255 && dod <= 256)
                {
                    bits += 3 + 9;
                }
                else if (dod >= -2047 && dod <= 2048)
                {
                    bits += 4 + 12;
                }
                else
                {
                    bits += 4 + 32;
                }

                prevT = t;
                prevDelta = delta;
                ulong v = (ulong)BitConverter.DoubleToInt64Bits(values[i]);
                ulong x = v ^ prev;
                prev = v;
                if (x == 0)
                {
                    bits += 1;
                    continue;
                }

                int leading = Math.Min(31, System.Numerics.BitOperations.LeadingZeroCount(x));
                int trailing = System.Numerics.BitOperations.TrailingZeroCount(x);
                if (prevLeading >= 0 && leading >= prevLeading && trailing >= prevTrailing)
                {
                    bits += 2 + (64 - prevLeading - prevTrailing);
                }
                else
                {
                    bits += 2 + 5 + 6 + (64 - leading - trailing);
                    prevLeading = leading;
                    prevTrailing = trailing;
                }
            }

            return (double)bits / values.Length;
        }

        /// <summary>Deltas (first value as is), zigzag, LEB128 varint: bits per reading.</summary>
        public static double VarintBits(int[] values)
        {
            long bytes = 0;
            long prev = 0;
            foreach (var v in values)
            {
                long d = v - prev;
                prev = v;
                ulong z = (ulong)((d << 1) ^ (d >> 63));
                do
                {
                    bytes++;
                    z >>= 7;
                }
                while (z != 0);
            }

            return 8.0 * bytes / values.Length;
        }

        /// <summary>Deflate (System.IO.Compression, optimal) of the raw little-endian int32 series: bits per reading.</summary>
        public static double DeflateBits(int[] values)
        {
            var raw = new byte[values.Length * 4];
            Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
            if (!BitConverter.IsLittleEndian)
            {
                for (int i = 0; i < raw.Length; i += 4)
                {
                    Array.Reverse(raw, i, 4);
                }
            }

            using var ms = new MemoryStream();
            using (var d = new DeflateStream(ms, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                d.Write(raw);
            }

            return 8.0 * ms.Length / values.Length;
        }

        /// <summary>The delta stream the varint baseline counts (first value as is, zigzag, LEB128), as bytes.</summary>
        public static byte[] DeltaVarintStream(int[] values)
        {
            using var ms = new MemoryStream();
            long prev = 0;
            foreach (var v in values)
            {
                long d = v - prev;
                prev = v;
                ulong z = (ulong)((d << 1) ^ (d >> 63));
                do
                {
                    byte b = (byte)(z & 0x7F);
                    z >>= 7;
                    ms.WriteByte(z != 0 ? (byte)(b | 0x80) : b);
                }
                while (z != 0);
            }

            return ms.ToArray();
        }

        /// <summary>Deflate (optimal) of the delta-varint stream: the general-purpose baseline on deltas, bits per reading.</summary>
        public static double DeflateDeltaBits(int[] values)
        {
            using var ms = new MemoryStream();
            using (var d = new DeflateStream(ms, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                d.Write(DeltaVarintStream(values));
            }

            return 8.0 * ms.Length / values.Length;
        }

        /// <summary>Brotli (quality 11, window 24) of the delta-varint stream, bits per reading.</summary>
        public static double BrotliDeltaBits(int[] values)
        {
            var input = DeltaVarintStream(values);
            var output = new byte[BrotliEncoder.GetMaxCompressedLength(input.Length)];
            if (!BrotliEncoder.TryCompress(input, output, out int written, 11, 24))
            {
                throw new InvalidOperationException("Brotli failed");
            }

            return 8.0 * written / values.Length;
        }

        /// <summary>
        /// Empirical order-0 entropy (bits per reading) of the residuals of the best of the codec's predictors
        /// (none, delta, linear, mean) over the whole series; also says which predictor that is.
        /// </summary>
        public static (double Bits, string Predictor) ResidualEntropy(int[] values)
        {
            var names = new[] { "none", "delta", "linear", "mean" };
            double mean = 0;
            foreach (var v in values)
            {
                mean += v;
            }

            long m = (long)Math.Round(mean / values.Length);
            double best = double.MaxValue;
            string bestName = "";
            for (int p = 0; p < 4; p++)
            {
                var counts = new Dictionary<long, int>();
                for (int i = 0; i < values.Length; i++)
                {
                    long pred = p switch
                    {
                        0 => 0,
                        1 => i == 0 ? values[0] : values[i - 1],
                        2 => i == 0 ? values[0] : i == 1 ? values[0] : 2L * values[i - 1] - values[i - 2],
                        _ => m,
                    };
                    long r = values[i] - pred;
                    counts[r] = counts.TryGetValue(r, out var c) ? c + 1 : 1;
                }

                double h = 0;
                foreach (var c in counts.Values)
                {
                    double q = (double)c / values.Length;
                    h -= q * Math.Log2(q);
                }

                if (h < best)
                {
                    best = h;
                    bestName = names[p];
                }
            }

            return (best, bestName);
        }
    }
}
