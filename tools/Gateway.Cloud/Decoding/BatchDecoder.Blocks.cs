using System;
using Gateway.Core.Codec;
using Gateway.Core.Sensing;

namespace Gateway.Cloud.Decoding
{
    /// <content>Value blocks: Rice and zero-run (§3.2), range-coded (§3.3), one-value blocks of version 2 (§9.2).</content>
    public static partial class BatchDecoder
    {
        /// <summary>Decodes block c; <paramref name="firstValueOrder"/> ≥ 0 (version 2) codes a one-value block in the bit stream as eg(zigzag(v); order).</summary>
        private static void DecodeBlock(BitReader r, RangeDecoder? rd, int c, int[] channel, int[] values, int firstValueOrder)
        {
            int count = 0;
            foreach (var ch in channel)
            {
                if (ch == c)
                {
                    count++;
                }
            }

            if (count == 0)
            {
                return;
            }

            long[] decoded;
            if (rd == null && count == 1 && firstValueOrder >= 0)
            {
                long q = r.ReadGamma() - 1;
                if (q > (1L << 33) >> firstValueOrder)
                {
                    throw new BatchFormatException("value out of the 32-bit range", false);
                }

                long x = (q << firstValueOrder) | (long)r.Read(firstValueOrder);
                long v = (x & 1) == 0 ? x >> 1 : -((x + 1) >> 1);
                if (v < int.MinValue || v > int.MaxValue)
                {
                    throw new BatchFormatException("value out of the 32-bit range", false);
                }

                decoded = new[] { v };
            }
            else
            {
                decoded = rd != null ? DecodeRanged(rd, count) : DecodeValues(r, count);
            }

            int i = 0;
            for (int j = 0; j < channel.Length; j++)
            {
                if (channel[j] == c)
                {
                    values[j] = (int)decoded[i++];
                }
            }
        }

        /// <summary>Decodes one block of <paramref name="count"/> (at least 1) values, each in the 32-bit range.</summary>
        private static long[] DecodeValues(BitReader r, int count)
        {
            var values = new long[count];
            int predictor = (int)r.Read(2);
            int mode = (int)r.Read(1);
            long reference = 0;
            if (predictor != BatchFormat.PredictNone)
            {
                reference = r.ReadSignedGamma();
                if (reference < int.MinValue || reference > int.MaxValue)
                {
                    throw new BatchFormatException("block reference out of range", false);
                }
            }

            long divisor = r.ReadGamma();
            if (divisor > uint.MaxValue)
            {
                throw new BatchFormatException("block divisor out of range", false);
            }

            int k0 = (int)r.Read(5);
            long sumA = k0 == 0 ? 0 : 1L << k0;
            int countN = 1;
            long runA = sumA;
            int runN = 1;
            long valueA = 0;
            int valueN = 1;
            long pendingZeros = 0;
            bool expectValue = false;
            long prev = reference;
            long prev2 = reference;
            for (int index = 0; index < count; index++)
            {
                long x;
                if (mode == 0)
                {
                    x = r.ReadRice(BatchFormat.RiceParameter(sumA, countN));
                    Adapt(ref sumA, ref countN, x);
                }
                else
                {
                    if (pendingZeros == 0 && !expectValue)
                    {
                        pendingZeros = r.ReadRice(BatchFormat.RiceParameter(runA, runN));
                        Adapt(ref runA, ref runN, pendingZeros);
                        if (pendingZeros > count - index)
                        {
                            throw new BatchFormatException("a zero run runs past the block", false);
                        }

                        expectValue = true;
                    }

                    if (pendingZeros > 0)
                    {
                        pendingZeros--;
                        x = 0;
                    }
                    else
                    {
                        x = r.ReadRice(BatchFormat.RiceParameter(valueA, valueN)) + 1;
                        Adapt(ref valueA, ref valueN, x - 1);
                        expectValue = false;
                    }
                }

                if (x > (1L << 35))
                {
                    throw new BatchFormatException("residual out of range", false);
                }

                long residual = (x & 1) == 0 ? x >> 1 : -((x + 1) >> 1);
                values[index] = Reconstruct(predictor, index, ref prev, ref prev2, reference, residual, divisor);
            }

            return values;
        }

        /// <summary>The value from its residual (checked against the format's limits); moves the predictor's history.</summary>
        private static long Reconstruct(int predictor, int index, ref long prev, ref long prev2, long reference, long residual, long divisor)
        {
            if (Math.Abs(residual) > (1L << 35) / divisor)
            {
                throw new BatchFormatException("residual out of range", false);
            }

            long v = BatchFormat.Predict(predictor, index, prev, prev2, reference) + residual * divisor;
            if (v < int.MinValue || v > int.MaxValue)
            {
                throw new BatchFormatException("value out of the 32-bit range", false);
            }

            prev2 = prev;
            prev = v;
            return v;
        }

        /// <summary>Decodes one range-coded block of <paramref name="count"/> (at least 1) values.</summary>
        private static long[] DecodeRanged(RangeDecoder rd, int count)
        {
            var values = new long[count];
            int predictor = (int)rd.DecodeDirect(2);
            long reference = 0;
            if (predictor != BatchFormat.PredictNone)
            {
                long z = rd.DecodeGamma() - 1;
                reference = (z & 1) == 0 ? z >> 1 : -((z + 1) >> 1);
                if (reference < int.MinValue || reference > int.MaxValue)
                {
                    throw new BatchFormatException("block reference out of range", false);
                }
            }

            long divisor = rd.DecodeGamma();
            if (divisor > uint.MaxValue)
            {
                throw new BatchFormatException("block divisor out of range", false);
            }

            var models = new ushort[BatchFormat.RangeModelCount];
            Array.Fill(models, (ushort)1024);
            long prev = reference, prev2 = reference;
            int previousBucket = 0, signContext = 0;
            for (int index = 0; index < count; index++)
            {
                int unary = BatchFormat.RangeUnaryModels + BatchFormat.RangeBucketContext(previousBucket) * 16;
                int b = 0;
                while (b < BatchFormat.RangeMaxBucket && rd.DecodeBit(models, unary + Math.Min(b, 15)) == 1)
                {
                    b++;
                }

                if (b > 35)
                {
                    throw new BatchFormatException("residual out of range", false);
                }

                long a = 0;
                if (b >= 1)
                {
                    a = 1;
                    if (b >= 2)
                    {
                        a = (a << 1) | (long)rd.DecodeBit(models, BatchFormat.RangeMantissaModels + Math.Min(b, 15));
                        if (b >= 3)
                        {
                            a = (a << (b - 2)) | (long)rd.DecodeDirect(b - 2);
                        }
                    }
                }

                long residual = a;
                if (a != 0)
                {
                    bool negative = rd.DecodeBit(models, BatchFormat.RangeSignModels + signContext) == 1;
                    residual = negative ? -a : a;
                    signContext = negative ? 2 : 1;
                }
                else
                {
                    signContext = 0;
                }

                previousBucket = b;
                values[index] = Reconstruct(predictor, index, ref prev, ref prev2, reference, residual, divisor);
            }

            return values;
        }

        private static void Adapt(ref long sum, ref int count, long x)
        {
            sum += x;
            count++;
            if (count == BatchFormat.AdaptReset)
            {
                sum >>= 1;
                count >>= 1;
            }
        }

        private static int BitLength(int v)
        {
            int n = 0;
            while (v != 0)
            {
                v >>= 1;
                n++;
            }

            return n;
        }
    }
}
