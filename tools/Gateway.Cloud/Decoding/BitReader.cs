using System;

namespace Gateway.Cloud.Decoding
{
    /// <summary>Thrown by the decoder on input that is not a valid batch; <see cref="Truncated"/> when it simply ends too soon.</summary>
    public sealed class BatchFormatException : Exception
    {
        /// <summary>Creates the error.</summary>
        public BatchFormatException(string message, bool truncated) : base(message) => Truncated = truncated;

        /// <summary>True when the input ended before the batch did.</summary>
        public bool Truncated { get; }
    }

    /// <summary>Reads the batch bit stream (MSB first) with bounds checks on every read.</summary>
    internal sealed class BitReader
    {
        /// <summary>Largest value a gamma code may carry (2^53 − 1, so the JavaScript decoder agrees).</summary>
        public const long MaxGamma = (1L << 53) - 1;

        private readonly byte[] _data;
        private readonly int _start;
        private readonly long _endBit;
        private long _bit;

        public BitReader(byte[] data, int start, int end)
        {
            _data = data;
            _start = start;
            _endBit = (long)(end - start) * 8;
        }

        public long Position => _bit;

        public int BytesUsed => (int)((_bit + 7) >> 3);

        public ulong Read(int count)
        {
            if (_bit + count > _endBit)
            {
                throw new BatchFormatException("the bit stream ends too soon", true);
            }

            ulong v = 0;
            for (int i = 0; i < count; i++)
            {
                long b = _bit++;
                v = (v << 1) | (uint)((_data[_start + (int)(b >> 3)] >> (7 - (int)(b & 7))) & 1);
            }

            return v;
        }

        public int ReadBit() => (int)Read(1);

        public long ReadGamma()
        {
            int zeros = 0;
            while (ReadBit() == 0)
            {
                zeros++;
                if (zeros > 52)
                {
                    throw new BatchFormatException("gamma code longer than 53 bits", false);
                }
            }

            return (long)((1UL << zeros) | Read(zeros));
        }

        public long ReadSignedGamma()
        {
            long z = ReadGamma() - 1;
            return (z & 1) == 0 ? z >> 1 : -((z + 1) >> 1);
        }

        public long ReadRice(int k)
        {
            int q = 0;
            while (q < Gateway.Core.Codec.BatchFormat.RiceEscapeQuotient && ReadBit() == 1)
            {
                q++;
            }

            if (q < Gateway.Core.Codec.BatchFormat.RiceEscapeQuotient)
            {
                if (k > 35)
                {
                    throw new BatchFormatException("Rice parameter out of range", false);
                }

                return ((long)q << k) | (long)Read(k);
            }

            int length = (int)Read(6);
            if (length < 1 || length > 35)
            {
                throw new BatchFormatException("Rice escape length out of range", false);
            }

            long value = (long)Read(length);
            if (value >> (length - 1) != 1)
            {
                throw new BatchFormatException("Rice escape value is not of its stated length", false);
            }

            return value;
        }

        /// <summary>Checks the padding bits of the last byte are zero.</summary>
        public void CheckPadding()
        {
            while ((_bit & 7) != 0)
            {
                if (Read(1) != 0)
                {
                    throw new BatchFormatException("padding bits are not zero", false);
                }
            }
        }
    }
}
