namespace Gateway.Core.Storage
{
    /// <summary>Constants and header checks of the frame format (see README.md in this folder).</summary>
    public static class FrameFormat
    {
        /// <summary>First byte of every frame.</summary>
        public const byte Sync = 0x5A;

        /// <summary>The format version this code writes and reads.</summary>
        public const byte Version = 1;

        /// <summary>Header length in bytes.</summary>
        public const int HeaderBytes = 16;

        /// <summary>Header plus CRC: the bytes a frame costs beyond its body.</summary>
        public const int OverheadBytes = 20;

        /// <summary>Flag: frame of a capacity rewrite.</summary>
        public const byte FlagRewrite = 0x10;

        /// <summary>Flag: end frame of a complete rewrite (body: superseded first and last sequence).</summary>
        public const byte FlagEnd = 0x20;

        /// <summary>Record tag: sequence skip.</summary>
        public const byte TagSkip = 0x80;

        /// <summary>Record tag: gap.</summary>
        public const byte TagGap = 0x81;

        /// <summary>Record tag: event (alarm and marker follow).</summary>
        public const byte TagEvent = 0x82;

        /// <summary>Length of an end frame.</summary>
        public const int EndFrameBytes = OverheadBytes + 8;

        /// <summary>
        /// Checks a header at <paramref name="o"/> with <paramref name="available"/> bytes from there; returns the whole
        /// frame length, or -1 when it cannot be a frame of this version.
        /// </summary>
        public static int FrameLength(byte[] b, int o, int available)
        {
            if (available < OverheadBytes || b[o] != Sync)
            {
                return -1;
            }

            byte flags = b[o + 1];
            if ((flags & 0x0F) != Version || (flags & 0xC0) != 0)
            {
                return -1;
            }

            int len = OverheadBytes + LittleEndian.ReadUInt16(b, o + 2);
            return len <= available ? len : -1;
        }

        /// <summary>True when the CRC of a frame of length <paramref name="len"/> at <paramref name="o"/> matches.</summary>
        public static bool CrcMatches(byte[] b, int o, int len)
        {
            return Crc32.Compute(b, o, len - 4) == LittleEndian.ReadUInt32(b, o + len - 4);
        }
    }
}
