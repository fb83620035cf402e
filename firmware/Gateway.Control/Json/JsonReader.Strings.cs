using System;
using System.Collections;
using System.Text;
using Gateway.Core.Codec;

namespace Gateway.Control.Json
{
    /// <summary>Strings: escapes, surrogate pairs and the length limit.</summary>
    public sealed partial class JsonReader
    {
        private bool TryReadString(out string value)
        {
            value = null;
            _pos++; // opening quote
            _text.Clear();
            while (true)
            {
                if (_pos >= _src.Length)
                {
                    return Fail("unterminated string");
                }

                char c = _src[_pos];
                if (c == '"')
                {
                    _pos++;
                    value = _text.ToString();
                    return true;
                }

                if (c < ' ')
                {
                    return Fail("control character " + Describe(c) + " in a string must be escaped");
                }

                if (_text.Length >= _maxStringChars)
                {
                    return Fail("string longer than " + _maxStringChars.ToString() + " characters");
                }

                if (c != '\\')
                {
                    _text.Append(c);
                    _pos++;
                    continue;
                }

                if (_pos + 1 >= _src.Length)
                {
                    return Fail("unterminated escape sequence");
                }

                char e = _src[_pos + 1];
                switch (e)
                {
                    case '"': _text.Append('"'); break;
                    case '\\': _text.Append('\\'); break;
                    case '/': _text.Append('/'); break;
                    case 'b': _text.Append('\b'); break;
                    case 'f': _text.Append('\f'); break;
                    case 'n': _text.Append('\n'); break;
                    case 'r': _text.Append('\r'); break;
                    case 't': _text.Append('\t'); break;
                    case 'u':
                        int unit;
                        if (!TryReadHex4(_pos + 2, out unit))
                        {
                            return Fail("\\u must be followed by four hexadecimal digits");
                        }

                        if (unit >= 0xDC00 && unit <= 0xDFFF)
                        {
                            return Fail("lone low surrogate \\u" + unit.ToString("X4"));
                        }

                        if (unit >= 0xD800 && unit <= 0xDBFF)
                        {
                            int low;
                            if (_pos + 12 > _src.Length
                                || _src[_pos + 6] != '\\' || _src[_pos + 7] != 'u'
                                || !TryReadHex4(_pos + 8, out low) || low < 0xDC00 || low > 0xDFFF)
                            {
                                return Fail("high surrogate \\u" + unit.ToString("X4") + " not followed by a \\u low surrogate");
                            }

                            _text.Append((char)unit);
                            _text.Append((char)low);
                            _pos += 12;
                            continue;
                        }

                        _text.Append((char)unit);
                        _pos += 6;
                        continue;
                    default:
                        return Fail("invalid escape sequence \\" + e.ToString());
                }

                _pos += 2;
            }
        }

        private bool TryReadHex4(int at, out int unit)
        {
            unit = 0;
            if (at + 4 > _src.Length)
            {
                return false;
            }

            for (int i = 0; i < 4; i++)
            {
                int d = HexText.DigitValue(_src[at + i]);
                if (d < 0)
                {
                    return false;
                }

                unit = (unit << 4) | d;
            }

            return true;
        }
    }
}
