using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gateway.Tests.Codec;
using Xunit;

namespace Gateway.Tests.DeviceTests
{
    /// <summary>
    /// The device tests (tests/Gateway.DeviceTests, nanoFramework, no file system) embed shared test data as
    /// constants; these host tests read those source files and fail when an embedded copy differs from the shared
    /// original, so the two cannot drift.
    /// </summary>
    public class DeviceTestVectorsTests
    {
        private static string DeviceTestFile(params string[] parts) =>
            Path.Combine(new[] { CodecPaths.RepoRoot, "tests", "Gateway.DeviceTests" }.Concat(parts).ToArray());

        /// <summary>The string literals of one array initializer ("public static readonly string[] NAME = ...") in a C# source.</summary>
        private static List<string> ArrayLiterals(string source, string name)
        {
            int start = source.IndexOf("string[] " + name + " =", StringComparison.Ordinal);
            Assert.True(start >= 0, "array " + name + " not found");
            int end = source.IndexOf("};", start, StringComparison.Ordinal);
            return Regex.Matches(source.Substring(start, end - start), "\"((?:[^\"\\\\]|\\\\.)*)\"")
                .Select(m => Regex.Unescape(m.Groups[1].Value)).ToList();
        }

        private static string Constant(string source, string name)
        {
            var m = Regex.Match(source, "const string " + name + " = \"([^\"]*)\";");
            Assert.True(m.Success, "constant " + name + " not found");
            return m.Groups[1].Value;
        }

        [Fact]
        public void Device_test_codec_vectors_equal_the_shared_vector_file()
        {
            string source = File.ReadAllText(DeviceTestFile("Codec", "SharedCodecVectors.cs"));
            using var doc = JsonDocument.Parse(File.ReadAllText(CodecPaths.VectorFile));
            var root = doc.RootElement;
            Assert.Equal(root.GetProperty("key").GetString(), Constant(source, "KeyHex"));
            Assert.Contains("public const int KeyId = " + root.GetProperty("key_id").GetInt32() + ";", source, StringComparison.Ordinal);
            var shared = root.GetProperty("vectors").EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!, v => v);

            var batches = ArrayLiterals(source, "Batches");
            Assert.True(batches.Count >= 5, "device tests embed at least 5 batch vectors, found " + batches.Count);
            foreach (var entry in batches)
            {
                var f = entry.Split('|');
                Assert.Equal(6, f.Length);
                Assert.True(shared.TryGetValue(f[0], out var v), "vector " + f[0] + " is not in the shared file");
                Assert.Equal(v.GetProperty("device_id").GetUInt32().ToString(), f[1]);
                Assert.Equal(v.GetProperty("boot_counter").GetUInt32().ToString(), f[2]);
                var budget = Regex.Match(f[0], "budget-(\\d+)");
                Assert.Equal(budget.Success ? budget.Groups[1].Value : "53", f[3]);
                Assert.Equal(v.GetProperty("hex").GetString(), f[4]);
                string readings = string.Join(";", v.GetProperty("readings").EnumerateArray()
                    .Select(r => string.Join(",", r.EnumerateArray().Select(x => x.GetInt64().ToString()))));
                Assert.Equal(readings, f[5]);
            }

            // A pair's batch 1 is encoded after its batch 0 (the chain link): both must be embedded, in order.
            for (int i = 0; i < batches.Count; i++)
            {
                string name = batches[i].Split('|')[0];
                int pair = name.IndexOf("-batch-1", StringComparison.Ordinal);
                if (pair >= 0)
                {
                    Assert.True(i > 0 && batches[i - 1].Split('|')[0].StartsWith(name.Substring(0, pair) + "-batch-0", StringComparison.Ordinal), name + " must follow its batch 0");
                }
            }

            // The version-2 vectors the device encoder must write byte for byte, each the first batch of a new encoder.
            using var docV2 = JsonDocument.Parse(File.ReadAllText(CodecPaths.VectorFileV2));
            var sharedV2 = docV2.RootElement.GetProperty("vectors").EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!, v => v);
            var batchesV2 = ArrayLiterals(source, "BatchesV2");
            Assert.True(batchesV2.Count >= 2, "device tests embed at least 2 version-2 vectors, found " + batchesV2.Count);
            foreach (var entry in batchesV2)
            {
                var f = entry.Split('|');
                Assert.Equal(6, f.Length);
                Assert.True(sharedV2.TryGetValue(f[0], out var v), "vector " + f[0] + " is not in codec-v2.json");
                Assert.False(v.GetProperty("compact").GetBoolean(), f[0] + ": a new encoder writes the full form");
                Assert.Equal(v.GetProperty("context").GetProperty("device_id").GetUInt32().ToString(), f[1]);
                Assert.Equal(v.GetProperty("boot_counter").GetUInt32().ToString(), f[2]);
                Assert.Equal(v.GetProperty("hex").GetString(), f[4]);
                string readings = string.Join(";", v.GetProperty("readings").EnumerateArray()
                    .Select(r => string.Join(",", r.EnumerateArray().Select(x => x.GetInt64().ToString()))));
                Assert.Equal(readings, f[5]);
            }

            foreach (var entry in ArrayLiterals(source, "Refused"))
            {
                var f = entry.Split('|');
                Assert.Equal(3, f.Length);
                Assert.True(shared.TryGetValue(f[0], out var v), "vector " + f[0] + " is not in the shared file");
                Assert.Equal(v.GetProperty("error").GetString(), f[1]);
                Assert.Equal(v.GetProperty("hex").GetString(), f[2]);
            }
        }

        [Fact]
        public void Device_test_config_example_equals_the_CONFIG_md_example()
        {
            string md = File.ReadAllText(Path.Combine(CodecPaths.RepoRoot, "firmware", "Gateway.Control", "CONFIG.md"));
            int start = md.IndexOf("```json", StringComparison.Ordinal) + "```json".Length;
            string example = md.Substring(start, md.IndexOf("```", start, StringComparison.Ordinal) - start);

            string source = File.ReadAllText(DeviceTestFile("Control", "Config", "ConfigExample.cs"));
            const string marker = "ExampleJson = @\"";
            int at = source.IndexOf(marker, StringComparison.Ordinal);
            Assert.True(at >= 0, "ExampleJson verbatim string not found");
            at += marker.Length;
            int end = at;
            while (true)
            {
                end = source.IndexOf('"', end);
                if (end + 1 < source.Length && source[end + 1] == '"')
                {
                    end += 2;
                    continue;
                }

                break;
            }

            string embedded = source.Substring(at, end - at).Replace("\"\"", "\"");
            Assert.Equal(example, embedded);
            Assert.Contains("加茂川 三条大橋", embedded, StringComparison.Ordinal);
        }
    }
}
