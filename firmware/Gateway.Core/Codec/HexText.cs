using System.Text;

namespace Gateway.Core.Codec
{
    /// <summary>Hexadecimal text for keys and identifiers (console, provisioning blob), and masking for display.</summary>
    public static class HexText
    {
        private const string Digits = "0123456789abcdef";

        /// <summary>Lower-case hex of <paramref name="count"/> bytes from <paramref name="offset"/>.</summary>
        public static string ToHex(byte[] data, int offset, int count)
        {
            var chars = new char[count * 2];
            for (int i = 0; i < count; i++)
            {
                byte b = data[offset + i];
                chars[2 * i] = Digits[b >> 4];
                chars[(2 * i) + 1] = Digits[b & 0xF];
            }

            return new string(chars);
        }

        /// <summary>Lower-case hex of a whole array.</summary>
        public static string ToHex(byte[] data)
        {
            return ToHex(data, 0, data.Length);
        }

        /// <summary>
        /// Parses exactly <paramref name="byteCount"/> bytes of hex (upper or lower case; ':' and '-' separators
        /// allowed between bytes, as EUIs are often written). False on anything else; never throws.
        /// </summary>
        public static bool TryParse(string text, int byteCount, out byte[] bytes)
        {
            bytes = null;
            if (text == null)
            {
                return false;
            }

            var result = new byte[byteCount];
            int n = 0;
            int i = 0;
            while (i < text.Length)
            {
                char c = text[i];
                if ((c == ':' || c == '-') && n > 0 && i + 1 < text.Length)
                {
                    i++;
                    continue;
                }

                if (i + 1 >= text.Length || n >= byteCount)
                {
                    return false;
                }

                int hi = DigitValue(c);
                int lo = DigitValue(text[i + 1]);
                if (hi < 0 || lo < 0)
                {
                    return false;
                }

                result[n++] = (byte)((hi << 4) | lo);
                i += 2;
            }

            if (n != byteCount)
            {
                return false;
            }

            bytes = result;
            return true;
        }

        /// <summary>
        /// A secret for display: its length and first and last two hex digits only ("3f…e1 (32 bytes)"), enough to
        /// tell two keys apart on site, far too little to recover either.
        /// </summary>
        public static string Mask(byte[] secret)
        {
            if (secret == null || secret.Length == 0)
            {
                return "(not set)";
            }

            var sb = new StringBuilder();
            sb.Append(Digits[secret[0] >> 4]);
            sb.Append(Digits[secret[0] & 0xF]);
            sb.Append("..");
            byte last = secret[secret.Length - 1];
            sb.Append(Digits[last >> 4]);
            sb.Append(Digits[last & 0xF]);
            sb.Append(" (");
            sb.Append(secret.Length);
            sb.Append(" bytes)");
            return sb.ToString();
        }

        /// <summary>True when every byte is zero (an unset or placeholder key).</summary>
        public static bool IsAllZero(byte[] data)
        {
            for (int i = 0; i < data.Length; i++)
            {
                if (data[i] != 0)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// Decodes <paramref name="digits"/> hex characters of <paramref name="text"/> at <paramref name="offset"/> (a
        /// received line) into <paramref name="into"/> from index 0, allocating nothing. Returns the bytes written, or
        /// -1 when <paramref name="digits"/> is odd, more than <paramref name="into"/> holds, or a character is not a
        /// hex digit (upper or lower case).
        /// </summary>
        public static int Decode(byte[] text, int offset, int digits, byte[] into)
        {
            if (digits < 0 || (digits & 1) != 0 || digits / 2 > into.Length)
            {
                return -1;
            }

            for (int i = 0; i < digits; i += 2)
            {
                int hi = DigitValue((char)text[offset + i]);
                int lo = DigitValue((char)text[offset + i + 1]);
                if (hi < 0 || lo < 0)
                {
                    return -1;
                }

                into[i / 2] = (byte)((hi << 4) | lo);
            }

            return digits / 2;
        }

        /// <summary>Value of one hex digit (0..15), or -1 when <paramref name="c"/> is not one.</summary>
        public static int DigitValue(char c)
        {
            if (c >= '0' && c <= '9')
            {
                return c - '0';
            }

            if (c >= 'a' && c <= 'f')
            {
                return c - 'a' + 10;
            }

            if (c >= 'A' && c <= 'F')
            {
                return c - 'A' + 10;
            }

            return -1;
        }
    }
}
