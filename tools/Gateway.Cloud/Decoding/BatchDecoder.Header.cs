using System;
using Gateway.Core.Codec;
using Gateway.Core.Sensing;

namespace Gateway.Cloud.Decoding
{
    /// <summary>What the receiver knows about a version-2 batch before decoding it (Codec/README.md §9.3).</summary>
    /// <param name="DeviceId">The device, named by the transport (MQTT topic, DevEUI mapping).</param>
    /// <param name="NextSequence">The device chain's next expected sequence (0 when the receiver has no chain).</param>
    /// <param name="ReceivedAtMs">Arrival time, Unix ms (negative: unknown; a compact batch then does not decode).</param>
    public sealed record BatchContext(uint DeviceId, long NextSequence, long ReceivedAtMs);

    /// <content>The byte header of version 1 (§2) and the bit header of version 2 (§9.2).</content>
    public static partial class BatchDecoder
    {
        private sealed record Header(byte KeyId, ulong DeviceId, ulong Boot, ulong First, ulong Count, ushort Link, ulong BaseTime,
            ulong Period, ChannelId[] Channels, int PatternLength, bool TimeBlock, bool Ranged, bool Compact);

        /// <summary>The bytes the tag covers: version 1 the batch up to the tag; version 2 the 16-byte context first (§9.3).</summary>
        public static byte[] MacInput(DecodedBatch batch, byte[] data)
        {
            ArgumentNullException.ThrowIfNull(batch);
            ArgumentNullException.ThrowIfNull(data);
            if (batch.Version == BatchFormat.Version1)
            {
                return data.AsSpan(0, batch.AuthenticatedLength).ToArray();
            }

            var input = new byte[16 + batch.AuthenticatedLength];
            BitConverter.TryWriteBytes(input.AsSpan(0, 4), batch.DeviceId);
            BitConverter.TryWriteBytes(input.AsSpan(4, 4), batch.FirstSequence);
            BitConverter.TryWriteBytes(input.AsSpan(8, 8), batch.BaseTimeMs);
            if (!BitConverter.IsLittleEndian)
            {
                Array.Reverse(input, 0, 4);
                Array.Reverse(input, 4, 4);
                Array.Reverse(input, 8, 8);
            }

            Array.Copy(data, 0, input, 16, batch.AuthenticatedLength);
            return input;
        }

        /// <summary>Why a compact batch was refused: no chain state and arrival time were given (§9.3).</summary>
        public const string CompactNeedsContext = "a compact batch needs the receiver's chain state and the arrival time";

        /// <summary>The version of a batch (0 when empty).</summary>
        public static int VersionOf(byte[] data) => data is { Length: > 0 } ? data[0] >> 4 : 0;

        /// <summary>A compact sequence: the integer ≡ low (mod 1024) in [next − 512, next + 512), never negative.</summary>
        public static long RecoverSequence(long low, long next)
        {
            long modulus = BatchFormat.CompactSequenceModulus;
            long d = ((((low - next) % modulus) + modulus + (modulus / 2)) % modulus) - (modulus / 2);
            long s = next + d;
            return s < 0 ? s + modulus : s;
        }

        /// <summary>A compact time's seconds: the largest integer ≡ low (mod 16384) at most 600 s past the arrival.</summary>
        public static long RecoverSeconds(long low, long receivedAtMs)
        {
            long latest = Math.Max(0, receivedAtMs / 1000) + BatchFormat.CompactTimeAheadSeconds;
            long modulus = BatchFormat.CompactTimeModulus;
            return latest - ((((latest - low) % modulus) + modulus) % modulus);
        }

        private static Header HeaderVersion1(Func<int> next, Func<int, ulong> varint)
        {
            byte keyId = (byte)next();
            ulong deviceId = varint(5);
            ulong boot = varint(5);
            ulong first = varint(5);
            ulong count = varint(5);
            if (deviceId > uint.MaxValue || boot > uint.MaxValue || first > uint.MaxValue || count > uint.MaxValue)
            {
                throw new BatchFormatException("a 32-bit header field is out of range", false);
            }

            CheckCount(count);
            ushort link = (ushort)((next() << 8) | next());
            ulong baseTime = varint(8);
            ulong period = varint(5);
            CheckTimes(baseTime, period);
            int channelCount = next();
            if (channelCount < 1 || channelCount > BatchFormat.MaxChannels)
            {
                throw new BatchFormatException($"channel count {channelCount} out of range 1..16", false);
            }

            var channels = new ChannelId[channelCount];
            for (int c = 0; c < channelCount; c++)
            {
                channels[c] = (ChannelId)next();
                CheckDistinct(channels, c);
            }

            int patternByte = next();
            int m = patternByte & 0x3F;
            if (m < 1 || m > channelCount)
            {
                throw new BatchFormatException("pattern length out of range", false);
            }

            return new Header(keyId, deviceId, boot, first, count, link, baseTime, period, channels, m,
                (patternByte & 0x80) != 0, (patternByte & 0x40) != 0, false);
        }

        private static Header HeaderVersion2(BitReader r, BatchContext? context)
        {
            long keyId = r.Read(1) == 1 ? 1 : (long)r.Read(8);
            bool compact = r.Read(1) == 1;
            ulong first;
            ulong baseTime;
            ulong boot = 0;
            if (compact)
            {
                long low = (long)r.Read(BatchFormat.CompactSequenceBits);
                long seconds = (long)r.Read(BatchFormat.CompactTimeBits);
                long ms = r.ReadGamma() - 1;
                if (ms > 999)
                {
                    throw new BatchFormatException("compact time milliseconds out of range", false);
                }

                if (context is null || context.ReceivedAtMs < 0)
                {
                    throw new BatchFormatException(CompactNeedsContext, false);
                }

                long s = RecoverSequence(low, Math.Max(0, context.NextSequence));
                long t = (RecoverSeconds(seconds, context.ReceivedAtMs) * 1000) + ms;
                if (s > uint.MaxValue || t < 0)
                {
                    throw new BatchFormatException("compact sequence or time out of range", false);
                }

                first = (ulong)s;
                baseTime = (ulong)t;
            }
            else
            {
                first = ReadDelta(r);
                baseTime = ReadDelta(r);
                boot = ReadDelta(r);
                if (first > uint.MaxValue || boot > uint.MaxValue)
                {
                    throw new BatchFormatException("a 32-bit header field is out of range", false);
                }
            }

            ushort link = (ushort)r.Read(16);
            ChannelId[] channels;
            int m;
            if (r.Read(1) == 1)
            {
                long profile = r.ReadGamma();
                byte[]? list = profile > 100 ? null : BatchFormat.ProfileChannels((int)profile);
                if (list is null)
                {
                    throw new BatchFormatException($"unknown channel profile {profile}", false);
                }

                channels = Array.ConvertAll(list, b => (ChannelId)b);
                m = BatchFormat.ProfilePattern((int)profile);
            }
            else
            {
                int channelCount = (int)r.Read(4) + 1;
                channels = new ChannelId[channelCount];
                for (int c = 0; c < channelCount; c++)
                {
                    channels[c] = (ChannelId)r.Read(8);
                    CheckDistinct(channels, c);
                }

                m = (int)r.Read(4) + 1;
                if (m > channelCount)
                {
                    throw new BatchFormatException("pattern length out of range", false);
                }
            }

            long n = m + r.ReadSignedGamma();
            CheckCount(n < 1 ? 0 : (ulong)n);
            ulong period = 0;
            bool timeBlock = false, ranged = false;
            if (n > m)
            {
                period = ReadDelta(r);
                timeBlock = r.Read(1) == 1;
                ranged = r.Read(1) == 1;
            }

            CheckTimes(baseTime, period);
            return new Header((byte)keyId, context?.DeviceId ?? 0, boot, first, (ulong)n, link, baseTime, period, channels, m, timeBlock, ranged, compact);
        }

        /// <summary>delta(x) of §9.1.</summary>
        private static ulong ReadDelta(BitReader r)
        {
            long length = r.ReadGamma() - 1;
            if (length > 53)
            {
                throw new BatchFormatException("a number longer than 53 bits", false);
            }

            if (length <= 1)
            {
                return (ulong)length;
            }

            return (1UL << (int)(length - 1)) | r.Read((int)length - 1);
        }

        private static void CheckCount(ulong count)
        {
            if (count < 1 || count > MaxReadings)
            {
                throw new BatchFormatException($"reading count {count} out of range 1..{MaxReadings}", false);
            }
        }

        private static void CheckTimes(ulong baseTime, ulong period)
        {
            if (baseTime > MaxTime)
            {
                throw new BatchFormatException("base time out of range", false);
            }

            if (period > uint.MaxValue)
            {
                throw new BatchFormatException("period out of range", false);
            }
        }

        /// <summary>Rejects channel c when listed before it (checked as each is read, so the error is the first found).</summary>
        private static void CheckDistinct(ChannelId[] channels, int c)
        {
            for (int d = 0; d < c; d++)
            {
                if (channels[d] == channels[c])
                {
                    throw new BatchFormatException("a channel is listed twice", false);
                }
            }
        }
    }
}
