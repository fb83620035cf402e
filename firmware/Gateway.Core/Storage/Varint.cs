namespace Gateway.Core.Storage
{
    /// <summary>LEB128 unsigned varints and zigzag signed varints, bounds-checked on read.</summary>
    public static class Varint
    {
        /// <summary>Writes an unsigned varint; returns the position after it.</summary>
        public static int WriteUInt(byte[] b, int pos, ulong v)
        {
            while (v >= 0x80)
            {
                b[pos++] = (byte)(v | 0x80);
                v >>= 7;
            }

            b[pos++] = (byte)v;
            return pos;
        }

        /// <summary>Writes a signed value as a zigzag varint; returns the position after it.</summary>
        public static int WriteZigZag(byte[] b, int pos, long v)
        {
            return WriteUInt(b, pos, ZigZag(v));
        }

        /// <summary>The zigzag mapping of a signed value (0, -1, 1, -2 … → 0, 1, 2, 3 …).</summary>
        public static ulong ZigZag(long v)
        {
            return (ulong)((v << 1) ^ (v >> 63));
        }

        /// <summary>Bytes the unsigned varint of <paramref name="v"/> takes.</summary>
        public static int UIntBytes(ulong v)
        {
            int n = 1;
            while (v >= 0x80)
            {
                v >>= 7;
                n++;
            }

            return n;
        }

        /// <summary>Reads an unsigned varint of at most 10 bytes before <paramref name="end"/>; false when malformed.</summary>
        public static bool TryReadUInt(byte[] b, ref int pos, int end, out ulong value)
        {
            value = 0;
            int shift = 0;
            while (pos < end && shift < 70)
            {
                byte x = b[pos++];
                value |= (ulong)(x & 0x7F) << shift;
                if ((x & 0x80) == 0)
                {
                    return true;
                }

                shift += 7;
            }

            return false;
        }

        /// <summary>Reads a zigzag varint; false when malformed.</summary>
        public static bool TryReadZigZag(byte[] b, ref int pos, int end, out long value)
        {
            ulong u;
            bool ok = TryReadUInt(b, ref pos, end, out u);
            value = (long)(u >> 1) ^ -(long)(u & 1);
            return ok;
        }
    }
}
