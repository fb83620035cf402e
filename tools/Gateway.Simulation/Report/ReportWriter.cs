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
    /// Writes a run's report folder: what the cloud received (CSV, straight from the receiver's database, with channel
    /// names, units and decoded events), the summary figures (JSON), the deployment picture (SVG) and pages that show
    /// them together (HTML): one page for a single gateway; for several, a fleet page and one page per gateway.
    /// </summary>
    public static partial class ReportWriter
    {
        /// <summary>At most this many gateways get their own page (a thousand pictures would fill a disk, not help a reader).</summary>
        public const int MaxGatewayPages = 100;

        private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

        private const string Style = "body{font-family:sans-serif;margin:2em;color:#222;max-width:1450px}table{border-collapse:collapse;margin:1em 0}" +
            "td,th{border:1px solid #ccc;padding:4px 10px;text-align:left;vertical-align:top}td.n{text-align:right;font-variant-numeric:tabular-nums}" +
            "svg{max-width:100%;height:auto}p.note{color:#555}";

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

            /// <summary>The deployment picture (of the first gateway).</summary>
            public const string Picture = "timeline.svg";

            /// <summary>The page: the gateway's, or the fleet's when there are several.</summary>
            public const string Page = "index.html";

            /// <summary>A gateway's own page in a several-gateway report.</summary>
            public static string GatewayPage(uint deviceId) => string.Create(CultureInfo.InvariantCulture, $"gateway-{deviceId}.html");
        }

        /// <summary>Writes the folder of a one-gateway picture (created if needed) and returns the page's path.</summary>
        public static string Write(string folder, IReceiverStore store, IReadOnlyList<KeyValuePair<string, object?>> summary, TimelineData timeline) =>
            Write(folder, store, summary, new[] { timeline });

        /// <summary>
        /// Writes the folder (created if needed) and returns the main page's path. One picture: index.html is that
        /// gateway's page. Several: index.html is the fleet page and each pictured gateway gets its own page.
        /// </summary>
        /// <param name="folder">The report folder.</param>
        /// <param name="store">The receiver's database.</param>
        /// <param name="summary">The run's figures.</param>
        /// <param name="timelines">The gateways' pictures.</param>
        /// <param name="recorded">
        /// Whether a gateway committed a record under a sequence number (the simulator knows; the log skips unused
        /// numbers after a restart): lets each chain break say whether every record it missed arrived later. Null: the
        /// break says what was stored, not whether that was all.
        /// </param>
        public static string Write(string folder, IReceiverStore store, IReadOnlyList<KeyValuePair<string, object?>> summary, IReadOnlyList<TimelineData> timelines, Func<uint, uint, bool>? recorded = null)
        {
            ArgumentNullException.ThrowIfNull(store);
            ArgumentNullException.ThrowIfNull(summary);
            ArgumentNullException.ThrowIfNull(timelines);
            Directory.CreateDirectory(folder);
            var gateways = WriteReadings(Path.Combine(folder, Files.Readings), store);
            WriteGaps(Path.Combine(folder, Files.Gaps), store, gateways);
            var chain = WriteChainEvents(Path.Combine(folder, Files.Events), store, gateways, recorded);
            var known = recorded != null;

            var dict = new Dictionary<string, object?>();
            foreach (var kv in summary)
            {
                dict[kv.Key] = kv.Value;
            }

            File.WriteAllText(Path.Combine(folder, Files.Summary), JsonSerializer.Serialize(dict, new JsonSerializerOptions { WriteIndented = true }));
            if (timelines.Count > 0)
            {
                File.WriteAllText(Path.Combine(folder, Files.Picture), TimelineChart.Render(timelines[0]));
            }

            var pagePath = Path.Combine(folder, Files.Page);
            if (timelines.Count == 1 && gateways.Count <= 1)
            {
                gateways.TryGetValue(timelines[0].DeviceId, out var rows);
                File.WriteAllText(pagePath, GatewayPage(timelines[0], rows, summary, known ? chain : null, fleet: false));
                return pagePath;
            }

            foreach (var t in timelines)
            {
                gateways.TryGetValue(t.DeviceId, out var rows);
                File.WriteAllText(Path.Combine(folder, Files.GatewayPage(t.DeviceId)), GatewayPage(t, rows, null, null, fleet: true));
            }

            File.WriteAllText(pagePath, FleetPage(timelines, gateways, summary, known ? chain : null));
            return pagePath;
        }

        private static string GatewayPage(TimelineData t, GatewayRows? rows, IReadOnlyList<KeyValuePair<string, object?>>? summary, ChainReconciliation? chain, bool fleet)
        {
            var page = Head(t.Title);
            if (fleet)
            {
                page.Append("<p><a href=\"").Append(Files.Page).Append("\">← fleet summary</a></p>\n");
            }

            page.Append("<h1>").Append(H(t.Title)).Append("</h1>\n")
                .Append("<p>The picture shows what this gateway measured and what the cloud stored: the line is the true value from the scenario's physics, the dots the readings the receiver stored, the red dashed lines the site's alarm levels, the red vertical lines the alarms the gateway raised, the orange bands link outages and the purple marks power cuts; the green step line below is how often the gateway recorded and sent. When the alarms fall in a short part of a long run, a zoom panel shows that part with its own axes.</p>\n")
                .Append(TimelineChart.Render(t));
            AlarmList(page, rows);
            if (summary != null)
            {
                Figures(page, summary, chain);
            }

            if (rows != null)
            {
                page.Append(Inv, $"<p>Stored for gateway {rows.DeviceId}: {rows.Readings} readings, {rows.Events} events, {rows.Gaps} gap records.</p>\n");
            }

            DataLinks(page);
            return page.Append("</body></html>\n").ToString();
        }

        private static string FleetPage(IReadOnlyList<TimelineData> timelines, SortedDictionary<uint, GatewayRows> gateways, IReadOnlyList<KeyValuePair<string, object?>> summary, ChainReconciliation? chain)
        {
            var title = timelines.Count > 0 ? timelines[0].Title : "Gateway deployment";
            var cut = title.LastIndexOf(" — gateway", StringComparison.Ordinal);
            title = (cut > 0 ? title[..cut] : title) + string.Create(Inv, $" — fleet of {gateways.Count} gateways");
            var page = Head(title);
            page.Append("<h1>").Append(H(title)).Append("</h1>\n");
            Figures(page, summary, chain);
            var pictured = timelines.Select(t => t.DeviceId).ToHashSet();
            page.Append("<h2>Gateways</h2>\n");
            if (pictured.Count < gateways.Count)
            {
                page.Append(Inv, $"<p class=\"note\">The first {pictured.Count} gateways have a page with their picture; every gateway's rows are in {Files.Readings}.</p>\n");
            }

            page.Append("<table>\n<tr><th>gateway</th><th>readings stored</th><th>events stored</th><th>gap records</th><th>alarms</th><th>first alarm (UTC)</th><th>last reading (UTC)</th></tr>\n");
            foreach (var (id, g) in gateways)
            {
                var name = pictured.Contains(id) ? $"<a href=\"{Files.GatewayPage(id)}\">{id.ToString(Inv)}</a>" : id.ToString(Inv);
                var first = g.Alarms.Count > 0 ? g.Alarms.MinBy(a => a.TimeMs) : default;
                page.Append(Inv, $"<tr><td>{name}</td><td class=\"n\">{g.Readings}</td><td class=\"n\">{g.Events}</td><td class=\"n\">{g.Gaps}</td><td class=\"n\">{g.Alarms.Count}</td>")
                    .Append("<td>").Append(g.Alarms.Count > 0 ? H(Stamp(first.TimeMs) + " " + first.Text) : "-").Append("</td>")
                    .Append("<td>").Append(g.LastTimeMs > 0 ? Stamp(g.LastTimeMs) : "-").Append("</td></tr>\n");
            }

            page.Append("</table>\n");
            DataLinks(page);
            return page.Append("</body></html>\n").ToString();
        }

        private static void AlarmList(StringBuilder page, GatewayRows? rows)
        {
            page.Append("<h2>Alarms</h2>\n");
            if (rows == null || rows.Alarms.Count == 0)
            {
                page.Append("<p>No alarm was raised.</p>\n");
                return;
            }

            page.Append("<table>\n<tr><th>measured (UTC)</th><th>alarm</th><th>stored in the cloud (UTC)</th><th>latency (s)</th></tr>\n");
            foreach (var a in rows.Alarms.OrderBy(a => a.TimeMs))
            {
                page.Append("<tr><td>").Append(Stamp(a.TimeMs)).Append("</td><td>").Append(H(a.Text)).Append("</td><td>")
                    .Append(a.ReceivedAtMs > 0 ? Stamp(a.ReceivedAtMs) : "-").Append("</td><td class=\"n\">")
                    .Append(a.ReceivedAtMs > 0 ? ((a.ReceivedAtMs - a.TimeMs) / 1000.0).ToString("0.0", Inv) : "-").Append("</td></tr>\n");
            }

            page.Append("</table>\n");
        }

        private static void Figures(StringBuilder page, IReadOnlyList<KeyValuePair<string, object?>> summary, ChainReconciliation? chain)
        {
            page.Append("<h2>Figures</h2>\n<p>Every figure was read back from the receiver's database after the run, or counted by the virtual hardware.</p>\n")
                .Append("<table>\n<tr><th>figure</th><th>value</th><th>unit</th><th>meaning</th></tr>\n");
            foreach (var kv in summary)
            {
                var entry = FigureGlossary.Find(kv.Key);
                page.Append("<tr><th>").Append(H(kv.Key)).Append("</th><td class=\"n\">").Append(H(FormatValue(kv.Value)))
                    .Append("</td><td>").Append(H(entry?.Unit ?? "")).Append("</td><td>").Append(H(entry?.Meaning ?? "(not described yet)")).Append("</td></tr>\n");
            }

            page.Append("</table>\n");
            if (chain is { } c)
            {
                page.Append(Inv, $"<p>Chain breaks: {c.Breaks} batches arrived after a break in their gateway's chain (\"dropped\" in {Files.Events}: an earlier batch was lost on the way or still on its way). ")
                    .Append(Inv, $"Of those breaks, {c.Recovered} were recovered (every record the gateway had committed in the missing range was resent and stored later), {c.Accounted} were accounted for by gap records, {c.Open} are open. ")
                    .Append("The column <code>resolution</code> of that file says which for each row; completeness counts what is finally stored.</p>\n");
            }
        }

        private static void DataLinks(StringBuilder page)
        {
            page.Append("<h2>Data</h2>\n<ul>\n")
                .Append(Inv, $"<li><a href=\"{Files.Readings}\">{Files.Readings}</a>: every stored row with its channel's name and unit; events (channel 30) decoded in the column <code>event</code></li>\n")
                .Append(Inv, $"<li><a href=\"{Files.Gaps}\">{Files.Gaps}</a>: sequence ranges the gateways reported dropped on purpose</li>\n")
                .Append(Inv, $"<li><a href=\"{Files.Events}\">{Files.Events}</a>: the verification audit trail, one row per batch, with what became of each chain break</li>\n")
                .Append(Inv, $"<li><a href=\"{Files.Summary}\">{Files.Summary}</a>: the figures as one JSON object</li>\n")
                .Append(Inv, $"<li><a href=\"{Files.Picture}\">{Files.Picture}</a>: the picture of the first gateway</li>\n</ul>\n");
        }

        private static StringBuilder Head(string title) => new StringBuilder()
            .Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
            .Append(H(title)).Append("</title>\n<style>").Append(Style).Append("</style></head><body>\n");

        private static string H(string s) => WebUtility.HtmlEncode(s);

        private static string Stamp(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", Inv);

        private static string FormatValue(object? v) => v switch
        {
            null => "-",
            double d => d.ToString("G6", Inv),
            IFormattable f => f.ToString(null, Inv),
            string s => s,
            _ => System.Text.Json.JsonSerializer.Serialize(v),
        };
    }
}
