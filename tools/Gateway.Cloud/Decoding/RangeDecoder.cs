namespace Gateway.Cloud.Decoding
{
    /// <summary>Decoder of the range-coded block section (the LZMA scheme without its always-zero first byte).</summary>
    internal sealed class RangeDecoder
    {
        private readonly byte[] _data;
        private readonly int _end;
        private int _position;
        private uint _range = 0xFFFFFFFF;
        private uint _code;

        public RangeDecoder(byte[] data, int start, int end)
        {
            _data = data;
            _position = start;
            _end = end;
            for (int i = 0; i < 4; i++)
            {
                _code = (_code << 8) | Next();
            }
        }

        /// <summary>Bytes consumed so far end here.</summary>
        public int Position => _position;

        private uint Next()
        {
            if (_position >= _end)
            {
                throw new BatchFormatException("the range-coded section ends too soon", true);
            }

            return _data[_position++];
        }

        public int DecodeBit(ushort[] probabilities, int index)
        {
            uint p = probabilities[index];
            uint bound = (_range >> 11) * p;
            int bit;
            if (_code < bound)
            {
                _range = bound;
                probabilities[index] = (ushort)(p + ((2048 - p) >> 5));
                bit = 0;
            }
            else
            {
                _code -= bound;
                _range -= bound;
                probabilities[index] = (ushort)(p - (p >> 5));
                bit = 1;
            }

            while (_range < (1u << 24))
            {
                _range <<= 8;
                _code = (_code << 8) | Next();
            }

            return bit;
        }

        public ulong DecodeDirect(int count)
        {
            ulong v = 0;
            for (int i = 0; i < count; i++)
            {
                _range >>= 1;
                int bit = 0;
                if (_code >= _range)
                {
                    _code -= _range;
                    bit = 1;
                }

                v = (v << 1) | (uint)bit;
                while (_range < (1u << 24))
                {
                    _range <<= 8;
                    _code = (_code << 8) | Next();
                }
            }

            return v;
        }

        public long DecodeGamma()
        {
            int zeros = 0;
            while (DecodeDirect(1) == 0)
            {
                zeros++;
                if (zeros > 52)
                {
                    throw new BatchFormatException("gamma code longer than 53 bits", false);
                }
            }

            return (long)((1UL << zeros) | DecodeDirect(zeros));
        }
    }
}
