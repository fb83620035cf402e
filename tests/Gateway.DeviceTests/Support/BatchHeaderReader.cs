using Gateway.Core.Sensing;

namespace Gateway.DeviceTests.Support
{
    /// <summary>
    /// Reads a version-1 batch's byte header and exception list (firmware/Gateway.Core/Codec/README.md §2 and §3.1):
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

        /// <summary>Reads a batch; false when it is not a well-formed version-1 header and exception list.</summary>
        public bool TryRead(byte[] data, int offset, int length)
        {
            Count = 0;
            if (length < 2)
            {
                return false;
            }

            int end = offset + length;
            int head = data[offset];
            if ((head >> 4) != 1 || (head & 0x0F) < 1 || (head & 0x0F) > 7)
            {
                return false;
            }

            TagBytes = 4 * ((head & 0x0F) + 1);
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

            uint first = (uint)v;
            if (!Varint(data, ref pos, end, out v) || v < 1 || v > _sequences.Length)
            {
                return false;
            }

            int count = (int)v;
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

            int c = data[pos++];
            if (c < 1 || c > 16 || pos + c + 1 > end)
            {
                return false;
            }

            for (int i = 0; i < c; i++)
            {
                _channelList[i] = data[pos++];
            }

            int pattern = data[pos++];
            int m = pattern & 0x3F;
            if (m < 1 || m > c)
            {
                return false;
            }

            RangeCoded = (pattern & 0x40) != 0;
            TimeBlock = (pattern & 0x80) != 0;
            for (int j = 0; j < count; j++)
            {
                _channels[j] = _channelList[j % m];
                _statuses[j] = 0;
                _sequences[j] = 0;
            }

            // Exceptions: gamma(E + 1), then E entries in index order.
            _data = data;
            _bitPos = pos * 8;
            _bitEnd = (end - TagBytes) * 8;
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
