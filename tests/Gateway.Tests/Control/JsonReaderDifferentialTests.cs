using System;
using System.Collections;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Control.Json;
using Xunit;
using Xunit.Abstractions;

namespace Gateway.Tests.Control
{
    /// <summary>
    /// The portable reader against System.Text.Json (strict RFC 8259 by default) on seeded random documents and
    /// single-character corruptions of them: both must agree on validity, and on the values when both accept.
    /// Where this reader is deliberately stricter (duplicate members, numbers beyond a double) the difference is
    /// counted, never silently accepted.
    /// </summary>
    public class JsonReaderDifferentialTests
    {
        private const string Mutations = "{}[]\",:0123456789-+.eE\\/ntfu \t\nxa";
        private readonly ITestOutputHelper _output;

        public JsonReaderDifferentialTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public void Agrees_with_System_Text_Json_on_validity_and_values_of_20000_documents()
        {
            var rng = new Random(2026);
            var reader = new JsonReader(32, 1 << 20, 1 << 16);
            int bothValid = 0, bothInvalid = 0, stricterHere = 0;
            for (var i = 0; i < 20_000; i++)
            {
                var options = new JsonSerializerOptions { Encoder = rng.Next(2) == 0 ? JavaScriptEncoder.Default : JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
                var root = RandomValue(rng, 0);
                var text = root == null ? "null" : root.ToJsonString(options);
                if (rng.Next(3) != 0)
                {
                    var chars = new StringBuilder(text);
                    var at = rng.Next(chars.Length + 1);
                    switch (rng.Next(3))
                    {
                        case 0 when chars.Length > 0 && at < chars.Length:
                            chars.Remove(at, 1);
                            break;
                        case 1 when at < chars.Length:
                            chars[at] = Mutations[rng.Next(Mutations.Length)];
                            break;
                        default:
                            chars.Insert(at, Mutations[rng.Next(Mutations.Length)]);
                            break;
                    }

                    text = chars.ToString();
                }

                var mine = reader.TryParse(text, out var tree);
                JsonDocument? reference = null;
                try
                {
                    reference = JsonDocument.Parse(text);
                }
                catch (JsonException)
                {
                }

                using (reference)
                {
                    if (reference == null)
                    {
                        Assert.False(mine, "accepted what System.Text.Json rejects: " + text);
                        bothInvalid++;
                        continue;
                    }

                    if (!mine)
                    {
                        Assert.True(reader.ErrorMessage!.Contains("duplicate") || reader.ErrorMessage.Contains("too large") || reader.ErrorMessage.Contains("surrogate"),
                            $"rejected valid JSON ({reader.ErrorMessage} at {reader.ErrorPosition}): {text}");
                        stricterHere++;
                        continue;
                    }

                    Assert.Equal(JsonWriter.Write(ToTree(reference.RootElement)), JsonWriter.Write(tree));
                    bothValid++;
                }
            }

            _output.WriteLine($"json differential: {bothValid} both valid (same values), {bothInvalid} both invalid, {stricterHere} rejected only here (duplicates, overflow, lone surrogates)");
            Assert.True(bothValid > 5000 && bothInvalid > 5000);
        }

        private static JsonNode? RandomValue(Random rng, int depth)
        {
            switch (rng.Next(depth >= 4 ? 5 : 7))
            {
                case 0: return JsonValue.Create(rng.Next(2) == 0);
                case 1: return null;
                case 2: return JsonValue.Create(rng.NextInt64(-1_000_000_000_000, 1_000_000_000_000) >> rng.Next(40));
                case 3: return JsonValue.Create(Math.Round((rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-3, 9)), rng.Next(0, 7)));
                case 4: return JsonValue.Create(RandomString(rng));
                case 5:
                {
                    var arr = new JsonArray();
                    for (var i = rng.Next(0, 5); i > 0; i--)
                    {
                        arr.Add(RandomValue(rng, depth + 1));
                    }

                    return arr;
                }

                default:
                {
                    var obj = new JsonObject();
                    for (var i = rng.Next(0, 5); i > 0; i--)
                    {
                        obj[RandomString(rng) + i.ToString(CultureInfo.InvariantCulture)] = RandomValue(rng, depth + 1);
                    }

                    return obj;
                }
            }
        }

        private static string RandomString(Random rng)
        {
            const string pool = "abcXYZ 019_-\"\\/\b\f\n\r\t\u0001\u001f\u007f水位é\u2028";
            var s = new string(Enumerable.Range(0, rng.Next(0, 8)).Select(_ => pool[rng.Next(pool.Length)]).ToArray());
            return rng.Next(8) == 0 ? s + "\U0001F30A" : s;
        }

        private static object ToTree(JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                    var h = new Hashtable();
                    foreach (var p in e.EnumerateObject())
                    {
                        h[p.Name] = ToTree(p.Value);
                    }

                    return h;
                case JsonValueKind.Array:
                    var a = new ArrayList();
                    foreach (var item in e.EnumerateArray())
                    {
                        a.Add(ToTree(item));
                    }

                    return a;
                case JsonValueKind.String:
                    return e.GetString()!;
                case JsonValueKind.Number:
                    var raw = e.GetRawText();
                    if (raw.IndexOfAny(new[] { '.', 'e', 'E' }) < 0 && raw != "-0" && e.TryGetInt64(out var l))
                    {
                        return l;
                    }

                    return e.GetDouble();
                case JsonValueKind.True:
                    return true;
                case JsonValueKind.False:
                    return false;
                default:
                    return JsonNull.Value;
            }
        }
    }
}
