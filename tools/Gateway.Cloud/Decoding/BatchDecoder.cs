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
    /// Decodes version-1 and version-2 batches (firmware/Gateway.Core/Codec/README.md). Never throws on bad input: every failure is
    /// a status and a message; every loop is bounded by the input length or the format's limits.
    /// </summary>
    public static partial class BatchDecoder
    {
        /// <summary>Most readings one batch may declare.</summary>
        public const int MaxReadings = 65535;

        private const long MaxTime = (1L << 53) - 1;

        /// <summary>Decodes <paramref name="data"/>; on failure <paramref name="error"/> says why.</summary>
        public static DecodeStatus TryDecode(byte[] data, out DecodedBatch? batch, out string error) =>
            TryDecode(data, null, out batch, out error);

        /// <summary>
        /// Decodes <paramref name="data"/> with what the receiver knows (§9.3: the device id, the chain's next sequence,
        /// the arrival time), needed by version 2; on failure <paramref name="error"/> says why.
        /// </summary>
        public static DecodeStatus TryDecode(byte[] data, BatchContext? context, out DecodedBatch? batch, out string error)
        {
            batch = null;
            error = "";
            try
            {
                batch = Decode(data, context);
                return DecodeStatus.Ok;
            }
            catch (BatchFormatException e)
            {
                error = e.Message;
                return e.Truncated ? DecodeStatus.Truncated : DecodeStatus.Malformed;
            }
        }

        private static DecodedBatch Decode(byte[] data, BatchContext? context)
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
            if (version != BatchFormat.Version1 && version != BatchFormat.Version)
            {
                throw new BatchFormatException($"unsupported version {version}", false);
            }

            int tagCode = b0 & 0xF;
            if (tagCode < 1 || tagCode > 7)
            {
                throw new BatchFormatException($"tag length code {tagCode} not allowed", false);
            }

            int tagLength = 4 * (tagCode + 1);
            int bodyEnd = data.Length - tagLength;
            BitReader r;
            Header h;
            if (version == BatchFormat.Version1)
            {
                h = HeaderVersion1(Byte, Varint);
                if (bodyEnd < p)
                {
                    throw new BatchFormatException("the batch ends before its tag", true);
                }

                r = new BitReader(data, p, bodyEnd);
            }
            else
            {
                if (bodyEnd < p)
                {
                    throw new BatchFormatException("the batch ends before its tag", true);
                }

                r = new BitReader(data, p, bodyEnd);
                h = HeaderVersion2(r, context);
            }

            byte keyId = h.KeyId;
            ulong deviceId = h.DeviceId;
            ulong boot = h.Boot;
            ulong first = h.First;
            ulong count = h.Count;
            ushort link = h.Link;
            ulong baseTime = h.BaseTime;
            ulong period = h.Period;
            var channels = h.Channels;
            int channelCount = channels.Length;
            int m = h.PatternLength;
            bool timeBlock = h.TimeBlock;
            bool ranged = h.Ranged;

            int n = (int)count;
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
                DecodeBlock(r, rd, c, channel, values, version == BatchFormat.Version ? BatchFormat.FirstValueOrder((int)channels[c]) : -1);
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
                AuthenticatedLength = bodyEnd, Compact = h.Compact, ExceptionCount = (int)exceptions, TimeBlock = timeBlock, RangeCoded = ranged,
            };
        }
    }
}
