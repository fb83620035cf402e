using System;
using System.Collections;
using System.Text;
using Gateway.Control.Json;
using Xunit;

namespace Gateway.Tests.Control
{
    public class JsonReaderTests
    {
        private static object Parse(string text)
        {
            var reader = new JsonReader();
            Assert.True(reader.TryParse(text, out var value), reader.ErrorMessage + " at " + reader.ErrorPosition);
            Assert.Null(reader.ErrorMessage);
            return value;
        }

        private static JsonReader Reject(string text)
        {
            var reader = new JsonReader();
            Assert.False(reader.TryParse(text, out var value), "accepted: " + text);
            Assert.Null(value);
            Assert.False(string.IsNullOrEmpty(reader.ErrorMessage));
            Assert.InRange(reader.ErrorPosition, 0, text?.Length ?? 0);
            return reader;
        }

        [Fact]
        public void Objects_arrays_and_scalars_become_hashtable_arraylist_and_plain_values()
        {
            var root = (Hashtable)Parse(" {\"a\": [1, -2.5, true, false, null, \"x\"], \"b\": {}} ");
            var a = (ArrayList)root["a"]!;
            Assert.Equal(1L, a[0]);
            Assert.Equal(-2.5, a[1]);
            Assert.Equal(true, a[2]);
            Assert.Equal(false, a[3]);
            Assert.Same(JsonNull.Value, a[4]);
            Assert.Equal("x", a[5]);
            Assert.Empty((Hashtable)root["b"]!);
        }

        [Theory]
        [InlineData("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\/\b\f\n\r\t")]
        [InlineData("\"\\u0041\\u00e9\\u6C34\"", "Aé水")]
        [InlineData("\"\\ud83c\\udf0a\"", "\U0001F30A")]
        [InlineData("\"\\uD834\\uDD1E\"", "\U0001D11E")]
        [InlineData("\"水位 raw UTF-16\"", "水位 raw UTF-16")]
        [InlineData("\"\"", "")]
        public void String_escapes_including_surrogate_pairs_decode(string json, string expected)
        {
            Assert.Equal(expected, Parse(json));
        }

        [Theory]
        [InlineData("\"\\ud83c\"")]            // lone high surrogate
        [InlineData("\"\\ud83cx\"")]
        [InlineData("\"\\ud83c\\u0041\"")]     // high followed by a non-low
        [InlineData("\"\\udf0a\"")]            // lone low surrogate
        [InlineData("\"\\u12\"")]
        [InlineData("\"\\u12G4\"")]
        [InlineData("\"\\x41\"")]
        [InlineData("\"\\'\"")]
        [InlineData("\"a\u0001b\"")]           // raw control character
        [InlineData("\"tab\there\"")]
        [InlineData("\"unterminated")]
        [InlineData("\"ends in escape\\")]
        public void Bad_strings_are_rejected(string json)
        {
            Reject(json);
        }

        [Theory]
        [InlineData("0", 0L)]
        [InlineData("-1", -1L)]
        [InlineData("9223372036854775807", long.MaxValue)]
        [InlineData("-9223372036854775808", long.MinValue)]
        public void Integers_that_fit_are_exact_longs(string json, long expected)
        {
            Assert.Equal(expected, Parse(json));
        }

        [Theory]
        [InlineData("1.5", 1.5)]
        [InlineData("1e3", 1000.0)]
        [InlineData("1E+3", 1000.0)]
        [InlineData("2.5e-3", 0.0025)]
        [InlineData("35.0094", 35.0094)]
        [InlineData("135.7714", 135.7714)]
        [InlineData("-0.000001", -0.000001)]
        [InlineData("0.1", 0.1)]
        [InlineData("123456789012345.6", 123456789012345.6)]
        [InlineData("9223372036854775808", 9223372036854775808.0)]
        [InlineData("1.7976931348623157e308", 1.7976931348623157e308)]
        [InlineData("1e-400", 0.0)]
        public void Fractions_exponents_and_big_integers_become_doubles(string json, double expected)
        {
            var value = Parse(json);
            Assert.IsType<double>(value);
            Assert.True(Math.Abs((double)value - expected) <= Math.Abs(expected) * 1e-15, $"{value:R} vs {expected:R}"); // slow path: within a few ULP
            if (Math.Abs(expected) < 1e15 && Math.Abs(expected) > 1e-7)
            {
                Assert.Equal(expected, (double)value); // fast path is correctly rounded
            }
        }

        [Fact]
        public void Negative_zero_keeps_its_sign()
        {
            var value = Parse("-0");
            Assert.IsType<double>(value);
            Assert.True(double.IsNegative((double)value));
            Assert.True(double.IsNegative((double)Parse("-0.0e0")));
            Assert.Equal(0L, Parse("0"));
        }

        [Theory]
        [InlineData("01")]
        [InlineData("-01")]
        [InlineData("00")]
        [InlineData("+1")]
        [InlineData(".5")]
        [InlineData("1.")]
        [InlineData("1.e3")]
        [InlineData("1e")]
        [InlineData("1e+")]
        [InlineData("-")]
        [InlineData("0x10")]
        [InlineData("NaN")]
        [InlineData("Infinity")]
        [InlineData("1e400")]
        [InlineData("-1e999")]
        public void Malformed_or_unrepresentable_numbers_are_rejected(string json)
        {
            Reject(json);
        }

        [Theory]
        [InlineData("[1,2,]")]
        [InlineData("{\"a\":1,}")]
        [InlineData("[,1]")]
        [InlineData("{,}")]
        [InlineData("[1 2]")]
        [InlineData("{\"a\" 1}")]
        [InlineData("{\"a\":}")]
        [InlineData("{a:1}")]
        [InlineData("{'a':1}")]
        [InlineData("[1]]")]
        [InlineData("[1")]
        [InlineData("{\"a\":1")]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData("tru")]
        [InlineData("nul")]
        [InlineData("True")]
        [InlineData("1 2")]
        [InlineData("{\"a\":1,\"a\":2}")]
        [InlineData("// comment\n1")]
        public void Syntax_errors_trailing_commas_and_duplicate_keys_are_rejected(string json)
        {
            Reject(json);
        }

        [Fact]
        public void Null_document_is_rejected_without_throwing()
        {
            var reader = new JsonReader();
            Assert.False(reader.TryParse(null!, out _));
            Assert.Equal("no document", reader.ErrorMessage);
        }

        [Fact]
        public void Depth_limit_counts_containers_and_rejects_one_more()
        {
            var reader = new JsonReader(5, 10000, 100);
            Assert.True(reader.TryParse("[[[[[1]]]]]", out _));
            Assert.True(reader.TryParse("{\"a\":{\"b\":[{\"c\":[]}]}}", out _));
            Assert.False(reader.TryParse("[[[[[[1]]]]]]", out _));
            Assert.Contains("nesting", reader.ErrorMessage);
            Assert.Equal(5, reader.ErrorPosition);
        }

        [Fact]
        public void Very_deep_nesting_is_rejected_without_stack_overflow()
        {
            var deep = new string('[', 100_000) + new string(']', 100_000);
            var reader = new JsonReader(16, 1_000_000, 100);
            Assert.False(reader.TryParse(deep, out _));
            Assert.Contains("nesting deeper than 16", reader.ErrorMessage);
        }

        [Fact]
        public void Document_and_string_length_limits_are_enforced()
        {
            var reader = new JsonReader(8, 50, 10);
            Assert.False(reader.TryParse("\"" + new string('a', 60) + "\"", out _));
            Assert.Contains("document longer", reader.ErrorMessage);
            Assert.True(reader.TryParse("\"0123456789\"", out _));
            Assert.False(reader.TryParse("\"0123456789a\"", out _));
            Assert.Contains("string longer", reader.ErrorMessage);
            Assert.False(reader.TryParse("{\"0123456789ab\":1}", out _));
        }

        [Fact]
        public void Errors_name_the_member_path_and_position()
        {
            var reader = new JsonReader();
            const string doc = "{\"river\":{\"levels\":[1,2,0x3]},\"ok\":1}";
            Assert.False(reader.TryParse(doc, out _));
            Assert.Equal("river.levels[2]", reader.ErrorPath);
            Assert.Equal(doc.IndexOf("x3", StringComparison.Ordinal), reader.ErrorPosition);

            Assert.False(reader.TryParse("{\"a\":{\"b\":1e999}}", out _));
            Assert.Equal("a.b", reader.ErrorPath);
        }

        [Fact]
        public void Writer_output_is_canonical_and_round_trips()
        {
            var doc = "{ \"z\": 1, \"a\": [true, null, -0, 2.5, \"é\\n\\u0001\"], \"M\": {\"y\": -9223372036854775808, \"b\": 35.0094} }";
            var tree = Parse(doc);
            var canonical = JsonWriter.Write(tree);
            Assert.Equal("{\"M\":{\"b\":35.0094,\"y\":-9223372036854775808},\"a\":[true,null,-0.0,2.5,\"\\u00e9\\n\\u0001\"],\"z\":1}", canonical);
            Assert.Equal(canonical, JsonWriter.Write(Parse(canonical)));
        }

        [Theory]
        [InlineData(0.1, "0.1")]
        [InlineData(135.7714, "135.7714")]
        [InlineData(-35.0094, "-35.0094")]
        [InlineData(1e20, "1.0e20")]
        [InlineData(1.5e-9, "1.5e-9")]
        [InlineData(123456.0, "123456.0")]
        [InlineData(0.000123, "0.000123")]
        public void Doubles_are_written_without_culture_and_reparse_to_the_same_value(double value, string expected)
        {
            var sb = new StringBuilder();
            JsonWriter.WriteDouble(sb, value);
            Assert.Equal(expected, sb.ToString());
            Assert.Equal(value, (double)Parse(sb.ToString()));
        }

        [Fact]
        public void Random_bytes_never_make_the_reader_throw()
        {
            var rng = new Random(8259);
            var reader = new JsonReader(8, 4096, 64);
            const string alphabet = "{}[]\",:0123456789-+.eE\\u tfrnal\"x\t\n";
            for (var i = 0; i < 20_000; i++)
            {
                var chars = new char[rng.Next(0, 40)];
                for (var k = 0; k < chars.Length; k++)
                {
                    chars[k] = rng.Next(10) == 0 ? (char)rng.Next(0, 0xFFFF) : alphabet[rng.Next(alphabet.Length)];
                }

                var ok = reader.TryParse(new string(chars), out var value);
                Assert.Equal(ok, value != null);
                Assert.Equal(ok, reader.ErrorMessage == null);
            }
        }
    }
}
