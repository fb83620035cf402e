using System;

namespace Gateway.Core.Codec
{
    /// <summary>
    /// LoRaWAN DR2 (11-byte payloads, AS923 dwell limit): one batch sent as up to 16 fragments on fPort 2
    /// (Codec/README.md §5.1). Byte 0 of a fragment: fragment index (high nibble), fragment count − 1 (low nibble);
    /// then up to 10 batch bytes. Nothing is proven per fragment; the reassembled batch carries the tag.
    /// </summary>
    public static class BatchFragmenter
    {
        /// <summary>The LoRaWAN port of fragments (whole batches use port 1).</summary>
        public const byte FragmentPort = 2;

        /// <summary>The LoRaWAN port of whole batches.</summary>
        public const byte BatchPort = 1;

        /// <summary>Application payload at DR2 with the dwell limit.</summary>
        public const int FrameBytes = 11;

        /// <summary>Batch bytes per fragment.</summary>
        public const int PayloadPerFragment = FrameBytes - 1;

        /// <summary>Most fragments of one batch.</summary>
        public const int MaxFragments = 16;

        /// <summary>The batch budget to encode for when sending as <paramref name="fragments"/> DR2 frames.</summary>
        public static int BudgetFor(int fragments)
        {
            if (fragments < 1 || fragments > MaxFragments)
            {
                throw new ArgumentOutOfRangeException("fragments");
            }

            return fragments * PayloadPerFragment;
        }

        /// <summary>Fragments a batch of <paramref name="length"/> bytes needs.</summary>
        public static int FragmentCount(int length)
        {
            return (length + PayloadPerFragment - 1) / PayloadPerFragment;
        }

        /// <summary>
        /// Writes fragment <paramref name="index"/> of the batch into <paramref name="frame"/>; returns the frame
        /// length (2..11 bytes).
        /// </summary>
        public static int WriteFragment(byte[] batch, int offset, int length, int index, byte[] frame, int frameOffset)
        {
            int count = FragmentCount(length);
            if (count < 1 || count > MaxFragments || index < 0 || index >= count)
            {
                throw new ArgumentOutOfRangeException("index");
            }

            int start = index * PayloadPerFragment;
            int take = length - start < PayloadPerFragment ? length - start : PayloadPerFragment;
            frame[frameOffset] = (byte)((index << 4) | (count - 1));
            Array.Copy(batch, offset + start, frame, frameOffset + 1, take);
            return take + 1;
        }
    }
}
