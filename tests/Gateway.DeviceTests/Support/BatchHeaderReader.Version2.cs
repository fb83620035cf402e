using Gateway.Core.Codec;
using Gateway.Core.Sensing;

namespace Gateway.DeviceTests.Support
{
    /// <content>The version-2 bit header (§9.2).</content>
    public sealed partial class BatchHeaderReader
    {
        private bool HeaderVersion2(int offset, out uint first, out int count, out int c, out int m)
        {
            first = 0;
            count = 0;
            c = 0;
            m = 0;
            _bitPos = (offset + 1) * 8;
            long a;
            long b;
            if (!Bits(1, out a))
            {
                return false;
            }

            if (a == 1)
            {
                KeyId = 1;
            }
            else
            {
                if (!Bits(8, out a))
                {
                    return false;
                }

                KeyId = (byte)a;
            }

            DeviceId = ExpectedDeviceId;
            BootCounter = 0;
            if (!Bits(1, out a))
            {
                return false;
            }

            if (a == 1)
            {
                long ms;
                if (!Bits(BatchFormat.CompactSequenceBits, out a) || !Bits(BatchFormat.CompactTimeBits, out b) || !Gamma(out ms) || ms > 1000)
                {
                    return false;
                }

                long modulus = BatchFormat.CompactSequenceModulus;
                long next = NextSequence;
                long d = (((a - next) % modulus) + modulus + (modulus / 2)) % modulus - (modulus / 2);
                long s = next + d;
                first = (uint)(s < 0 ? s + modulus : s);
                long anchor = LastBaseTimeMs / 1000;
                long tm = BatchFormat.CompactTimeModulus;
                long dt = (((b - anchor) % tm) + tm + (tm / 2)) % tm - (tm / 2);
                BaseTimeMs = ((anchor + dt) * 1000) + ms - 1;
            }
            else
            {
                long boot;
                if (!Delta(out a) || !Delta(out b) || !Delta(out boot))
                {
                    return false;
                }

                first = (uint)a;
                BaseTimeMs = b;
                BootCounter = (uint)boot;
            }

            if (!Bits(16, out a))
            {
                return false;
            }

            ChainLink = (int)a;
            if (!Bits(1, out a))
            {
                return false;
            }

            if (a == 1)
            {
                if (!Gamma(out a) || a > 100)
                {
                    return false;
                }

                byte[] list = BatchFormat.ProfileChannels((int)a);
                if (list == null)
                {
                    return false;
                }

                c = list.Length;
                for (int i = 0; i < c; i++)
                {
                    _channelList[i] = list[i];
                }

                m = BatchFormat.ProfilePattern((int)a);
            }
            else
            {
                if (!Bits(4, out a))
                {
                    return false;
                }

                c = (int)a + 1;
                for (int i = 0; i < c; i++)
                {
                    if (!Bits(8, out a))
                    {
                        return false;
                    }

                    _channelList[i] = (byte)a;
                }

                if (!Bits(4, out a) || a + 1 > c)
                {
                    return false;
                }

                m = (int)a + 1;
            }

            if (!Gamma(out a))
            {
                return false;
            }

            long z = a - 1;
            long n = m + ((z & 1) == 0 ? z >> 1 : -((z + 1) >> 1));
            if (n < 1 || n > _sequences.Length)
            {
                return false;
            }

            count = (int)n;
            RangeCoded = false;
            TimeBlock = false;
            if (n > m)
            {
                if (!Delta(out a) || !Bits(1, out a) || !Bits(1, out b))
                {
                    return false;
                }

                TimeBlock = a == 1;
                RangeCoded = b == 1;
            }

            return true;
        }
    }
}
