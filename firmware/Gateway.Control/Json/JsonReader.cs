using System;
using System.Collections;
using System.Text;
using Gateway.Core.Codec;

namespace Gateway.Control.Json
{
    /// <summary>
    /// A strict RFC 8259 JSON reader that builds a tree of <see cref="Hashtable"/> (objects), <see cref="ArrayList"/>
    /// (arrays), <see cref="string"/>, <see cref="long"/> (integers that fit), <see cref="double"/> (every other
    /// number, and -0), <see cref="bool"/> and <see cref="JsonNull.Value"/>.
    /// </summary>
    /// <remarks>
    /// The same code runs on nanoFramework and on the host, and never throws on bad input: <see cref="TryParse"/>
    /// returns false and sets <see cref="ErrorMessage"/>, <see cref="ErrorPosition"/> (character index) and
    /// <see cref="ErrorPath"/> (the member path where the problem is, e.g. "river.caution_mm" or "transport.failover[1]").
    /// Rejected beyond RFC 8259's grammar: duplicate object keys, lone UTF-16 surrogates in \u escapes, numbers whose
    /// magnitude overflows a double, and anything beyond the limits. Numbers are converted without the culture-bound
    /// double.Parse: correctly rounded for up to 15 significant digits and a decimal exponent within ±22 (every value a
    /// configuration holds), otherwise within a few units in the last place. One instance is not thread-safe.
    /// </remarks>
    public sealed partial class JsonReader
    {
        private static readonly double[] ExactPowersOfTen =
        {
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
            1e19, 1e20, 1e21, 1e22,
        };

        private readonly int _maxDepth;
        private readonly int _maxDocumentChars;
        private readonly int _maxStringChars;
        private readonly StringBuilder _text;
        private readonly string[] _pathKeys;
        private readonly int[] _pathIndices;

        private string _src;
        private int _pos;
        private int _depth;

        /// <summary>Creates a reader with limits suited to configuration documents (depth 16, 16384 chars, strings 1024 chars).</summary>
        public JsonReader()
            : this(16, 16384, 1024)
        {
        }

        /// <summary>Creates a reader with explicit limits.</summary>
        /// <param name="maxDepth">Deepest nesting of objects and arrays allowed (1..64; the top-level container is depth 1).</param>
        /// <param name="maxDocumentChars">Longest document accepted, in UTF-16 characters.</param>
        /// <param name="maxStringChars">Longest string or key accepted, in decoded characters.</param>
        public JsonReader(int maxDepth, int maxDocumentChars, int maxStringChars)
        {
            if (maxDepth < 1)
            {
                maxDepth = 1;
            }

            if (maxDepth > 64)
            {
                maxDepth = 64;
            }

            _maxDepth = maxDepth;
            _maxDocumentChars = maxDocumentChars;
            _maxStringChars = maxStringChars;
            _text = new StringBuilder(64);
            _pathKeys = new string[maxDepth + 1];
            _pathIndices = new int[maxDepth + 1];
        }

        /// <summary>Why the last <see cref="TryParse"/> failed, or null after success.</summary>
        public string ErrorMessage { get; private set; }

        /// <summary>Character index in the document where the last failure was detected, or -1 after success.</summary>
        public int ErrorPosition { get; private set; }

        /// <summary>Member path of the value being read when the last failure was detected ("" for the top level).</summary>
        public string ErrorPath { get; private set; }

        /// <summary>
        /// Parses a whole JSON document (any value at the top level, surrounded by optional whitespace).
        /// </summary>
        /// <param name="text">The document; null is rejected.</param>
        /// <param name="value">The parsed tree on success, otherwise null.</param>
        /// <returns>True when the document is valid and within the limits.</returns>
        public bool TryParse(string text, out object value)
        {
            value = null;
            ErrorMessage = null;
            ErrorPosition = -1;
            ErrorPath = null;
            _src = text;
            _pos = 0;
            _depth = 0;
            try
            {
                if (text == null)
                {
                    return Fail("no document");
                }

                if (text.Length > _maxDocumentChars)
                {
                    return Fail("document longer than " + _maxDocumentChars.ToString() + " characters");
                }

                SkipWhitespace();
                object v;
                if (!TryReadValue(out v))
                {
                    return false;
                }

                SkipWhitespace();
                if (_pos != _src.Length)
                {
                    return Fail("unexpected text after the document");
                }

                value = v;
                return true;
            }
            catch (Exception ex)
            {
                // Defensive: a reader bug must not take the caller down (out of memory, for instance).
                value = null;
                return Fail("internal error: " + ex.Message);
            }
            finally
            {
                _src = null;
            }
        }

        // ------------------------------------------------------------------ values

        private bool TryReadValue(out object value)
        {
            value = null;
            if (_pos >= _src.Length)
            {
                return Fail("unexpected end of document, a value was expected");
            }

            char c = _src[_pos];
            switch (c)
            {
                case '{':
                    return TryReadObject(out value);
                case '[':
                    return TryReadArray(out value);
                case '"':
                    string s;
                    if (!TryReadString(out s))
                    {
                        return false;
                    }

                    value = s;
                    return true;
                case 't':
                    return TryReadLiteral("true", true, out value);
                case 'f':
                    return TryReadLiteral("false", false, out value);
                case 'n':
                    return TryReadLiteral("null", JsonNull.Value, out value);
                default:
                    if (c == '-' || (c >= '0' && c <= '9'))
                    {
                        return TryReadNumber(out value);
                    }

                    return Fail("unexpected character " + Describe(c) + ", a value was expected");
            }
        }

        private bool TryReadLiteral(string literal, object result, out object value)
        {
            value = null;
            int n = literal.Length;
            if (_pos + n > _src.Length)
            {
                return Fail("invalid literal, expected " + literal);
            }

            for (int i = 0; i < n; i++)
            {
                if (_src[_pos + i] != literal[i])
                {
                    return Fail("invalid literal, expected " + literal);
                }
            }

            _pos += n;
            value = result;
            return true;
        }

        private bool TryReadObject(out object value)
        {
            value = null;
            if (!Enter())
            {
                return false;
            }

            _pos++; // '{'
            var obj = new Hashtable();
            SkipWhitespace();
            if (_pos < _src.Length && _src[_pos] == '}')
            {
                _pos++;
                _depth--;
                value = obj;
                return true;
            }

            while (true)
            {
                _pathKeys[_depth] = null;
                SkipWhitespace();
                if (_pos >= _src.Length || _src[_pos] != '"')
                {
                    return Fail(_pos >= _src.Length ? "unexpected end of document, a member name was expected" : "a member name in double quotes was expected");
                }

                string key;
                if (!TryReadString(out key))
                {
                    return false;
                }

                _pathKeys[_depth] = key;
                if (obj.Contains(key))
                {
                    return Fail("duplicate member \"" + key + "\"");
                }

                SkipWhitespace();
                if (_pos >= _src.Length || _src[_pos] != ':')
                {
                    return Fail("':' expected after a member name");
                }

                _pos++;
                SkipWhitespace();
                object member;
                if (!TryReadValue(out member))
                {
                    return false;
                }

                obj.Add(key, member);
                SkipWhitespace();
                if (_pos >= _src.Length)
                {
                    return Fail("unexpected end of document inside an object");
                }

                char c = _src[_pos];
                if (c == ',')
                {
                    _pos++;
                    SkipWhitespace();
                    if (_pos < _src.Length && _src[_pos] == '}')
                    {
                        return Fail("trailing comma before '}'");
                    }

                    continue;
                }

                if (c == '}')
                {
                    _pos++;
                    _pathKeys[_depth] = null;
                    _depth--;
                    value = obj;
                    return true;
                }

                return Fail("',' or '}' expected in an object");
            }
        }

        private bool TryReadArray(out object value)
        {
            value = null;
            if (!Enter())
            {
                return false;
            }

            _pos++; // '['
            var list = new ArrayList();
            SkipWhitespace();
            if (_pos < _src.Length && _src[_pos] == ']')
            {
                _pos++;
                _depth--;
                value = list;
                return true;
            }

            while (true)
            {
                _pathIndices[_depth] = list.Count;
                SkipWhitespace();
                object item;
                if (!TryReadValue(out item))
                {
                    return false;
                }

                list.Add(item);
                SkipWhitespace();
                if (_pos >= _src.Length)
                {
                    return Fail("unexpected end of document inside an array");
                }

                char c = _src[_pos];
                if (c == ',')
                {
                    _pos++;
                    SkipWhitespace();
                    if (_pos < _src.Length && _src[_pos] == ']')
                    {
                        return Fail("trailing comma before ']'");
                    }

                    continue;
                }

                if (c == ']')
                {
                    _pos++;
                    _depth--;
                    value = list;
                    return true;
                }

                return Fail("',' or ']' expected in an array");
            }
        }

        private bool Enter()
        {
            if (_depth >= _maxDepth)
            {
                return Fail("nesting deeper than " + _maxDepth.ToString() + " levels");
            }

            _depth++;
            _pathKeys[_depth] = null;
            _pathIndices[_depth] = -1;
            return true;
        }

        // ------------------------------------------------------------------ strings

        // ------------------------------------------------------------------ numbers

        // ------------------------------------------------------------------ helpers

        private void SkipWhitespace()
        {
            while (_pos < _src.Length)
            {
                char c = _src[_pos];
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
                {
                    return;
                }

                _pos++;
            }
        }

        private bool Fail(string message)
        {
            if (ErrorMessage == null)
            {
                ErrorMessage = message;
                ErrorPosition = _pos;
                ErrorPath = BuildPath();
            }

            return false;
        }

        private string BuildPath()
        {
            var sb = new StringBuilder();
            for (int level = 1; level <= _depth && level < _pathKeys.Length; level++)
            {
                if (_pathKeys[level] != null)
                {
                    if (sb.Length > 0)
                    {
                        sb.Append('.');
                    }

                    sb.Append(_pathKeys[level]);
                }
                else if (_pathIndices[level] >= 0)
                {
                    sb.Append('[');
                    sb.Append(_pathIndices[level]);
                    sb.Append(']');
                }
            }

            return sb.ToString();
        }

        private static string Describe(char c)
        {
            if (c < ' ' || c > '~')
            {
                return "U+" + ((int)c).ToString("X4");
            }

            return "'" + c.ToString() + "'";
        }
    }
}
