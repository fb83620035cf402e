using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Cloud.Storage;

namespace Gateway.Simulation.Report
{
    /// <summary>
    /// Writes a run's report folder: what the cloud received (CSV, straight from the receiver's database), the
    /// summary figures (JSON), the deployment picture (SVG) and a page that shows them together (HTML).
    /// </summary>
    public static class ReportWriter
    {
        private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

        /// <summary>Files a report folder holds.</summary>
        public static class Files
        {
            /// <summary>Received readings, one row each.</summary>
            public const string Readings = "readings.csv";

            /// <summary>Gap reports.</summary>
            public const string Gaps = "gaps.csv";

            /// <summary>Verification audit trail.</summary>
            public const string Events = "chain-events.csv";

            /// <summary>The summary figures as one JSON object.</summary>
            public const string Summary = "summary.json";

            /// <summary>The deployment picture.</summary>
            public const string Picture = "timeline.svg";

            /// <summary>The page.</summary>
            public const string Page = "index.html";
        }

        /// <summary>Writes the folder (created if needed) and returns the page's path.</summary>
        public static string Write(string folder, IReceiverStore store, IReadOnlyList<KeyValuePair<string, object?>> summary, TimelineData timeline)
        {
            Directory.CreateDirectory(folder);
            var devices = new SortedSet<uint>();
            using (var w = new StreamWriter(Path.Combine(folder, Files.Readings), false, new UTF8Encoding(false)))
            {
                w.WriteLine("device_id,sequence,channel,time_utc,value,status");
                foreach (var r in store.AllReadings())
                {
                    devices.Add(r.DeviceId);
                    w.Write(r.DeviceId.ToString(Inv));
                    w.Write(',');
                    w.Write(r.Sequence.ToString(Inv));
                    w.Write(',');
                    w.Write(r.Channel.ToString(Inv));
                    w.Write(',');
                    w.Write(DateTimeOffset.FromUnixTimeMilliseconds(r.TimeMs).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", Inv));
                    w.Write(',');
                    w.Write(r.Value.ToString(Inv));
                    w.Write(',');
                    w.WriteLine(r.Status.ToString(Inv));
                }
            }

            using (var w = new StreamWriter(Path.Combine(folder, Files.Gaps), false, new UTF8Encoding(false)))
            {
                w.WriteLine("device_id,first_sequence,last_sequence,reason");
                foreach (var d in devices)
                {
                    foreach (var g in store.QueryGaps(d))
                    {
                        w.WriteLine(string.Create(Inv, $"{g.DeviceId},{g.FirstSequence},{g.LastSequence},{Csv(g.Reason)}"));
                    }
                }
            }

            using (var w = new StreamWriter(Path.Combine(folder, Files.Events), false, new UTF8Encoding(false)))
            {
                w.WriteLine("device_id,received_at_utc,transport,kind,first_sequence,count,detail");
                foreach (var e in store.QueryChainEvents())
                {
                    var t = DateTimeOffset.FromUnixTimeMilliseconds(e.ReceivedAtMs).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", Inv);
                    w.WriteLine(string.Create(Inv, $"{e.DeviceId},{t},{e.Transport},{e.Kind},{e.FirstSequence},{e.Count},{Csv(e.Detail)}"));
                }
            }

            var dict = new Dictionary<string, object?>();
            foreach (var kv in summary)
            {
                dict[kv.Key] = kv.Value;
            }

            File.WriteAllText(Path.Combine(folder, Files.Summary), JsonSerializer.Serialize(dict, new JsonSerializerOptions { WriteIndented = true }));
            var svg = TimelineChart.Render(timeline);
            File.WriteAllText(Path.Combine(folder, Files.Picture), svg);

            var page = new StringBuilder();
            page.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .Append(WebUtility.HtmlEncode(timeline.Title))
                .Append("</title>\n<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}" +
                        "td,th{border:1px solid #ccc;padding:4px 10px;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}</style></head><body>\n")
                .Append("<h1>").Append(WebUtility.HtmlEncode(timeline.Title)).Append("</h1>\n")
                .Append(svg)
                .Append("<h2>Summary</h2>\n<table>\n");
            foreach (var kv in summary)
            {
                page.Append("<tr><th>").Append(WebUtility.HtmlEncode(kv.Key)).Append("</th><td class=\"n\">")
                    .Append(WebUtility.HtmlEncode(FormatValue(kv.Value))).Append("</td></tr>\n");
            }

            page.Append("</table>\n<h2>Data</h2>\n<ul>\n");
            foreach (var f in new[] { Files.Readings, Files.Gaps, Files.Events, Files.Summary, Files.Picture })
            {
                page.Append("<li><a href=\"").Append(f).Append("\">").Append(f).Append("</a></li>\n");
            }

            page.Append("</ul>\n<p>Every figure and row here was read back from the receiver's database after the run.</p>\n</body></html>\n");
            var pagePath = Path.Combine(folder, Files.Page);
            File.WriteAllText(pagePath, page.ToString());
            return pagePath;
        }

        private static string FormatValue(object? v) => v switch
        {
            null => "-",
            double d => d.ToString("G6", Inv),
            IFormattable f => f.ToString(null, Inv),
            string s => s,
            _ => System.Text.Json.JsonSerializer.Serialize(v),
        };

        private static string Csv(string s) => s.IndexOfAny(new[] { ',', '"', '\n' }) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
    }
}
