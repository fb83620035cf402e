using Gateway.Core.Codec;
using Gateway.Core.Sensing;

namespace Gateway.DeviceTests.Support
{
    /// <content>The exception list (§3.1) and the bit stream's primitive codes.</content>
    public sealed partial class BatchHeaderReader
    {
        /// <summary>The exception list (§3.1): statuses, gaps and channel exceptions; sequences from the first.</summary>
        private bool Exceptions(uint first, int count, int c)
        {
            // Exceptions: gamma(E + 1), then E entries in index order.
            long exceptions;
            if (!Gamma(out exceptions))
            {
                return false;
            }

            exceptions--;
            int index = 0;
            uint[] gaps = _sequences; // gaps first, sequences after
            for (long e = 0; e < exceptions; e++)
            {
                long delta;
                long kind;
                if (!Gamma(out delta) || !Bits(3, out kind))
                {
                    return false;
                }

                index += (int)(delta - 1);
                if (index < 0 || index >= count)
                {
                    return false;
                }

                long a;
                long b;
                switch ((int)kind)
                {
                    case 0:
                        if (!Bits(16, out a))
                        {
                            return false;
                        }

                        _statuses[index] = (ushort)a;
                        break;
                    case 1:
                        if (!Gamma(out a))
                        {
                            return false;
                        }

                        gaps[index] += (uint)a;
                        break;
                    case 2:
                        if (!Gamma(out a))
                        {
                            return false;
                        }

                        break;
                    case 3:
                        if (!Gamma(out a) || !Gamma(out b))
                        {
                            return false;
                        }

                        break;
                    case 4:
                        int width = 0;
                        while ((1 << width) < c)
                        {
                            width++;
                        }

                        if (!Bits(width, out a) || a >= c)
                        {
                            return false;
                        }

                        _channels[index] = _channelList[(int)a];
                        break;
                    default:
                        return false;
                }
            }

            uint seq = first;
            for (int j = 0; j < count; j++)
            {
                if (j > 0)
                {
                    seq = seq + 1 + gaps[j];
                }
                else
                {
                    seq = first + gaps[0];
                }

                _sequences[j] = seq;
            }

            Count = count;
            return true;
        }

        private static bool Varint(byte[] data, ref int pos, int end, out long value)
        {
            value = 0;
            for (int shift = 0; shift < 63; shift += 7)
            {
                if (pos >= end)
                {
                    return false;
                }

                int b = data[pos++];
                value |= (long)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return true;
                }
            }

            return false;
        }

        private bool Bits(int n, out long value)
        {
            value = 0;
            if (_bitPos + n > _bitEnd)
            {
                return false;
            }

            for (int i = 0; i < n; i++)
            {
                int bit = (_data[_bitPos >> 3] >> (7 - (_bitPos & 7))) & 1;
                value = (value << 1) | (long)bit;
                _bitPos++;
            }

            return true;
        }

        /// <summary>delta(x) of §9.1: gamma(L + 1), then the L − 1 bits below the top bit.</summary>
        private bool Delta(out long value)
        {
            long length;
            value = 0;
            if (!Gamma(out length) || length - 1 > 53)
            {
                return false;
            }

            length--;
            if (length <= 1)
            {
                value = length;
                return true;
            }

            long rest;
            if (!Bits((int)length - 1, out rest))
            {
                return false;
            }

            value = (1L << (int)(length - 1)) | rest;
            return true;
        }

        private bool Gamma(out long value)
        {
            value = 0;
            int zeros = 0;
            while (true)
            {
                long bit;
                if (!Bits(1, out bit))
                {
                    return false;
                }

                if (bit == 1)
                {
                    break;
                }

                zeros++;
                if (zeros > 52)
                {
                    return false;
                }
            }

            long rest;
            if (!Bits(zeros, out rest))
            {
                return false;
            }

            value = (1L << zeros) | rest;
            return true;
        }
    }
}
