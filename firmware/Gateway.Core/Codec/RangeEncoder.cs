namespace Gateway.Core.Codec
{
    /// <summary>
    /// Binary adaptive range coder (the LZMA scheme: 32-bit range, 11-bit probabilities, adaptation shift 5) writing
    /// into a caller's buffer up to a limit, or only counting bytes. The always-zero first byte of the LZMA scheme
    /// is not written, so a stream is (normalisations + 4) bytes. Allocates nothing.
    /// </summary>
    public sealed class RangeEncoder
    {
        /// <summary>Probability scale (2^11).</summary>
        public const int ProbabilityOne = 2048;

        /// <summary>Initial probability (one half).</summary>
        public const ushort ProbabilityHalf = 1024;

        private byte[] _buffer;
        private int _position;
        private int _limit;
        private ulong _low;
        private uint _range;
        private byte _cache;
        private long _cacheSize;
        private bool _first;
        private int _count;

        /// <summary>Starts a stream at <paramref name="start"/> of <paramref name="buffer"/> (null: count only), at most <paramref name="limit"/> bytes.</summary>
        public void Reset(byte[] buffer, int start, int limit)
        {
            _buffer = buffer;
            _position = start;
            _limit = start + limit;
            _low = 0;
            _range = 0xFFFFFFFF;
            _cache = 0;
            _cacheSize = 1;
            _first = true;
            _count = 0;
        }

        /// <summary>Bytes produced so far (after <see cref="Flush"/>: the stream length).</summary>
        public int ByteCount
        {
            get { return _count; }
        }

        /// <summary>True when the stream ran past the limit (the bytes past it were not written).</summary>
        public bool Overflow
        {
            get { return _position > _limit; }
        }

        /// <summary>Approximate bits used so far, for choosing between alternatives.</summary>
        public long ApproximateBits
        {
            get
            {
                int rangeBits = 0;
                uint r = _range;
                while (r != 0)
                {
                    r >>= 1;
                    rangeBits++;
                }

                return ((long)_count + _cacheSize) * 8 + (32 - rangeBits);
            }
        }

        /// <summary>Encodes one bit with an adaptive probability (of a zero), updating it.</summary>
        public void EncodeBit(ushort[] probabilities, int index, int bit)
        {
            uint p = probabilities[index];
            uint bound = (_range >> 11) * p;
            if (bit == 0)
            {
                _range = bound;
                probabilities[index] = (ushort)(p + ((ProbabilityOne - p) >> 5));
            }
            else
            {
                _low += bound;
                _range -= bound;
                probabilities[index] = (ushort)(p - (p >> 5));
            }

            while (_range < (1u << 24))
            {
                _range <<= 8;
                ShiftLow();
            }
        }

        /// <summary>Encodes the low <paramref name="count"/> bits of <paramref name="value"/>, MSB first, each at probability one half.</summary>
        public void EncodeDirect(ulong value, int count)
        {
            for (int i = count - 1; i >= 0; i--)
            {
                _range >>= 1;
                if (((value >> i) & 1) != 0)
                {
                    _low += _range;
                }

                while (_range < (1u << 24))
                {
                    _range <<= 8;
                    ShiftLow();
                }
            }
        }

        /// <summary>Ends the stream (4 more bytes at most).</summary>
        public void Flush()
        {
            for (int i = 0; i < 5; i++)
            {
                ShiftLow();
            }
        }

        private void ShiftLow()
        {
            if ((uint)_low < 0xFF000000u || (_low >> 32) != 0)
            {
                byte carry = (byte)(_low >> 32);
                byte temp = _cache;
                do
                {
                    Output((byte)(temp + carry));
                    temp = 0xFF;
                }
                while (--_cacheSize != 0);
                _cache = (byte)((uint)_low >> 24);
            }

            _cacheSize++;
            _low = (ulong)((uint)_low << 8);
        }

        private void Output(byte b)
        {
            if (_first)
            {
                _first = false;
                return;
            }

            if (_buffer != null && _position < _limit)
            {
                _buffer[_position] = b;
            }

            _position++;
            _count++;
        }
    }
}
