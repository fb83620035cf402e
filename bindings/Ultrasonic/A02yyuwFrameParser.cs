namespace Gateway.Bindings.Ultrasonic
{
    /// <summary>
    /// Parses the 4-byte serial frames of the waterproof UART rangers (DFRobot A02YYUW, JSN-SR04T in mode 1/2):
    /// 0xFF, distance high byte, distance low byte, checksum = (0xFF + high + low) &amp; 0xFF; 9600 8N1; distance in mm.
    /// Bad frames are counted and skipped; the parser re-synchronises on the next 0xFF.
    /// </summary>
    public sealed class A02yyuwFrameParser
    {
        /// <summary>The frame header byte.</summary>
        public const byte Header = 0xFF;

        /// <summary>Frame length in bytes.</summary>
        public const int FrameLength = 4;

        private readonly byte[] _frame = new byte[FrameLength];
        private int _count;

        /// <summary>Frames with a valid checksum since construction.</summary>
        public int GoodFrames { get; private set; }

        /// <summary>Frames that started with the header but failed the checksum.</summary>
        public int BadChecksumFrames { get; private set; }

        /// <summary>Bytes skipped while looking for a header.</summary>
        public int DiscardedBytes { get; private set; }

        /// <summary>Forgets a partial frame (before a new measurement).</summary>
        public void Reset()
        {
            _count = 0;
        }

        /// <summary>The checksum of a frame's first three bytes.</summary>
        public static byte Checksum(byte high, byte low)
        {
            return (byte)((Header + high + low) & 0xFF);
        }

        /// <summary>
        /// Feeds one received byte; true when it completes a valid frame, with the distance in millimetres
        /// (0 means the module saw no echo).
        /// </summary>
        public bool TryFeed(byte value, out int distanceMillimeters)
        {
            distanceMillimeters = 0;
            if (_count == 0)
            {
                if (value != Header)
                {
                    DiscardedBytes++;
                    return false;
                }

                _frame[0] = value;
                _count = 1;
                return false;
            }

            _frame[_count++] = value;
            if (_count < FrameLength)
            {
                return false;
            }

            _count = 0;
            if (Checksum(_frame[1], _frame[2]) == _frame[3])
            {
                GoodFrames++;
                distanceMillimeters = (_frame[1] << 8) | _frame[2];
                return true;
            }

            BadChecksumFrames++;
            // Re-synchronise: a header may be hidden inside the rejected bytes.
            for (int i = 1; i < FrameLength; i++)
            {
                if (_frame[i] == Header)
                {
                    int keep = FrameLength - i;
                    for (int j = 0; j < keep; j++)
                    {
                        _frame[j] = _frame[i + j];
                    }

                    _count = keep;
                    DiscardedBytes += i;
                    return false;
                }
            }

            DiscardedBytes += FrameLength;
            return false;
        }
    }
}
