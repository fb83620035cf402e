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
    public sealed partial class BatchHeaderReader
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
    }
}
