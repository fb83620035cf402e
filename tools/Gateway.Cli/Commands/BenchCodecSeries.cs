using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Gateway.Core.Sensing;

namespace Gateway.Cli.Commands
{
    /// <summary>One real series for the codec benchmark: times (Unix ms) and fixed-point integer values.</summary>
    public sealed record CodecSeries(string Name, ChannelId Channel, long[] TimesMs, int[] Values);

    /// <summary>
    /// Loads the real series the codec benchmark runs on: Trout Creek (LiDAR range, air pressure, temperature, battery;
    /// CC BY 4.0, Wickert et al.), UK Environment Agency February 2014 flood telemetry (every station series with at
    /// least a day of readings; OGL v2.0, © Environment Agency), or plain CSV files of "time,value" rows.
    /// </summary>
    public static class CodecSeriesLoader
    {
        /// <summary>Series shorter than this (one day at 15 min) are left out of the EA set.</summary>
        public const int MinimumReadings = 96;

        /// <summary>Loads every path: a directory (all series it holds), a Trout Creek log, an EA .tsv, or a CSV.</summary>
        public static List<CodecSeries> Load(IEnumerable<string> paths)
        {
            var result = new List<CodecSeries>();
            var eaFiles = new List<string>();
            foreach (var path in paths)
            {
                if (Directory.Exists(path))
                {
                    foreach (var f in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                    {
                        Classify(f, result, eaFiles, fromDirectory: true);
                    }
                }
                else if (File.Exists(path))
                {
                    Classify(path, result, eaFiles, fromDirectory: false);
                }
                else
                {
                    throw new FileNotFoundException("no such series file or directory", path);
                }
            }

            if (eaFiles.Count > 0)
            {
                result.AddRange(LoadEnvironmentAgency(eaFiles));
            }

            return result;
        }

        private static void Classify(string file, List<CodecSeries> result, List<string> eaFiles, bool fromDirectory)
        {
            string name = Path.GetFileName(file);
            if (name.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase))
            {
                eaFiles.Add(file);
            }
            else if (name.StartsWith("Log", StringComparison.Ordinal) && name.EndsWith(".txt", StringComparison.Ordinal))
            {
                result.AddRange(LoadTroutCreek(file));
            }
            else if (name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || !fromDirectory)
            {
                result.Add(LoadCsv(file));
            }
        }

        /// <summary>Trout Creek logger: "Time [UTC], PresOB [mBar], RH_OB [%], TempOB [C], Temp RTC [C], Bat [V], Range [cm], Pitch, Roll".</summary>
        public static IEnumerable<CodecSeries> LoadTroutCreek(string file)
        {
            var columns = new (int Index, string Name, ChannelId Channel, decimal Scale)[]
            {
                (6, "range_mm", ChannelId.DistanceMillimeters, 10m),
                (1, "air_pressure_pa", ChannelId.AirPressurePascals, 100m),
                (3, "temperature_mdegc", ChannelId.TemperatureMillicelsius, 1000m),
                (5, "battery_mv", ChannelId.BatteryMillivolts, 1000m),
            };
            var times = new List<long>();
            var values = columns.Select(_ => new List<int>()).ToArray();
            foreach (var line in File.ReadLines(file))
            {
                var f = line.Split(',');
                if (f.Length < 7 || !DateTime.TryParseExact(f[0].Trim(), "yyyy/MM/dd HH:mm:ss", CultureInfo.InvariantCulture,
                        DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t))
                {
                    continue;
                }

                var parsed = new int[columns.Length];
                bool ok = true;
                for (int c = 0; c < columns.Length && ok; c++)
                {
                    ok = decimal.TryParse(f[columns[c].Index].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v);
                    parsed[c] = ok ? (int)Math.Round(v * columns[c].Scale) : 0;
                }

                if (!ok)
                {
                    continue;
                }

                times.Add(new DateTimeOffset(t, TimeSpan.Zero).ToUnixTimeMilliseconds());
                for (int c = 0; c < columns.Length; c++)
                {
                    values[c].Add(parsed[c]);
                }
            }

            for (int c = 0; c < columns.Length; c++)
            {
                yield return new CodecSeries("trout-creek/" + columns[c].Name, columns[c].Channel, times.ToArray(), values[c].ToArray());
            }
        }

        /// <summary>EA telemetry: one series per (station, parameter, qualifier), days concatenated, values in thousandths.</summary>
        public static IEnumerable<CodecSeries> LoadEnvironmentAgency(IEnumerable<string> files)
        {
            var series = new SortedDictionary<string, SortedDictionary<long, int>>(StringComparer.Ordinal);
            var channels = new Dictionary<string, ChannelId>();
            foreach (var file in files)
            {
                foreach (var line in File.ReadLines(file).Skip(1))
                {
                    var f = line.Split('\t');
                    if (f.Length < 9 || !DateTimeOffset.TryParse(f[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
                        || !decimal.TryParse(f[8], NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                    {
                        continue;
                    }

                    string key = $"uk-ea-2014/{f[1]} {f[4]} {f[5]} {f[6]}".Trim();
                    if (!series.TryGetValue(key, out var points))
                    {
                        points = new SortedDictionary<long, int>();
                        series[key] = points;
                        channels[key] = f[5] == "Water Level" ? ChannelId.WaterLevelMillimeters : ChannelId.DistanceMillimeters;
                    }

                    points.TryAdd(t.ToUnixTimeMilliseconds(), (int)Math.Round(v * 1000m));
                }
            }

            foreach (var (key, points) in series)
            {
                if (points.Count >= MinimumReadings)
                {
                    yield return new CodecSeries(key, channels[key], points.Keys.ToArray(), points.Values.ToArray());
                }
            }
        }

        /// <summary>A plain CSV of "time,value" rows (ISO 8601 UTC); values scaled by 10^(most decimals in the file).</summary>
        public static CodecSeries LoadCsv(string file)
        {
            var rows = new List<(long T, decimal V, int Decimals)>();
            foreach (var line in File.ReadLines(file))
            {
                var f = line.Split(',');
                if (f.Length < 2 || !DateTimeOffset.TryParse(f[0].Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
                    || !decimal.TryParse(f[1].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                {
                    continue;
                }

                string s = f[1].Trim();
                int dot = s.IndexOf('.');
                rows.Add((t.ToUnixTimeMilliseconds(), v, dot < 0 ? 0 : s.Length - dot - 1));
            }

            if (rows.Count == 0)
            {
                throw new InvalidDataException($"{file}: no time,value rows");
            }

            int decimals = Math.Min(6, rows.Max(r => r.Decimals));
            decimal scale = (decimal)Math.Pow(10, decimals);
            return new CodecSeries(Path.GetFileName(file), ChannelId.WaterLevelMillimeters,
                rows.Select(r => r.T).ToArray(), rows.Select(r => (int)Math.Round(r.V * scale)).ToArray());
        }
    }
}
