namespace Gateway.Core.Storage
{
    /// <summary>Constants and header checks of the frame format, versions 1 and 2 (see README.md in this folder).</summary>
    public static class FrameFormat
    {
        /// <summary>First byte of every frame.</summary>
        public const byte Sync = 0x5A;

        /// <summary>The format version this code writes (compact header); version 1 frames are still read.</summary>
        public const byte Version = 2;

        /// <summary>The first format version (fixed 16-byte header), read from logs written before the update.</summary>
        public const byte Version1 = 1;

        /// <summary>Header length of a version 1 frame.</summary>
        public const int HeaderBytes = 16;

        /// <summary>Longest version 2 header: sync, flags, body length (3), first sequence (5), base time (10).</summary>
        public const int MaxHeaderBytes = 20;

        /// <summary>Bytes a frame costs beyond its body, at most (a version 1 header plus the CRC).</summary>
        public const int OverheadBytes = 20;

        /// <summary>Shortest possible frame (version 2, empty body): sync, flags, three one-byte fields, CRC.</summary>
        public const int MinFrameBytes = 9;

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

        /// <summary>
        /// Record tag (version 2): a group of readings of one instant, at the time of the previous record: a mask byte
        /// (bit i: channel i + 1, channels 1-8), then per set bit, ascending, a <c>uv</c> of (zigzag value delta × 2 +
        /// flagged) and, when flagged, a <c>uv</c> status.
        /// </summary>
        public const byte TagGroup = 0x85;

        /// <summary>Record tag (version 2): a group as <see cref="TagGroup"/>, a <c>zz</c> time delta before its mask.</summary>
        public const byte TagGroupTimed = 0x86;

        /// <summary>Longest end frame (either version).</summary>
        public const int EndFrameBytes = OverheadBytes + 8;

        /// <summary>
        /// Checks a header at <paramref name="o"/> with <paramref name="available"/> bytes from there; returns the whole
        /// frame length, or -1 when it cannot be a frame of a known version.
        /// </summary>
        public static int FrameLength(byte[] b, int o, int available)
        {
            uint first;
            long baseTime;
            int body;
            return ParseHeader(b, o, available, available, out first, out baseTime, out body);
        }

        /// <summary>
        /// Parses the header at <paramref name="o"/>: <paramref name="have"/> bytes of it are in <paramref name="b"/>,
        /// <paramref name="available"/> bytes remain in the file from there. Returns the whole frame length (-1 when it
        /// cannot be a frame of a known version) with the first sequence, base time and the body's offset from
        /// <paramref name="o"/>. The CRC is not checked here.
        /// </summary>
        public static int ParseHeader(byte[] b, int o, int have, int available, out uint first, out long baseTime, out int body)
        {
            first = 0;
            baseTime = 0;
            body = 0;
            if (have < 2 || available < MinFrameBytes || b[o] != Sync || (b[o + 1] & 0xC0) != 0)
            {
                return -1;
            }

            int version = b[o + 1] & 0x0F;
            int bodyLen;
            if (version == Version1)
            {
                if (have < HeaderBytes)
                {
                    return -1;
                }

                bodyLen = LittleEndian.ReadUInt16(b, o + 2);
                first = LittleEndian.ReadUInt32(b, o + 4);
                baseTime = LittleEndian.ReadInt64(b, o + 8);
                body = HeaderBytes;
            }
            else if (version == Version)
            {
                int p = o + 2;
                int end = o + have;
                ulong len;
                ulong seq;
                if (!Varint.TryReadUInt(b, ref p, end, out len) || len > 0xFFFF
                    || !Varint.TryReadUInt(b, ref p, end, out seq) || seq > 0xFFFFFFFF
                    || !Varint.TryReadZigZag(b, ref p, end, out baseTime))
                {
                    return -1;
                }

                bodyLen = (int)len;
                first = (uint)seq;
                body = p - o;
            }
            else
            {
                return -1;
            }

            int total = body + bodyLen + 4;
            return total <= available ? total : -1;
        }

        /// <summary>True when the CRC of a frame of length <paramref name="len"/> at <paramref name="o"/> matches.</summary>
        public static bool CrcMatches(byte[] b, int o, int len)
        {
            return Crc32.Compute(b, o, len - 4) == LittleEndian.ReadUInt32(b, o + len - 4);
        }
    }
}
