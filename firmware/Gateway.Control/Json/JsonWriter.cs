using System;
using System.Collections;
using System.Text;

namespace Gateway.Control.Json
{
    /// <summary>
    /// Writes a tree (Hashtable, ArrayList, string, integers, double, bool, <see cref="JsonNull"/> or null) as
    /// canonical JSON: no whitespace, object members sorted by ordinal (UTF-16 code unit) order of their names,
    /// pure ASCII output (every character above U+007E and every control character as \uXXXX), integers in plain
    /// decimal, doubles with at most 15 significant digits and no culture dependence. The same tree always gives the
    /// same text on the device and on the host, so the text can be signed and compared.
    /// </summary>
    public static class JsonWriter
    {
        /// <summary>Writes <paramref name="value"/> as canonical JSON.</summary>
        public static string Write(object value)
        {
            var sb = new StringBuilder(256);
            Write(sb, value);
            return sb.ToString();
        }

        /// <summary>Appends <paramref name="value"/> as canonical JSON to <paramref name="sb"/>.</summary>
        public static void Write(StringBuilder sb, object value)
        {
            if (value == null || value is JsonNull)
            {
                sb.Append("null");
            }
            else if (value is string)
            {
                WriteString(sb, (string)value);
            }
            else if (value is bool)
            {
                sb.Append((bool)value ? "true" : "false");
            }
            else if (value is long)
            {
                WriteInteger(sb, (long)value);
            }
            else if (value is int)
            {
                WriteInteger(sb, (int)value);
            }
            else if (value is uint)
            {
                WriteInteger(sb, (uint)value);
            }
            else if (value is byte)
            {
                WriteInteger(sb, (byte)value);
            }
            else if (value is ushort)
            {
                WriteInteger(sb, (ushort)value);
            }
            else if (value is double)
            {
                WriteDouble(sb, (double)value);
            }
            else if (value is Hashtable)
            {
                WriteObject(sb, (Hashtable)value);
            }
            else if (value is ArrayList)
            {
                var list = (ArrayList)value;
                sb.Append('[');
                for (int i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    Write(sb, list[i]);
                }

                sb.Append(']');
            }
            else
            {
                WriteString(sb, value.ToString());
            }
        }

        /// <summary>Compares two strings by UTF-16 code unit (culture-independent), as the canonical order requires.</summary>
        public static int CompareOrdinal(string a, string b)
        {
            int n = a.Length < b.Length ? a.Length : b.Length;
            for (int i = 0; i < n; i++)
            {
                int d = a[i] - b[i];
                if (d != 0)
                {
                    return d;
                }
            }

            return a.Length - b.Length;
        }

        private static void WriteObject(StringBuilder sb, Hashtable obj)
        {
            var keys = new string[obj.Count];
            int k = 0;
            foreach (object key in obj.Keys)
            {
                keys[k++] = key.ToString();
            }

            // Insertion sort: objects are small, and this needs no comparer type.
            for (int i = 1; i < keys.Length; i++)
            {
                string x = keys[i];
                int j = i - 1;
                while (j >= 0 && CompareOrdinal(keys[j], x) > 0)
                {
                    keys[j + 1] = keys[j];
                    j--;
                }

                keys[j + 1] = x;
            }

            sb.Append('{');
            for (int i = 0; i < keys.Length; i++)
            {
                if (i > 0)
                {
                    sb.Append(',');
                }

                WriteString(sb, keys[i]);
                sb.Append(':');
                Write(sb, obj[keys[i]]);
            }

            sb.Append('}');
        }

        /// <summary>Appends a JSON string literal (quoted, escaped, ASCII only).</summary>
        public static void WriteString(StringBuilder sb, string s)
        {
            sb.Append('"');
            for (int i = 0; i < s.Length; i++)
            {
                char c = s[i];
                switch (c)
                {
                    case '"': sb.Append("\\\""); break;
                    case '\\': sb.Append("\\\\"); break;
                    case '\b': sb.Append("\\b"); break;
                    case '\f': sb.Append("\\f"); break;
                    case '\n': sb.Append("\\n"); break;
                    case '\r': sb.Append("\\r"); break;
                    case '\t': sb.Append("\\t"); break;
                    default:
                        if (c < ' ' || c > '~')
                        {
                            sb.Append("\\u");
                            AppendHex4(sb, c);
                        }
                        else
                        {
                            sb.Append(c);
                        }

                        break;
                }
            }

            sb.Append('"');
        }

        private static void AppendHex4(StringBuilder sb, int unit)
        {
            const string Digits = "0123456789abcdef";
            sb.Append(Digits[(unit >> 12) & 0xF]);
            sb.Append(Digits[(unit >> 8) & 0xF]);
            sb.Append(Digits[(unit >> 4) & 0xF]);
            sb.Append(Digits[unit & 0xF]);
        }

        /// <summary>Appends a signed integer in plain decimal (no culture, no grouping).</summary>
        public static void WriteInteger(StringBuilder sb, long value)
        {
            if (value == 0)
            {
                sb.Append('0');
                return;
            }

            // Work with the negative magnitude so long.MinValue needs no special case.
            long v = value > 0 ? -value : value;
            var digits = new char[20];
            int n = 0;
            while (v != 0)
            {
                digits[n++] = (char)('0' - (int)(v % 10));
                v /= 10;
            }

            if (value < 0)
            {
                sb.Append('-');
            }

            while (n > 0)
            {
                sb.Append(digits[--n]);
            }
        }

        /// <summary>
        /// Appends a double with at most 15 significant digits, without exponent for magnitudes in [1e-6, 1e15),
        /// otherwise as mantissa 'e' exponent. NaN and infinities are written as null (JSON has no such numbers).
        /// </summary>
        public static void WriteDouble(StringBuilder sb, double value)
        {
            if (double.IsNaN(value) || double.IsInfinity(value))
            {
                sb.Append("null");
                return;
            }

            if (value == 0.0)
            {
                // Negative zero keeps its sign: it is a distinct JSON value per RFC 8259 §6.
                sb.Append(BitConverter.DoubleToInt64Bits(value) < 0 ? "-0.0" : "0.0");
                return;
            }

            if (value < 0)
            {
                sb.Append('-');
                value = -value;
            }

            int exponent = 0;
            if (value >= 1e15 || value < 1e-6)
            {
                exponent = (int)Math.Floor(Math.Log10(value));
                value = value / Math.Pow(10.0, exponent);
                if (value >= 10.0)
                {
                    value /= 10.0;
                    exponent++;
                }
                else if (value < 1.0)
                {
                    value *= 10.0;
                    exponent--;
                }
            }

            AppendPlain(sb, value);
            if (exponent != 0)
            {
                sb.Append('e');
                WriteInteger(sb, exponent);
            }
        }

        private static void AppendPlain(StringBuilder sb, double value)
        {
            // value is in [1e-6, 1e15): integer part fits a long; the fraction gets the remaining significant digits.
            double intPart = Math.Floor(value);
            long whole = (long)intPart;
            int intDigits = whole == 0 ? 0 : CountDigits(whole);
            int fractionDigits = 15 - intDigits;
            if (whole == 0)
            {
                // Leading zeros of a small fraction are not significant.
                double f = value;
                while (f < 0.1 && fractionDigits < 21)
                {
                    f *= 10.0;
                    fractionDigits++;
                }
            }

            if (fractionDigits > 18)
            {
                fractionDigits = 18;
            }

            long scale = 1;
            for (int i = 0; i < fractionDigits; i++)
            {
                scale *= 10;
            }

            long fraction = (long)Math.Round((value - intPart) * scale);
            if (fraction >= scale)
            {
                whole++;
                fraction -= scale;
            }

            WriteInteger(sb, whole);
            sb.Append('.');
            if (fraction == 0)
            {
                sb.Append('0');
                return;
            }

            var digits = new char[fractionDigits];
            for (int i = fractionDigits - 1; i >= 0; i--)
            {
                digits[i] = (char)('0' + (int)(fraction % 10));
                fraction /= 10;
            }

            int last = fractionDigits - 1;
            while (last > 0 && digits[last] == '0')
            {
                last--;
            }

            sb.Append(digits, 0, last + 1);
        }

        private static int CountDigits(long v)
        {
            int n = 0;
            while (v > 0)
            {
                n++;
                v /= 10;
            }

            return n;
        }
    }
}
