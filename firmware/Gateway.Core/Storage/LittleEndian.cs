namespace Gateway.Core.Storage
{
    /// <summary>Little-endian integers in byte arrays (the byte order of every storage format).</summary>
    public static class LittleEndian
    {
        /// <summary>Writes a 16-bit value.</summary>
        public static void WriteUInt16(byte[] b, int o, int v)
        {
            b[o] = (byte)v;
            b[o + 1] = (byte)(v >> 8);
        }

        /// <summary>Writes a 32-bit value.</summary>
        public static void WriteUInt32(byte[] b, int o, uint v)
        {
            b[o] = (byte)v;
            b[o + 1] = (byte)(v >> 8);
            b[o + 2] = (byte)(v >> 16);
            b[o + 3] = (byte)(v >> 24);
        }

        /// <summary>Writes a 64-bit value.</summary>
        public static void WriteInt64(byte[] b, int o, long v)
        {
            WriteUInt32(b, o, (uint)v);
            WriteUInt32(b, o + 4, (uint)(v >> 32));
        }

        /// <summary>Reads a 16-bit value.</summary>
        public static int ReadUInt16(byte[] b, int o)
        {
            return b[o] | (b[o + 1] << 8);
        }

        /// <summary>Reads a 32-bit value.</summary>
        public static uint ReadUInt32(byte[] b, int o)
        {
            return (uint)(b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24));
        }

        /// <summary>Reads a 64-bit value.</summary>
        public static long ReadInt64(byte[] b, int o)
        {
            return (long)ReadUInt32(b, o) | ((long)ReadUInt32(b, o + 4) << 32);
        }
    }
}
