using System;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;
using Gateway.Cloud.Charts;

namespace Gateway.Cloud.Fleet
{
    /// <summary>
    /// The fleet page's HTML: server-rendered, inline CSS and SVG, no script and no font from elsewhere (it must work
    /// on a town's closed network), a table that scrolls sideways on a phone, a meta refresh.
    /// </summary>
    public static class FleetPages
    {
        private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

        /// <summary>Alarm events the fleet page lists under the gateways (the alarm page has them all).</summary>
        private const int LatestAlarms = 10;

        private const string Css =
            "body{font-family:system-ui,'Noto Sans CJK JP','Hiragino Sans',sans-serif;margin:0;color:#1b1b1b;background:#fafafa}" +
            "header{background:#0b3d62;color:#fff;padding:.6em 1em;display:flex;flex-wrap:wrap;gap:.4em 1.2em;align-items:baseline}" +
            "header a{color:#fff}header h1{font-size:1.15em;margin:0}main{padding:.6em 1em 2em}" +
            ".wrap{overflow-x:auto;-webkit-overflow-scrolling:touch}table{border-collapse:collapse;background:#fff;min-width:100%}" +
            "th,td{border:1px solid #d0d0d0;padding:.35em .6em;text-align:left;vertical-align:top}th{background:#eef2f5}td.t,td.n{white-space:nowrap}" +
            "td.n{text-align:right;font-variant-numeric:tabular-nums}tr.stale td{background:#fde2e1}.bad{color:#b00020;font-weight:bold}" +
            ".warn{color:#9a5b00;font-weight:bold}.good{color:#1b6e20}.alarm{color:#b00020;font-weight:bold}.muted{color:#666}" +
            ".cards{display:flex;flex-wrap:wrap;gap:.6em;margin:.4em 0 1em}.card{background:#fff;border:1px solid #d0d0d0;padding:.4em .8em;min-width:7em}" +
            ".card b{display:block;font-size:1.5em}.chart svg{width:100%;height:auto;max-width:1400px;background:#fff;border:1px solid #d0d0d0}" +
            "p.note{font-size:.85em;color:#555;max-width:60em}ul.dl{padding-left:1.2em}" +
            "@media (max-width:700px){body{font-size:14px}header h1{font-size:1em}main{padding:.5em}" +
            "table.stack,table.stack tbody,table.stack tr,table.stack td{display:block;min-width:0}table.stack tr:first-child{display:none}" +
            "table.stack tr{margin:0 0 .7em;border:1px solid #c8c8c8;background:#fff}table.stack td{border:0;border-bottom:1px solid #eee;text-align:left;white-space:normal}" +
            "table.stack td::before{content:attr(data-label);display:inline-block;min-width:8.5em;font-weight:bold;color:#444;margin-right:.4em}}";

        /// <summary>The fleet: summary cards and one row per gateway.</summary>
        public static string Fleet(FleetView view, FleetLabels t, int refreshSeconds)
        {
            ArgumentNullException.ThrowIfNull(view);
            ArgumentNullException.ThrowIfNull(t);
            var sb = Start(t, t["title"], refreshSeconds, "/", view.NowMs);
            var stale = view.Gateways.Count(g => g.Stale);
            var open = view.Gateways.Sum(g => g.OpenAlarms.Count);
            sb.Append("<div class=\"cards\">")
                .Append(Card(t["gateways"], view.Gateways.Count.ToString(Inv), null))
                .Append(Card(t["stale"], stale.ToString(Inv), stale > 0 ? "bad" : null))
                .Append(Card(t["open_alarms"], open.ToString(Inv), open > 0 ? "alarm" : null))
                .Append("</div>\n");
            if (view.Gateways.Count == 0)
            {
                sb.Append("<p>").Append(E(t["no_gateways"])).Append("</p>\n");
            }
            else
            {
                sb.Append("<div class=\"wrap\"><table id=\"fleet\" class=\"stack\">\n<tr>");
                foreach (var h in new[] { "gateway", "status", "last_seen", "battery", "signal", "cadence", "open_alarms", "chain", "log", "readings" })
                {
                    sb.Append("<th>").Append(E(t[h])).Append("</th>");
                }

                sb.Append("</tr>\n");
                foreach (var g in view.Gateways)
                {
                    sb.Append(g.Stale ? "<tr class=\"stale\">" : "<tr>");
                    Cell(sb, t["gateway"], Inv, $"<a href=\"{Link($"/gateway/{g.DeviceId}", t)}\">{g.DeviceId}</a>");
                    Cell(sb, t["status"], Status(g, t));
                    Cell(sb, t["last_seen"], E(Time(g.Activity.LastReceivedAtMs)) + " <span class=\"muted\">" + E(Ago(view.NowMs - g.Activity.LastReceivedAtMs)) + "</span>", "t");
                    Cell(sb, t["battery"], g.BatteryMillivolts is { } mv ? (mv / 1000.0).ToString("0.00", Inv) + " V" : "—", "n");
                    Cell(sb, t["signal"], E(g.Signal ?? "—"));
                    Cell(sb, t["cadence"], E(Cadence(g, t)), "t");
                    Cell(sb, t["open_alarms"], OpenAlarms(g, t));
                    Cell(sb, t["chain"], Chain(g.Chain, t));
                    Cell(sb, t["log"], Log(g.Log, t));
                    Cell(sb, t["readings"], g.Activity.Readings.ToString(Inv), "n");
                    sb.Append("</tr>\n");
                }

                sb.Append("</table></div>\n");
            }

            sb.Append("<h2>").Append(E(t["latest_alarms"])).Append("</h2>\n");
            AlarmTable(sb, view.Alarms.Take(LatestAlarms).ToList(), t, true);
            if (view.Alarms.Count > LatestAlarms)
            {
                sb.Append("<p><a href=\"").Append(Link("/alarms", t)).Append("\">").Append(E(t["all_alarms"])).Append(" (").Append(view.Alarms.Count.ToString(Inv)).Append(")</a></p>\n");
            }

            Downloads(sb, t, ("fleet.csv", "/fleet.csv"), ("fleet.json", "/fleet.json"), ("alarms.csv", "/alarms.csv"), ("alarms.json", "/alarms.json"));
            return End(sb);
        }

        /// <summary>The alarm list, newest first.</summary>
        public static string Alarms(FleetView view, FleetLabels t, int refreshSeconds)
        {
            ArgumentNullException.ThrowIfNull(view);
            ArgumentNullException.ThrowIfNull(t);
            var sb = Start(t, t["alarms"], refreshSeconds, "/alarms", view.NowMs);
            sb.Append("<p class=\"note\">").Append(E(t["alarm_note"])).Append("</p>\n");
            AlarmTable(sb, view.Alarms, t, true);
            Downloads(sb, t, ("alarms.csv", "/alarms.csv"), ("alarms.json", "/alarms.json"));
            return End(sb);
        }

        /// <summary>One gateway: its status, the timeline chart, its alarms and its commissioning records.</summary>
        public static string Gateway(FleetView view, GatewayStatus g, TimelineData? timeline, FleetLabels t, int refreshSeconds)
        {
            ArgumentNullException.ThrowIfNull(view);
            ArgumentNullException.ThrowIfNull(g);
            ArgumentNullException.ThrowIfNull(t);
            var sb = Start(t, t["gateway"] + " " + g.DeviceId.ToString(Inv), refreshSeconds, $"/gateway/{g.DeviceId}", view.NowMs);
            sb.Append("<div class=\"wrap\"><table id=\"status\">\n");
            void Row(string key, string html) => sb.Append("<tr><th>").Append(E(t[key])).Append("</th><td>").Append(html).Append("</td></tr>\n");
            Row("status", Status(g, t));
            Row("last_seen", E(Time(g.Activity.LastReceivedAtMs) + " " + Ago(view.NowMs - g.Activity.LastReceivedAtMs)));
            Row("last_measured", E(Time(g.Activity.LastTimeMs)));
            Row("battery", g.BatteryMillivolts is { } mv ? (mv / 1000.0).ToString("0.00", Inv) + " V" : "—");
            Row("signal", E(g.Signal ?? "—"));
            Row("cadence", E(Cadence(g, t)));
            Row("open_alarms", OpenAlarms(g, t));
            Row("chain", Chain(g.Chain, t));
            Row("log", Log(g.Log, t));
            Row("readings", g.Activity.Readings.ToString(Inv));
            sb.Append("</table></div>\n");

            sb.Append("<h2>").Append(E(t["timeline"])).Append("</h2>\n");
            if (timeline is not null)
            {
                sb.Append("<div class=\"chart\" id=\"chart\">").Append(TimelineChart.Render(timeline)).Append("</div>\n");
                sb.Append("<p class=\"note\">").Append(E(t["chart_note"])).Append("</p>\n");
            }

            sb.Append("<h2>").Append(E(t["alarms"])).Append("</h2>\n");
            AlarmTable(sb, view.Alarms.Where(a => a.DeviceId == g.DeviceId).ToList(), t, false);

            sb.Append("<h2>").Append(E(t["commissioning"])).Append("</h2>\n");
            if (g.Commissioning.Count == 0)
            {
                sb.Append("<p class=\"muted\">").Append(E(t["no_commissioning"])).Append("</p>\n");
            }

            foreach (var c in g.Commissioning.Reverse())
            {
                sb.Append("<div class=\"wrap\"><table class=\"commissioning\">\n")
                    .Append("<tr><th>").Append(E(t["time"])).Append("</th><td>").Append(E(Time(c.RecordTimeMs))).Append("</td></tr>\n")
                    .Append("<tr><th>").Append(E(t["status"])).Append("</th><td>")
                    .Append(c.Passed ? $"<span class=\"good\">{E(t["passed"])}</span>" : $"<span class=\"bad\">{E(t["failed"])}</span>")
                    .Append(E($" (key id {c.KeyId}, {c.Transport}, tag {c.TagHex})")).Append("</td></tr>\n");
                foreach (var line in c.Summary.Split(" | "))
                {
                    var colon = line.IndexOf(':', StringComparison.Ordinal);
                    sb.Append("<tr><th>").Append(E(colon > 0 ? line[..colon] : string.Empty)).Append("</th><td>")
                        .Append(E(colon > 0 ? line[(colon + 1)..].Trim() : line)).Append("</td></tr>\n");
                }

                sb.Append("</table></div>\n");
            }

            Downloads(sb, t, ($"readings-{g.DeviceId}.csv", $"/gateway/{g.DeviceId}/readings.csv"), ("alarms.csv", "/alarms.csv"));
            return End(sb);
        }

        /// <summary>A short page for an error status (404, 401).</summary>
        public static string Message(FleetLabels t, string title, string text)
        {
            ArgumentNullException.ThrowIfNull(t);
            var sb = Start(t, title, 0, "/", null);
            sb.Append("<p>").Append(E(text)).Append("</p>\n");
            return End(sb);
        }

        private static StringBuilder Start(FleetLabels t, string title, int refreshSeconds, string path, long? nowMs)
        {
            var sb = new StringBuilder(16_384);
            sb.Append("<!DOCTYPE html>\n<html lang=\"").Append(t.Code).Append("\"><head><meta charset=\"utf-8\">")
                .Append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
            if (refreshSeconds > 0)
            {
                sb.Append(Inv, $"<meta http-equiv=\"refresh\" content=\"{refreshSeconds}\">");
            }

            sb.Append("<title>").Append(E(title)).Append("</title><style>").Append(Css).Append("</style></head><body>\n<header><h1>")
                .Append(E(title)).Append("</h1><nav>")
                .Append("<a href=\"").Append(Link("/", t)).Append("\">").Append(E(t["fleet"])).Append("</a> · ")
                .Append("<a href=\"").Append(Link("/alarms", t)).Append("\">").Append(E(t["alarms"])).Append("</a> · ")
                .Append("<a href=\"").Append(path).Append(t.Japanese ? "?lang=en\">English" : "?lang=ja\">日本語").Append("</a></nav>");
            if (nowMs is not null)
            {
                sb.Append("<span>").Append(E(t["updated"])).Append(' ').Append(E(Time(nowMs.Value)));
                if (refreshSeconds > 0)
                {
                    sb.Append(" · ").Append(E(t["refresh"])).Append(' ').Append(refreshSeconds.ToString(Inv)).Append(E(t["seconds"]));
                }

                sb.Append("</span>");
            }

            sb.Append("</header>\n<main>\n");
            return sb;
        }

        private static string End(StringBuilder sb) => sb.Append("</main></body></html>\n").ToString();

        private static void AlarmTable(StringBuilder sb, System.Collections.Generic.IReadOnlyList<AlarmEntry> alarms, FleetLabels t, bool withGateway)
        {
            if (alarms.Count == 0)
            {
                sb.Append("<p id=\"alarms-empty\">").Append(E(t["no_alarms"])).Append("</p>\n");
                return;
            }

            sb.Append("<div class=\"wrap\"><table id=\"alarms\" class=\"stack\">\n<tr>");
            foreach (var h in withGateway ? new[] { "time", "gateway", "event", "value", "state", "received" } : new[] { "time", "event", "value", "state", "received" })
            {
                sb.Append("<th>").Append(E(t[h])).Append("</th>");
            }

            sb.Append("</tr>\n");
            foreach (var a in alarms)
            {
                sb.Append("<tr class=\"alarm-row\">");
                Cell(sb, t["time"], E(Time(a.TimeMs)), "t");
                if (withGateway)
                {
                    Cell(sb, t["gateway"], Inv, $"<a href=\"{Link($"/gateway/{a.DeviceId}", t)}\">{a.DeviceId}</a>");
                }

                Cell(sb, t["event"], E(t.Alarm(a)), a.Raised ? "alarm" : null);
                Cell(sb, t["value"], E(Number(a)), "n");
                Cell(sb, t["state"], a.Raised && a.Open ? $"<span class=\"alarm\">{E(t["open"])}</span>" : E(t["cleared"]));
                Cell(sb, t["received"], E(Time(a.ReceivedAtMs)), "t");
                sb.Append("</tr>\n");
            }

            sb.Append("</table></div>\n");
        }

        /// <summary>A cell with its column's name, which a phone shows beside the value (the table stacks into cards).</summary>
        private static void Cell(StringBuilder sb, string label, string html, string? cls = null) =>
            sb.Append("<td").Append(cls is null ? string.Empty : $" class=\"{cls}\"").Append(" data-label=\"").Append(E(label)).Append("\">").Append(html).Append("</td>");

        private static void Cell(StringBuilder sb, string label, IFormatProvider provider, FormattableString html) => Cell(sb, label, html.ToString(provider));

        private static void Downloads(StringBuilder sb, FleetLabels t, params (string Name, string Path)[] files)
        {
            sb.Append("<h2>").Append(E(t["download"])).Append("</h2>\n<ul class=\"dl\">");
            foreach (var (name, path) in files)
            {
                sb.Append("<li><a href=\"").Append(path).Append("\" download>").Append(E(name)).Append("</a></li>");
            }

            sb.Append("</ul>\n");
        }

        private static string Card(string label, string value, string? cls) =>
            $"<div class=\"card\"><b{(cls is null ? string.Empty : $" class=\"{cls}\"")}>{E(value)}</b>{E(label)}</div>";

        private static string Status(GatewayStatus g, FleetLabels t) =>
            g.Stale ? $"<span class=\"bad\">{E(t["stale"])}</span>"
            : g.Late ? $"<span class=\"warn\">{E(t["late"])}</span>"
            : $"<span class=\"good\">{E(t["ok"])}</span>";

        private static string OpenAlarms(GatewayStatus g, FleetLabels t) =>
            g.OpenAlarms.Count == 0 ? $"<span class=\"muted\">{E(t["none"])}</span>"
            : "<span class=\"alarm\">" + string.Join(", ", g.OpenAlarms.Select(a => E(t.Alarm(a)))) + "</span>";

        private static string Log(LogIntegrity l, FleetLabels t) => l.Ok
            ? $"<span class=\"good\">{l.Logged.ToString(Inv)} {E(t["log_batches"])}</span>"
            : $"<span class=\"bad\">{l.Logged.ToString(Inv)} / {l.Accepted.ToString(Inv)} {E(t["log_batches"])}</span>";

        private static string Chain(ChainIntegrity c, FleetLabels t)
        {
            var html = c.Ok ? $"<span class=\"good\">{E(t["intact"])}</span>" : $"<span class=\"bad\">{c.Conflicts.ToString(Inv)} {E(t["conflicts"])}</span>";
            if (c.Rejected > 0)
            {
                html += $", <span class=\"warn\">{c.Rejected.ToString(Inv)} {E(t["forged"])}</span>";
            }

            return html;
        }

        /// <summary>The cadence as the page shows it ("2 min · rapid").</summary>
        public static string Cadence(GatewayStatus g, FleetLabels t)
        {
            ArgumentNullException.ThrowIfNull(g);
            ArgumentNullException.ThrowIfNull(t);
            if (g.CadenceSeconds is not { } s)
            {
                return "—";
            }

            var every = s % 60 == 0 ? (s / 60).ToString(Inv) + " min" : s.ToString(Inv) + " s";
            return every + " · " + t.Mode(g.Mode);
        }

        private static string Number(AlarmEntry a) => a.Kind switch
        {
            Core.Sensing.EventKind.AlarmRaised or Core.Sensing.EventKind.AlarmCleared => (a.Number / 100.0).ToString("0.00", Inv) + " m",
            Core.Sensing.EventKind.RateCleared => string.Empty,
            _ => "rate " + a.Number.ToString(Inv),
        };

        /// <summary>A time as the page shows it: UTC, to the minute.</summary>
        public static string Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd HH:mm", Inv);

        private static string Ago(long ms)
        {
            if (ms < 0)
            {
                return string.Empty;
            }

            return ms < 3_600_000 ? $"({ms / 60_000} min)" : ms < 172_800_000 ? $"({ms / 3_600_000.0:0.#} h)".Replace(',', '.') : $"({ms / 86_400_000} d)";
        }

        private static string Link(string path, FleetLabels t) => path + "?lang=" + t.Code;

        private static string E(string s) => WebUtility.HtmlEncode(s);
    }
}
