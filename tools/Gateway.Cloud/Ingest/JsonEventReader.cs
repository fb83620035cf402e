using System;
using System.Globalization;
using System.Text.Json;

namespace Gateway.Cloud.Ingest
{
    /// <summary>Small, defensive helpers for reading integration events: a missing or mistyped field is a reason, never an exception.</summary>
    internal static class JsonEventReader
    {
        public static bool TryParse(ReadOnlySpan<byte> json, out JsonDocument? doc, out string? error)
        {
            doc = null;
            error = null;
            if (json.Length == 0)
            {
                error = "empty message";
                return false;
            }

            if (json.Length > 64 * 1024)
            {
                error = $"message too large ({json.Length} bytes)";
                return false;
            }

            try
            {
                doc = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                {
                    error = "not a JSON object";
                    doc.Dispose();
                    doc = null;
                    return false;
                }

                return true;
            }
            catch (JsonException e)
            {
                error = "malformed JSON: " + e.Message;
                return false;
            }
        }

        public static JsonElement? Path(JsonElement root, params string[] names)
        {
            var e = root;
            foreach (var n in names)
            {
                if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(n, out e))
                {
                    return null;
                }
            }

            return e;
        }

        public static string? String(JsonElement root, params string[] names)
        {
            var e = Path(root, names);
            if (e is not { ValueKind: JsonValueKind.String } s)
            {
                return null;
            }

            try
            {
                return s.GetString();
            }
            catch (InvalidOperationException)
            {
                // Invalid UTF-8 inside the string: treated as absent, so the caller reports the field.
                return null;
            }
        }

        public static long? Integer(JsonElement root, params string[] names)
        {
            var e = Path(root, names);
            if (e is { ValueKind: JsonValueKind.Number } n && n.TryGetInt64(out var v))
            {
                return v;
            }

            // The Things Stack writes 64-bit numbers as strings.
            if (e is { ValueKind: JsonValueKind.String } && long.TryParse(String(root, names), NumberStyles.Integer, CultureInfo.InvariantCulture, out v))
            {
                return v;
            }

            return null;
        }

        public static double? Number(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

        public static bool TryBase64(string? text, out byte[] bytes)
        {
            bytes = Array.Empty<byte>();
            if (text is null)
            {
                return false;
            }

            var buffer = new byte[(text.Length * 3 / 4) + 3];
            if (!Convert.TryFromBase64String(text, buffer, out var written))
            {
                return false;
            }

            bytes = buffer.AsSpan(0, written).ToArray();
            return true;
        }

        public static bool IsDevEui(string? s)
        {
            if (s is null || s.Length != 16)
            {
                return false;
            }

            foreach (var c in s)
            {
                if (!Uri.IsHexDigit(c))
                {
                    return false;
                }
            }

            return true;
        }

        public static DateTimeOffset Time(JsonElement root, DateTimeOffset fallback, params string[] names)
        {
            var s = String(root, names);
            return s is not null && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : fallback;
        }
    }
}
