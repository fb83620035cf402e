using Gateway.Core.Codec;

namespace Gateway.Bindings.Rak3172
{
    /// <summary>Bounded, allocation-free scanning of a line's bytes: integers, hex, fields and names.</summary>
    public sealed partial class AtResponseParser
    {
        private static void ParseDecimal(byte[] line, int p, int end, AtResponse into)
        {
            into.HasNumber = TryParseInt(line, p, end, -2000000000, 2000000000, out into.Number);
            if (!into.HasNumber)
            {
                into.Number = 0;
            }
        }

        private static void DecodeHexValue(byte[] line, int p, int end, AtResponse into)
        {
            if (end - p >= 2 && DecodeHex(line, p, end, into.Payload, out into.PayloadLength) == AtMalformedReason.None)
            {
                return;
            }

            into.PayloadLength = -1;
        }

        /// <summary>
        /// Splits [p, end) at ':' (and ',' when allowed) into at most <paramref name="max"/> fields, writing start/end
        /// pairs. Returns the field count, or -1 when there are more than <paramref name="max"/> fields.
        /// </summary>
        private static int Split(byte[] line, int p, int end, int[] bounds, int max, bool allowComma)
        {
            int n = 0;
            int start = p;
            for (int i = p; i <= end; i++)
            {
                bool sep = i == end || line[i] == (byte)':' || (allowComma && line[i] == (byte)',');
                if (!sep)
                {
                    continue;
                }

                if (n >= max)
                {
                    return -1;
                }

                bounds[2 * n] = start;
                bounds[(2 * n) + 1] = i;
                n++;
                start = i + 1;
            }

            return n;
        }

        private static bool TryParseInt(byte[] line, int p, int end, int min, int max, out int value)
        {
            value = 0;
            if (p >= end)
            {
                return false;
            }

            bool negative = false;
            if (line[p] == (byte)'-' || line[p] == (byte)'+')
            {
                negative = line[p] == (byte)'-';
                p++;
            }

            if (p >= end || end - p > 10)
            {
                return false;
            }

            long v = 0;
            for (int i = p; i < end; i++)
            {
                int d = line[i] - (byte)'0';
                if (d < 0 || d > 9)
                {
                    return false;
                }

                v = (v * 10) + d;
            }

            if (negative)
            {
                v = -v;
            }

            if (v < min || v > max)
            {
                return false;
            }

            value = (int)v;
            return true;
        }

        private static AtMalformedReason DecodeHex(byte[] line, int p, int end, byte[] into, out int count)
        {
            count = 0;
            int digits = end - p;
            if ((digits & 1) != 0)
            {
                return AtMalformedReason.OddHex;
            }

            if (digits / 2 > into.Length)
            {
                return AtMalformedReason.PayloadTooLong;
            }

            count = HexText.Decode(line, p, digits, into);
            if (count < 0)
            {
                count = 0;
                return AtMalformedReason.BadHexDigit;
            }

            return AtMalformedReason.None;
        }

        /// <summary>Event name comparison where '_' and ' ' are the same (old RUI3 printed "SEND CONFIRMED OK").</summary>
        private static bool NameIs(byte[] line, int p, int end, string name)
        {
            return end - p == name.Length && NamePrefix(line, p, end, name);
        }

        private static bool NamePrefix(byte[] line, int p, int end, string name)
        {
            if (end - p < name.Length)
            {
                return false;
            }

            for (int i = 0; i < name.Length; i++)
            {
                byte a = line[p + i];
                char c = name[i];
                if (a == (byte)c || ((a == (byte)' ' || a == (byte)'_') && (c == ' ' || c == '_')))
                {
                    continue;
                }

                return false;
            }

            return true;
        }

        private static bool SpanIs(byte[] line, int p, int end, string text)
        {
            return TextIs(line, p, end, text);
        }

        private static bool TextIs(byte[] line, int p, int end, string text)
        {
            return end - p == text.Length && StartsWith(line, p, end, text);
        }

        private static bool StartsWith(byte[] line, int p, int end, string text)
        {
            if (end - p < text.Length)
            {
                return false;
            }

            for (int i = 0; i < text.Length; i++)
            {
                if (line[p + i] != (byte)text[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
