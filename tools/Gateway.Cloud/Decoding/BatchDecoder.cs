using System;
using System.Collections.Generic;
using Gateway.Core.Codec;
using Gateway.Core.Sensing;

namespace Gateway.Cloud.Decoding
{
    /// <summary>Outcome of structural decoding.</summary>
    public enum DecodeStatus
    {
        /// <summary>A well-formed version-1 batch.</summary>
        Ok,

        /// <summary>Not a valid batch.</summary>
        Malformed,

        /// <summary>The input ends before the batch does.</summary>
        Truncated,
    }

    /// <summary>
    /// Decodes version-1 batches (firmware/Gateway.Core/Codec/README.md). Never throws on bad input: every failure is
    /// a status and a message; every loop is bounded by the input length or the format's limits.
    /// </summary>
    public static class BatchDecoder
    {
        /// <summary>Most readings one batch may declare.</summary>
        public const int MaxReadings = 65535;

        private const long MaxTime = (1L << 53) - 1;

        /// <summary>Decodes <paramref name="data"/>; on failure <paramref name="error"/> says why.</summary>
        public static DecodeStatus TryDecode(byte[] data, out DecodedBatch? batch, out string error)
        {
            batch = null;
            error = "";
            try
            {
                batch = Decode(data);
                return DecodeStatus.Ok;
            }
            catch (BatchFormatException e)
            {
                error = e.Message;
                return e.Truncated ? DecodeStatus.Truncated : DecodeStatus.Malformed;
            }
        }

        private static DecodedBatch Decode(byte[] data)
        {
            int p = 0;
            int Byte()
            {
                if (p >= data.Length)
                {
                    throw new BatchFormatException("the header ends too soon", true);
                }

                return data[p++];
            }

            ulong Varint(int maxBytes)
            {
                ulong v = 0;
                for (int i = 0; i < maxBytes; i++)
                {
                    int b = Byte();
                    v |= (ulong)(b & 0x7F) << (7 * i);
                    if ((b & 0x80) == 0)
                    {
                        return v;
                    }
                }

                throw new BatchFormatException("varint too long", false);
            }

            int b0 = Byte();
            int version = b0 >> 4;
            if (version != BatchFormat.Version)
            {
                throw new BatchFormatException($"unsupported version {version}", false);
            }

            int tagCode = b0 & 0xF;
            if (tagCode < 1 || tagCode > 7)
            {
                throw new BatchFormatException($"tag length code {tagCode} not allowed", false);
            }

            int tagLength = 4 * (tagCode + 1);
            byte keyId = (byte)Byte();
            ulong deviceId = Varint(5);
            ulong boot = Varint(5);
            ulong first = Varint(5);
            ulong count = Varint(5);
            if (deviceId > uint.MaxValue || boot > uint.MaxValue || first > uint.MaxValue || count > uint.MaxValue)
            {
                throw new BatchFormatException("a 32-bit header field is out of range", false);
            }

            if (count < 1 || count > MaxReadings)
            {
                throw new BatchFormatException($"reading count {count} out of range 1..{MaxReadings}", false);
            }

            ushort link = (ushort)((Byte() << 8) | Byte());
            ulong baseTime = Varint(8);
            ulong period = Varint(5);
            if (baseTime > MaxTime)
            {
                throw new BatchFormatException("base time out of range", false);
            }

            if (period > uint.MaxValue)
            {
                throw new BatchFormatException("period out of range", false);
            }

            int channelCount = Byte();
            if (channelCount < 1 || channelCount > BatchFormat.MaxChannels)
            {
                throw new BatchFormatException($"channel count {channelCount} out of range 1..16", false);
            }

            var channels = new ChannelId[channelCount];
            for (int c = 0; c < channelCount; c++)
            {
                channels[c] = (ChannelId)Byte();
                for (int d = 0; d < c; d++)
                {
                    if (channels[d] == channels[c])
                    {
                        throw new BatchFormatException("a channel is listed twice", false);
                    }
                }
            }

            int patternByte = Byte();
            bool timeBlock = (patternByte & 0x80) != 0;
            bool ranged = (patternByte & 0x40) != 0;
            int m = patternByte & 0x3F;
            if (m < 1 || m > channelCount)
            {
                throw new BatchFormatException("pattern length out of range", false);
            }

            int bodyEnd = data.Length - tagLength;
            if (bodyEnd < p)
            {
                throw new BatchFormatException("the batch ends before its tag", true);
            }

            int n = (int)count;
            var r = new BitReader(data, p, bodyEnd);
            var seq = new long[n];
            var time = new long[n];
            var status = new ushort[n];
            var channel = new int[n];
            var hasGap = new bool[n];
            for (int j = 0; j < n; j++)
            {
                channel[j] = j % m;
            }

            long exceptions = r.ReadGamma() - 1;
            if (exceptions > 8L * data.Length)
            {
                throw new BatchFormatException("more exceptions than the batch can hold", false);
            }

            // Exceptions are applied in reading order together with the schedule.
            var kinds = new int[(int)exceptions];
            var index = new int[(int)exceptions];
            var payloadA = new long[(int)exceptions];
            var payloadB = new long[(int)exceptions];
            long last = 0;
            int bitsForChannel = BitLength(channelCount - 1);
            for (int e = 0; e < exceptions; e++)
            {
                long at = last + r.ReadGamma() - 1;
                if (at >= n)
                {
                    throw new BatchFormatException("an exception names a reading past the batch", false);
                }

                last = at;
                index[e] = (int)at;
                int kind = (int)r.Read(3);
                kinds[e] = kind;
                switch (kind)
                {
                    case BatchFormat.ExceptionStatus:
                        payloadA[e] = (long)r.Read(16);
                        break;
                    case BatchFormat.ExceptionGap:
                        payloadA[e] = r.ReadGamma();
                        if (at == 0)
                        {
                            throw new BatchFormatException("a gap before the first reading", false);
                        }

                        break;
                    case BatchFormat.ExceptionTime:
                        payloadA[e] = r.ReadSignedGamma();
                        break;
                    case BatchFormat.ExceptionCadence:
                        if (timeBlock)
                        {
                            throw new BatchFormatException("a cadence exception in a batch with a time block", false);
                        }

                        payloadA[e] = r.ReadGamma() - 1;
                        if (payloadA[e] > uint.MaxValue)
                        {
                            throw new BatchFormatException("cadence period out of range", false);
                        }

                        payloadB[e] = r.ReadSignedGamma();
                        break;
                    case BatchFormat.ExceptionChannel:
                        payloadA[e] = (long)r.Read(bitsForChannel);
                        if (payloadA[e] >= channelCount)
                        {
                            throw new BatchFormatException("channel exception names no listed channel", false);
                        }

                        break;
                    default:
                        throw new BatchFormatException($"reserved exception kind {kind}", false);
                }
            }

            RangeDecoder? rd = null;
            if (ranged)
            {
                r.CheckPadding();
                rd = new RangeDecoder(data, p + r.BytesUsed, bodyEnd);
            }

            long[]? cycleOffsets = timeBlock ? (rd != null ? DecodeRanged(rd, (n + m - 1) / m) : DecodeValues(r, (n + m - 1) / m)) : null;
            long baseT = (long)baseTime;
            long per = (long)period;
            long baseCycle = 0;
            int ex = 0;
            long s = (long)first;
            for (int j = 0; j < n; j++)
            {
                long cycle = j / m;
                if (j > 0)
                {
                    s++;
                }

                long t = timeBlock ? baseT + cycle * per + cycleOffsets![cycle] : baseT + (cycle - baseCycle) * per;
                long cycleTime = t;
                while (ex < exceptions && index[ex] == j)
                {
                    switch (kinds[ex])
                    {
                        case BatchFormat.ExceptionStatus:
                            status[j] = (ushort)payloadA[ex];
                            break;
                        case BatchFormat.ExceptionGap:
                            s += payloadA[ex];
                            break;
                        case BatchFormat.ExceptionTime:
                            t = (timeBlock ? cycleTime : baseT + (cycle - baseCycle) * per) + payloadA[ex];
                            break;
                        case BatchFormat.ExceptionCadence:
                            baseT = baseT + (cycle - baseCycle) * per + payloadB[ex];
                            baseCycle = cycle;
                            per = payloadA[ex];
                            t = baseT;
                            if (baseT < 0 || baseT > MaxTime)
                            {
                                throw new BatchFormatException("time out of range", false);
                            }

                            break;
                        case BatchFormat.ExceptionChannel:
                            channel[j] = (int)payloadA[ex];
                            break;
                    }

                    ex++;
                }

                if (t < 0 || t > MaxTime)
                {
                    throw new BatchFormatException("time out of range", false);
                }

                if (s > uint.MaxValue)
                {
                    throw new BatchFormatException("sequence past 2^32", false);
                }

                seq[j] = s;
                time[j] = t;
            }

            var values = new int[n];
            for (int c = 0; c < channelCount; c++)
            {
                DecodeBlock(r, rd, c, channel, values);
            }

            r.CheckPadding();
            if (rd != null ? rd.Position != bodyEnd : p + r.BytesUsed != bodyEnd)
            {
                throw new BatchFormatException("bytes left over between the bit stream and the tag", false);
            }

            var readings = new DecodedReading[n];
            for (int j = 0; j < n; j++)
            {
                readings[j] = new DecodedReading((uint)seq[j],
                    new Reading(channels[channel[j]], time[j], values[j], (ReadingStatus)status[j]));
            }

            var tag = new byte[tagLength];
            Array.Copy(data, bodyEnd, tag, 0, tagLength);
            return new DecodedBatch
            {
                Version = version, KeyId = keyId, DeviceId = (uint)deviceId, BootCounter = (uint)boot,
                FirstSequence = (uint)first, LastSequence = (uint)seq[n - 1], Link = link, BaseTimeMs = (long)baseTime,
                PeriodMs = (long)period, Channels = channels, PatternLength = m, Readings = readings, Tag = tag,
                AuthenticatedLength = bodyEnd, ExceptionCount = (int)exceptions, TimeBlock = timeBlock, RangeCoded = ranged,
            };
        }

        private static void DecodeBlock(BitReader r, RangeDecoder? rd, int c, int[] channel, int[] values)
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

            var decoded = rd != null ? DecodeRanged(rd, count) : DecodeValues(r, count);
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
                if (Math.Abs(residual) > (1L << 35) / divisor)
                {
                    throw new BatchFormatException("residual out of range", false);
                }

                long prediction = predictor switch
                {
                    BatchFormat.PredictNone => 0,
                    BatchFormat.PredictDelta => prev,
                    BatchFormat.PredictLinear => index < 2 ? prev : 2 * prev - prev2,
                    _ => reference,
                };
                long v = prediction + residual * divisor;
                if (v < int.MinValue || v > int.MaxValue)
                {
                    throw new BatchFormatException("value out of the 32-bit range", false);
                }

                prev2 = prev;
                prev = v;
                values[index] = v;
            }

            return values;
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
                if (Math.Abs(residual) > (1L << 35) / divisor)
                {
                    throw new BatchFormatException("residual out of range", false);
                }

                long prediction = predictor switch
                {
                    BatchFormat.PredictNone => 0,
                    BatchFormat.PredictDelta => prev,
                    BatchFormat.PredictLinear => index < 2 ? prev : 2 * prev - prev2,
                    _ => reference,
                };
                long v = prediction + residual * divisor;
                if (v < int.MinValue || v > int.MaxValue)
                {
                    throw new BatchFormatException("value out of the 32-bit range", false);
                }

                prev2 = prev;
                prev = v;
                values[index] = v;
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
