namespace Gateway.Core.Uplink
{
    /// <summary>
    /// Splits a byte stream from a UART into lines ended by LF (a CR before it is dropped), into a fixed buffer: no
    /// allocation per byte or line. A line longer than the buffer is discarded whole and reported once as an overflow,
    /// so a noisy line can never grow memory or glue two lines together.
    /// </summary>
    public sealed class LineAssembler
    {
        private readonly byte[] _line;
        private int _length;
        private int _pending;
        private bool _overflowing;
        private bool _atLineStart = true;
        private bool _dropSpace;

        /// <summary><see cref="Push(byte, int)"/>'s answer when the data prompt arrived at the start of a line.</summary>
        public const int PromptSeen = 2;

        /// <summary>Creates an assembler for lines of at most <paramref name="capacity"/> bytes.</summary>
        public LineAssembler(int capacity)
        {
            _line = new byte[capacity];
        }

        /// <summary>The bytes of the last completed line (valid until the next <see cref="Push(byte)"/>).</summary>
        public byte[] Line
        {
            get { return _line; }
        }

        /// <summary>Length of the last completed line.</summary>
        public int Length
        {
            get { return _length; }
        }

        /// <summary>
        /// Feeds one byte. Returns 1 when a line is complete (read <see cref="Line"/>/<see cref="Length"/>),
        /// <see cref="SerialLineStatus.Overflow"/> when an overlong line just ended, 0 otherwise.
        /// </summary>
        public int Push(byte b)
        {
            if (b == (byte)'\n')
            {
                if (_overflowing)
                {
                    _overflowing = false;
                    _length = 0;
                    _pending = 0;
                    return SerialLineStatus.Overflow;
                }

                _length = _pending;
                if (_length > 0 && _line[_length - 1] == (byte)'\r')
                {
                    _length--;
                }

                _pending = 0;
                return 1;
            }

            if (_overflowing)
            {
                return 0;
            }

            if (_pending >= _line.Length)
            {
                _overflowing = true;
                return 0;
            }

            _line[_pending++] = b;
            return 0;
        }

        /// <summary>
        /// Feeds one byte from a modem that answers some commands with a data prompt ("&gt; " with no line end, as the
        /// SIM7080G does after AT+SMPUB): returns <see cref="PromptSeen"/> when <paramref name="prompt"/> arrives at the
        /// start of a line (the one space after it is dropped), otherwise as <see cref="Push(byte)"/>. A negative
        /// <paramref name="prompt"/> disables prompt detection.
        /// </summary>
        public int Push(byte b, int prompt)
        {
            if (_dropSpace)
            {
                _dropSpace = false;
                if (b == (byte)' ')
                {
                    return 0;
                }
            }

            if (prompt >= 0 && b == prompt && _atLineStart)
            {
                _dropSpace = true;
                return PromptSeen;
            }

            int r = Push(b);
            _atLineStart = r != 0;
            return r;
        }

        /// <summary>
        /// Copies the last completed line into <paramref name="buffer"/>; returns its length, or
        /// <see cref="SerialLineStatus.Overflow"/> when it does not fit in <paramref name="capacity"/>.
        /// </summary>
        public int CopyLine(byte[] buffer, int offset, int capacity)
        {
            if (_length > capacity)
            {
                return SerialLineStatus.Overflow;
            }

            System.Array.Copy(_line, 0, buffer, offset, _length);
            return _length;
        }

        /// <summary>Forgets a partly received line (and any prompt state).</summary>
        public void Reset()
        {
            _pending = 0;
            _length = 0;
            _overflowing = false;
            _atLineStart = true;
            _dropSpace = false;
        }
    }
}
