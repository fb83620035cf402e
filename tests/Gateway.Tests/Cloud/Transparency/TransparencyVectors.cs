using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Gateway.Tests.Codec;

namespace Gateway.Tests.Cloud.Transparency
{
    /// <summary>The shared vectors of tests/vectors/transparency (also read by tools/verifier-js).</summary>
    internal static class TransparencyVectors
    {
        public static string Folder => Path.Combine(CodecPaths.RepoRoot, "tests", "vectors", "transparency");

        public static JsonElement Merkle() => Load("merkle.json");

        public static JsonElement Note() => Load("note.json");

        public static byte[][] Hashes(JsonElement array) => array.EnumerateArray().Select(e => Convert.FromBase64String(e.GetString()!)).ToArray();

        private static JsonElement Load(string name) => JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, name))).RootElement.Clone();
    }
}
