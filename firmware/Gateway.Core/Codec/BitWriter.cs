using System;

namespace Gateway.Core.Codec
{
    /// <summary>
    /// Writes a bit stream most significant bit first into a caller's byte buffer, up to a byte limit. Past the
    /// limit it keeps counting bits but writes nothing and sets <see cref="Overflow"/>, so the same code both
    /// measures and writes. Allocates nothing.
    /// </summary>
    public sealed class BitWriter
    {
        private byte[] _buffer;
        private int _start;
        private int _limitBytes;
        private long _bitPosition;
        private bool _countOnly;

        /// <summary>Starts writing at <paramref name="start"/> of <paramref name="buffer"/>, at most <paramref name="limitBytes"/> bytes.</summary>
        public void Reset(byte[] buffer, int start, int limitBytes)
        {
            _buffer = buffer;
            _start = start;
            _limitBytes = limitBytes;
            _bitPosition = 0;
            _countOnly = buffer == null;
        }

        /// <summary>Starts counting bits only (nothing is written, no limit).</summary>
        public void ResetCounting()
        {
            Reset(null, 0, int.MaxValue);
        }

        /// <summary>Bits written (or counted) since the last reset.</summary>
        public long BitCount
        {
            get { return _bitPosition; }
        }

        /// <summary>Whole bytes used so far, the last one zero-padded.</summary>
        public int ByteCount
        {
            get { return (int)((_bitPosition + 7) >> 3); }
        }

        /// <summary>True when more bits were written than the byte limit holds.</summary>
        public bool Overflow
        {
            get { return _bitPosition > (long)_limitBytes * 8; }
        }

        /// <summary>Writes the low <paramref name="count"/> bits (0..64) of <paramref name="value"/>, MSB first.</summary>
        public void Write(ulong value, int count)
        {
            if (_countOnly || _bitPosition + count > (long)_limitBytes * 8)
            {
                _bitPosition += count;
                return;
            }

            while (count > 0)
            {
                int byteIndex = _start + (int)(_bitPosition >> 3);
                int used = (int)(_bitPosition & 7);
                int free = 8 - used;
                int take = count < free ? count : free;
                int bits = (int)((value >> (count - take)) & (ulong)((1 << take) - 1));
                if (used == 0)
                {
                    _buffer[byteIndex] = 0;
                }

                _buffer[byteIndex] |= (byte)(bits << (free - take));
                count -= take;
                _bitPosition += take;
            }
        }

        /// <summary>Writes one bit.</summary>
        public void WriteBit(int bit)
        {
            Write((ulong)(bit & 1), 1);
        }

        /// <summary>Writes <paramref name="count"/> one bits.</summary>
        public void WriteOnes(int count)
        {
            while (count > 0)
            {
                int take = count > 32 ? 32 : count;
                Write(0xFFFFFFFFUL, take);
                count -= take;
            }
        }

        /// <summary>Elias gamma code of <paramref name="value"/> (at least 1).</summary>
        public void WriteGamma(ulong value)
        {
            int length = BitLength(value) - 1;
            Write(0, length);
            Write(value, length + 1);
        }

        /// <summary>Signed value as gamma(zigzag + 1).</summary>
        public void WriteSignedGamma(long value)
        {
            WriteGamma(ZigZag(value) + 1);
        }

        /// <summary>Rice code of <paramref name="value"/> with parameter <paramref name="k"/>, with the format's escape.</summary>
        public void WriteRice(ulong value, int k)
        {
            ulong q = value >> k;
            if (q < BatchFormat.RiceEscapeQuotient)
            {
                WriteOnes((int)q);
                Write(0, 1);
                Write(value, k);
            }
            else
            {
                WriteOnes(BatchFormat.RiceEscapeQuotient);
                int length = BitLength(value);
                Write((ulong)length, 6);
                Write(value, length);
            }
        }

        /// <summary>Number of bits the Rice code of <paramref name="value"/> with parameter <paramref name="k"/> takes.</summary>
        public static int RiceBits(ulong value, int k)
        {
            ulong q = value >> k;
            if (q < BatchFormat.RiceEscapeQuotient)
            {
                return (int)q + 1 + k;
            }

            return BatchFormat.RiceEscapeQuotient + 6 + BitLength(value);
        }

        /// <summary>Number of bits the gamma code of <paramref name="value"/> (at least 1) takes.</summary>
        public static int GammaBits(ulong value)
        {
            return 2 * BitLength(value) - 1;
        }

        /// <summary>Position of the highest set bit plus one (0 for 0).</summary>
        public static int BitLength(ulong value)
        {
            int n = 0;
            while (value != 0)
            {
                value >>= 1;
                n++;
            }

            return n;
        }

        /// <summary>Maps signed to unsigned: 0, -1, 1, -2, ... to 0, 1, 2, 3, ...</summary>
        public static ulong ZigZag(long value)
        {
            return (ulong)((value << 1) ^ (value >> 63));
        }
    }
}
