using System;
using System.Collections;
using System.Text;
using Gateway.Core.Codec;

namespace Gateway.Control.Json
{
    /// <summary>Numbers: RFC 8259 grammar, integers exact to 64 bits, decimals composed without culture or allocation.</summary>
    public sealed partial class JsonReader
    {
        private bool TryReadNumber(out object value)
        {
            value = null;
            int start = _pos;
            bool negative = false;
            if (_src[_pos] == '-')
            {
                negative = true;
                _pos++;
            }

            if (_pos >= _src.Length || !IsDigit(_src[_pos]))
            {
                return Fail("a digit was expected in the number");
            }

            // Significant digits accumulate into a ulong (up to 19 digits); further digits only shift the exponent.
            ulong mantissa = 0;
            int digits = 0;
            int exponentAdjust = 0;
            bool nonZeroSeen = false;

            if (_src[_pos] == '0')
            {
                _pos++;
                if (_pos < _src.Length && IsDigit(_src[_pos]))
                {
                    _pos = start;
                    return Fail("leading zeros are not allowed in numbers");
                }
            }
            else
            {
                while (_pos < _src.Length && IsDigit(_src[_pos]))
                {
                    AccumulateDigit(_src[_pos], ref mantissa, ref digits, ref exponentAdjust, ref nonZeroSeen, false);
                    _pos++;
                }
            }

            bool isInteger = true;
            if (_pos < _src.Length && _src[_pos] == '.')
            {
                isInteger = false;
                _pos++;
                if (_pos >= _src.Length || !IsDigit(_src[_pos]))
                {
                    return Fail("a digit was expected after the decimal point");
                }

                while (_pos < _src.Length && IsDigit(_src[_pos]))
                {
                    AccumulateDigit(_src[_pos], ref mantissa, ref digits, ref exponentAdjust, ref nonZeroSeen, true);
                    _pos++;
                }
            }

            int exponent = 0;
            if (_pos < _src.Length && (_src[_pos] == 'e' || _src[_pos] == 'E'))
            {
                isInteger = false;
                _pos++;
                bool expNegative = false;
                if (_pos < _src.Length && (_src[_pos] == '+' || _src[_pos] == '-'))
                {
                    expNegative = _src[_pos] == '-';
                    _pos++;
                }

                if (_pos >= _src.Length || !IsDigit(_src[_pos]))
                {
                    return Fail("a digit was expected in the exponent");
                }

                while (_pos < _src.Length && IsDigit(_src[_pos]))
                {
                    if (exponent < 100000)
                    {
                        exponent = exponent * 10 + (_src[_pos] - '0');
                    }

                    _pos++;
                }

                if (expNegative)
                {
                    exponent = -exponent;
                }
            }

            if (isInteger && exponentAdjust == 0 && !(negative && mantissa == 0))
            {
                // An integer that fits a long stays exact.
                if (!negative && mantissa <= 9223372036854775807UL)
                {
                    value = (long)mantissa;
                    return true;
                }

                if (negative && mantissa <= 9223372036854775808UL)
                {
                    value = mantissa == 9223372036854775808UL ? long.MinValue : -(long)mantissa;
                    return true;
                }
            }

            double d = Compose(mantissa, exponent + exponentAdjust);
            if (double.IsInfinity(d))
            {
                _pos = start;
                return Fail("number too large for a double");
            }

            value = negative ? -d : d;
            return true;
        }

        private static void AccumulateDigit(char c, ref ulong mantissa, ref int digits, ref int exponentAdjust, ref bool nonZeroSeen, bool fraction)
        {
            int d = c - '0';
            if (!nonZeroSeen && d == 0)
            {
                // Leading zeros (only possible in the fraction) just scale the value.
                if (fraction)
                {
                    exponentAdjust--;
                }

                return;
            }

            nonZeroSeen = true;
            if (digits < 19)
            {
                mantissa = mantissa * 10 + (ulong)d;
                digits++;
                if (fraction)
                {
                    exponentAdjust--;
                }
            }
            else if (!fraction)
            {
                // Digit dropped from the integer part: the value is ten times larger.
                exponentAdjust++;
            }
        }

        private static double Compose(ulong mantissa, int exponent)
        {
            if (mantissa == 0)
            {
                return 0.0;
            }

            double m = (double)mantissa;
            if (mantissa < (1UL << 53))
            {
                if (exponent >= 0 && exponent <= 22)
                {
                    return m * ExactPowersOfTen[exponent];
                }

                if (exponent < 0 && exponent >= -22)
                {
                    return m / ExactPowersOfTen[-exponent];
                }
            }

            if (exponent > 400)
            {
                return double.PositiveInfinity;
            }

            if (exponent < -400)
            {
                return 0.0;
            }

            // Split the scaling in two steps so that neither intermediate overflows or underflows needlessly.
            int half = exponent / 2;
            return m * Math.Pow(10.0, half) * Math.Pow(10.0, exponent - half);
        }

        private static bool IsDigit(char c)
        {
            return c >= '0' && c <= '9';
        }
    }
}
