using Gateway.Core.Codec;
using Gateway.Core.Sensing;

namespace Gateway.DeviceTests.Support
{
    /// <summary>
    /// Reads a batch's header (version 1 §2, version 2 §9.2 of firmware/Gateway.Core/Codec/README.md) and exception list (§3.1):
    /// enough for the test cloud to know which sequences, channels and statuses a batch carries, so it can
    /// acknowledge them the way the receiver does. Values and times are the cloud decoder's job (host-only); the
    /// device has no batch decoder. Allocates nothing after construction.
    /// </summary>
    public sealed class BatchHeaderReader
    {
        private readonly uint[] _sequences;
        private readonly byte[] _channels;
        private readonly ushort[] _statuses;
        private readonly byte[] _channelList = new byte[16];
        private byte[] _data;
        private int _bitPos;
        private int _bitEnd;

        /// <summary>Creates a reader for batches of at most <paramref name="maxReadings"/> readings.</summary>
        public BatchHeaderReader(int maxReadings)
        {
            _sequences = new uint[maxReadings];
            _channels = new byte[maxReadings];
            _statuses = new ushort[maxReadings];
        }

        /// <summary>Tag length of the last batch read, bytes.</summary>
        public int TagBytes { get; private set; }

        /// <summary>Key id of the last batch.</summary>
        public byte KeyId { get; private set; }

        /// <summary>Device id of the last batch.</summary>
        public uint DeviceId { get; private set; }

        /// <summary>Boot counter of the last batch.</summary>
        public uint BootCounter { get; private set; }

        /// <summary>Readings in the last batch.</summary>
        public int Count { get; private set; }

        /// <summary>The chain link (first two bytes of the previous batch's tag) of the last batch.</summary>
        public int ChainLink { get; private set; }

        /// <summary>Base time of the last batch (Unix ms).</summary>
        public long BaseTimeMs { get; private set; }

        /// <summary>True when the last batch's blocks are range coded (pattern byte bit 6).</summary>
        public bool RangeCoded { get; private set; }

        /// <summary>True when the last batch carries a time block (pattern byte bit 7).</summary>
        public bool TimeBlock { get; private set; }

        /// <summary>Sequence of reading <paramref name="index"/>.</summary>
        public uint Sequence(int index)
        {
            return _sequences[index];
        }

        /// <summary>Channel of reading <paramref name="index"/>.</summary>
        public ChannelId Channel(int index)
        {
            return (ChannelId)_channels[index];
        }

        /// <summary>Status flags of reading <paramref name="index"/>.</summary>
        public ReadingStatus Status(int index)
        {
            return (ReadingStatus)_statuses[index];
        }

        /// <summary>Version 2: the device the transport names (the id does not travel).</summary>
        public uint ExpectedDeviceId { get; set; }

        /// <summary>Version 2: the chain's next expected sequence, against which a compact first sequence is recovered.</summary>
        public uint NextSequence { get; set; }

        /// <summary>
        /// Version 2: the base time (Unix ms) of the last batch accepted; a compact time is recovered as the one nearest
        /// to it (this test cloud has no clock; the real receiver uses the arrival time, Codec/README.md §9.3).
        /// </summary>
        public long LastBaseTimeMs { get; set; }

        /// <summary>Version of the last batch read.</summary>
        public int Version { get; private set; }

        /// <summary>First sequence of the last batch (recovered for a compact one).</summary>
        public uint FirstSequence { get; private set; }

        /// <summary>
        /// Reads a batch; false when it is not a well-formed version-1 or version-2 header and exception list. Values
        /// and times are not decoded.
        /// </summary>
        public bool TryRead(byte[] data, int offset, int length)
        {
            Count = 0;
            if (length < 2)
            {
                return false;
            }

            int end = offset + length;
            int head = data[offset];
            Version = head >> 4;
            if ((Version != 1 && Version != 2) || (head & 0x0F) < 1 || (head & 0x0F) > 7)
            {
                return false;
            }

            TagBytes = 4 * ((head & 0x0F) + 1);
            _data = data;
            _bitEnd = (end - TagBytes) * 8;
            uint first;
            int count;
            int c;
            int m;
            if (Version == 1)
            {
                if (!HeaderVersion1(data, offset, end, out first, out count, out c, out m))
                {
                    return false;
                }
            }
            else if (!HeaderVersion2(offset, out first, out count, out c, out m))
            {
                return false;
            }

            FirstSequence = first;
            for (int j = 0; j < count; j++)
            {
                _channels[j] = _channelList[j % m];
                _statuses[j] = 0;
                _sequences[j] = 0;
            }

            return Exceptions(first, count, c);
        }

        private bool HeaderVersion1(byte[] data, int offset, int end, out uint first, out int count, out int c, out int m)
        {
            first = 0;
            count = 0;
            c = 0;
            m = 0;
            KeyId = data[offset + 1];
            int pos = offset + 2;
            long v;
            if (!Varint(data, ref pos, end, out v))
            {
                return false;
            }

            DeviceId = (uint)v;
            if (!Varint(data, ref pos, end, out v))
            {
                return false;
            }

            BootCounter = (uint)v;
            if (!Varint(data, ref pos, end, out v))
            {
                return false;
            }

            first = (uint)v;
            if (!Varint(data, ref pos, end, out v) || v < 1 || v > _sequences.Length)
            {
                return false;
            }

            count = (int)v;
            if (pos + 2 > end)
            {
                return false;
            }

            ChainLink = (data[pos] << 8) | data[pos + 1];
            pos += 2;
            if (!Varint(data, ref pos, end, out v))
            {
                return false;
            }

            BaseTimeMs = v;
            if (!Varint(data, ref pos, end, out v) || pos >= end)
            {
                return false;
            }

            c = data[pos++];
            if (c < 1 || c > 16 || pos + c + 1 > end)
            {
                return false;
            }

            for (int i = 0; i < c; i++)
            {
                _channelList[i] = data[pos++];
            }

            int pattern = data[pos++];
            m = pattern & 0x3F;
            if (m < 1 || m > c)
            {
                return false;
            }

            RangeCoded = (pattern & 0x40) != 0;
            TimeBlock = (pattern & 0x80) != 0;
            _bitPos = pos * 8;
            return true;
        }

        private bool HeaderVersion2(int offset, out uint first, out int count, out int c, out int m)
        {
            first = 0;
            count = 0;
            c = 0;
            m = 0;
            _bitPos = (offset + 1) * 8;
            long a;
            long b;
            if (!Bits(1, out a))
            {
                return false;
            }

            if (a == 1)
            {
                KeyId = 1;
            }
            else
            {
                if (!Bits(8, out a))
                {
                    return false;
                }

                KeyId = (byte)a;
            }

            DeviceId = ExpectedDeviceId;
            BootCounter = 0;
            if (!Bits(1, out a))
            {
                return false;
            }

            if (a == 1)
            {
                long ms;
                if (!Bits(BatchFormat.CompactSequenceBits, out a) || !Bits(BatchFormat.CompactTimeBits, out b) || !Gamma(out ms) || ms > 1000)
                {
                    return false;
                }

                long modulus = BatchFormat.CompactSequenceModulus;
                long next = NextSequence;
                long d = (((a - next) % modulus) + modulus + (modulus / 2)) % modulus - (modulus / 2);
                long s = next + d;
                first = (uint)(s < 0 ? s + modulus : s);
                long anchor = LastBaseTimeMs / 1000;
                long tm = BatchFormat.CompactTimeModulus;
                long dt = (((b - anchor) % tm) + tm + (tm / 2)) % tm - (tm / 2);
                BaseTimeMs = ((anchor + dt) * 1000) + ms - 1;
            }
            else
            {
                long boot;
                if (!Delta(out a) || !Delta(out b) || !Delta(out boot))
                {
                    return false;
                }

                first = (uint)a;
                BaseTimeMs = b;
                BootCounter = (uint)boot;
            }

            if (!Bits(16, out a))
            {
                return false;
            }

            ChainLink = (int)a;
            if (!Bits(1, out a))
            {
                return false;
            }

            if (a == 1)
            {
                if (!Gamma(out a) || a > 100)
                {
                    return false;
                }

                byte[] list = BatchFormat.ProfileChannels((int)a);
                if (list == null)
                {
                    return false;
                }

                c = list.Length;
                for (int i = 0; i < c; i++)
                {
                    _channelList[i] = list[i];
                }

                m = BatchFormat.ProfilePattern((int)a);
            }
            else
            {
                if (!Bits(4, out a))
                {
                    return false;
                }

                c = (int)a + 1;
                for (int i = 0; i < c; i++)
                {
                    if (!Bits(8, out a))
                    {
                        return false;
                    }

                    _channelList[i] = (byte)a;
                }

                if (!Bits(4, out a) || a + 1 > c)
                {
                    return false;
                }

                m = (int)a + 1;
            }

            if (!Gamma(out a))
            {
                return false;
            }

            long z = a - 1;
            long n = m + ((z & 1) == 0 ? z >> 1 : -((z + 1) >> 1));
            if (n < 1 || n > _sequences.Length)
            {
                return false;
            }

            count = (int)n;
            RangeCoded = false;
            TimeBlock = false;
            if (n > m)
            {
                if (!Delta(out a) || !Bits(1, out a) || !Bits(1, out b))
                {
                    return false;
                }

                TimeBlock = a == 1;
                RangeCoded = b == 1;
            }

            return true;
        }

        /// <summary>The exception list (§3.1): statuses, gaps and channel exceptions; sequences from the first.</summary>
        private bool Exceptions(uint first, int count, int c)
        {
            // Exceptions: gamma(E + 1), then E entries in index order.
            long exceptions;
            if (!Gamma(out exceptions))
            {
                return false;
            }

            exceptions--;
            int index = 0;
            uint[] gaps = _sequences; // gaps first, sequences after
            for (long e = 0; e < exceptions; e++)
            {
                long delta;
                long kind;
                if (!Gamma(out delta) || !Bits(3, out kind))
                {
                    return false;
                }

                index += (int)(delta - 1);
                if (index < 0 || index >= count)
                {
                    return false;
                }

                long a;
                long b;
                switch ((int)kind)
                {
                    case 0:
                        if (!Bits(16, out a))
                        {
                            return false;
                        }

                        _statuses[index] = (ushort)a;
                        break;
                    case 1:
                        if (!Gamma(out a))
                        {
                            return false;
                        }

                        gaps[index] += (uint)a;
                        break;
                    case 2:
                        if (!Gamma(out a))
                        {
                            return false;
                        }

                        break;
                    case 3:
                        if (!Gamma(out a) || !Gamma(out b))
                        {
                            return false;
                        }

                        break;
                    case 4:
                        int width = 0;
                        while ((1 << width) < c)
                        {
                            width++;
                        }

                        if (!Bits(width, out a) || a >= c)
                        {
                            return false;
                        }

                        _channels[index] = _channelList[(int)a];
                        break;
                    default:
                        return false;
                }
            }

            uint seq = first;
            for (int j = 0; j < count; j++)
            {
                if (j > 0)
                {
                    seq = seq + 1 + gaps[j];
                }
                else
                {
                    seq = first + gaps[0];
                }

                _sequences[j] = seq;
            }

            Count = count;
            return true;
        }

        private static bool Varint(byte[] data, ref int pos, int end, out long value)
        {
            value = 0;
            for (int shift = 0; shift < 63; shift += 7)
            {
                if (pos >= end)
                {
                    return false;
                }

                int b = data[pos++];
                value |= (long)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return true;
                }
            }

            return false;
        }

        private bool Bits(int n, out long value)
        {
            value = 0;
            if (_bitPos + n > _bitEnd)
            {
                return false;
            }

            for (int i = 0; i < n; i++)
            {
                int bit = (_data[_bitPos >> 3] >> (7 - (_bitPos & 7))) & 1;
                value = (value << 1) | (long)bit;
                _bitPos++;
            }

            return true;
        }

        /// <summary>delta(x) of §9.1: gamma(L + 1), then the L − 1 bits below the top bit.</summary>
        private bool Delta(out long value)
        {
            long length;
            value = 0;
            if (!Gamma(out length) || length - 1 > 53)
            {
                return false;
            }

            length--;
            if (length <= 1)
            {
                value = length;
                return true;
            }

            long rest;
            if (!Bits((int)length - 1, out rest))
            {
                return false;
            }

            value = (1L << (int)(length - 1)) | rest;
            return true;
        }

        private bool Gamma(out long value)
        {
            value = 0;
            int zeros = 0;
            while (true)
            {
                long bit;
                if (!Bits(1, out bit))
                {
                    return false;
                }

                if (bit == 1)
                {
                    break;
                }

                zeros++;
                if (zeros > 52)
                {
                    return false;
                }
            }

            long rest;
            if (!Bits(zeros, out rest))
            {
                return false;
            }

            value = (1L << zeros) | rest;
            return true;
        }
    }
}
