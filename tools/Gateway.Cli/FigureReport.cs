using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace Gateway.Cli
{
    /// <summary>
    /// Figures a command reports: printed as aligned "name: value" lines for people, or as one JSON object with
    /// --json for scripts. Keys keep the order they were added in.
    /// </summary>
    public sealed class FigureReport
    {
        private readonly List<KeyValuePair<string, object?>> _figures = new();

        /// <summary>Adds or replaces a figure. Values: numbers, strings, booleans, or lists/objects of them.</summary>
        public FigureReport Add(string key, object? value)
        {
            var i = _figures.FindIndex(kv => kv.Key == key);
            if (i >= 0)
            {
                _figures[i] = new KeyValuePair<string, object?>(key, value);
            }
            else
            {
                _figures.Add(new KeyValuePair<string, object?>(key, value));
            }

            return this;
        }

        /// <summary>The figures as an ordered dictionary (for tests and for nesting).</summary>
        public IReadOnlyList<KeyValuePair<string, object?>> Figures => _figures;

        /// <summary>The figures as one JSON object.</summary>
        public string ToJson()
        {
            var dict = new Dictionary<string, object?>();
            foreach (var kv in _figures)
            {
                dict[kv.Key] = kv.Value;
            }

            return JsonSerializer.Serialize(dict, new JsonSerializerOptions { WriteIndented = false });
        }

        /// <summary>Writes the report: one JSON object, or one "name: value" line a figure.</summary>
        public void Write(TextWriter output, bool json)
        {
            if (json)
            {
                output.WriteLine(ToJson());
                return;
            }

            var width = 0;
            foreach (var kv in _figures)
            {
                width = Math.Max(width, kv.Key.Length);
            }

            foreach (var kv in _figures)
            {
                output.WriteLine($"{kv.Key.PadRight(width)}  {Format(kv.Value)}");
            }
        }

        private static string Format(object? value) => value switch
        {
            null => "-",
            double d => d.ToString("G6", CultureInfo.InvariantCulture),
            float f => f.ToString("G6", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            string s => s,
            _ => JsonSerializer.Serialize(value),
        };
    }
}
