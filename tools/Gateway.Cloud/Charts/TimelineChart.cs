using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Gateway.Cloud.Charts
{
    /// <summary>
    /// Draws a deployment on one time axis as SVG: the true value and the received readings, alarm levels, alarms,
    /// outages and power cuts in the upper panel; the sampling cadence below it; and, when the alarms sit in a short
    /// part of a long run, a zoom panel around them with its own time and value axes. Plain SVG 1.1, no scripts and
    /// no external fonts, so any browser or image viewer shows it (the report and the receiver's fleet page both use it).
    /// </summary>
    public static class TimelineChart
    {
        /// <summary>Width of the picture, px.</summary>
        public const int Width = 1400;

        /// <summary>Left edge of every plot area, px.</summary>
        public const int Left = 90;

        /// <summary>Font size of the alarm labels, px.</summary>
        public const int AlarmFontSize = 12;

        private const int Right = 190;
        private const int TopMain = 80;
        private const int MainHeight = 430;
        private const int CadenceHeight = 110;
        private const int ZoomHeight = 330;
        private const int MaxTruthPoints = 3000;
        private const double ZoomWhenAlarmsSpanUnder = 0.35;
        private const long Hour = 3_600_000L;

        private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

        /// <summary>Right edge of every plot area, px.</summary>
        public static int PlotRight => Width - Right;

        /// <summary>
        /// Width a label takes at <paramref name="fontSize"/> px in DejaVu Sans or Arial, estimated on the generous side
        /// (0.62 em a character) so that labels laid out with it never touch.
        /// </summary>
        public static double TextWidth(string text, double fontSize) => text.Length * fontSize * 0.62;

        /// <summary>
        /// The span the zoom panel shows: <see cref="TimelineData.Zoom"/> when set, else around the alarms (half a day
        /// before the first, six hours after the last) when that is under a third of the run; null: no zoom panel.
        /// </summary>
        public static (long StartMs, long EndMs)? ZoomSpan(TimelineData data, long t0, long t1)
        {
            ArgumentNullException.ThrowIfNull(data);
            if (data.Zoom is { } z)
            {
                return z.EndMs > z.StartMs ? z : null;
            }

            if (data.Alarms.Count == 0)
            {
                return null;
            }

            var a0 = data.Alarms.Min(a => a.TimeMs);
            var a1 = data.Alarms.Max(a => a.TimeMs);
            var z0 = Math.Max(t0, a0 - Math.Max(12 * Hour, (a1 - a0) / 2));
            var z1 = Math.Min(t1, a1 + Math.Max(6 * Hour, (a1 - a0) / 4));
            return z1 > z0 && z1 - z0 < (t1 - t0) * ZoomWhenAlarmsSpanUnder ? (z0, z1) : null;
        }

        /// <summary>Renders the picture as an SVG document.</summary>
        public static string Render(TimelineData data)
        {
            ArgumentNullException.ThrowIfNull(data);
            var times = data.Truth.Select(p => p.TimeMs).Concat(data.Received.Select(p => p.TimeMs))
                .Concat(data.Outages.SelectMany(o => new[] { o.StartMs, o.EndMs })).ToList();
            long t0 = times.Count > 0 ? times.Min() : 0;
            long t1 = times.Count > 0 ? times.Max() : 1;
            if (t1 <= t0)
            {
                t1 = t0 + 1;
            }

            var zoom = ZoomSpan(data, t0, t1);
            var topCadence = TopMain + MainHeight + 30;
            var topZoom = topCadence + CadenceHeight + 90;
            var height = zoom is null ? topCadence + CadenceHeight + 50 : topZoom + ZoomHeight + 50;

            var sb = new StringBuilder();
            sb.Append(Inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"13\">\n");
            sb.Append(Inv, $"<rect width=\"{Width}\" height=\"{height}\" fill=\"#ffffff\"/>\n");
            sb.Append(Inv, $"<text x=\"{Left}\" y=\"30\" font-size=\"20\" font-weight=\"bold\">{Escape(data.Title)}</text>\n");

            var main = new Panel("main", TopMain, MainHeight, t0, t1);
            ValuePanel(sb, data, main, zoom);
            CadencePanel(sb, data, main with { Top = topCadence, Height = CadenceHeight });
            TimeAxis(sb, t0, t1, topCadence + CadenceHeight, TopMain);
            sb.Append(Inv, $"<text x=\"{F(Left + (PlotRight - Left) / 2.0)}\" y=\"{topCadence + CadenceHeight + 38}\" text-anchor=\"middle\">time (UTC)</text>\n");
            if (zoom is { } z)
            {
                var zp = new Panel("zoom", topZoom, ZoomHeight, z.StartMs, z.EndMs);
                sb.Append(Inv, $"<text x=\"{Left}\" y=\"{topZoom - 12}\" font-size=\"15\" font-weight=\"bold\">Zoom: {Stamp(z.StartMs)} to {Stamp(z.EndMs)} UTC (around the alarms; shaded grey above)</text>\n");
                ValuePanel(sb, data, zp, null);
                TimeAxis(sb, z.StartMs, z.EndMs, topZoom + ZoomHeight, topZoom);
            }

            Legend(sb, data, 56);
            sb.Append("</svg>\n");
            return sb.ToString();
        }

        /// <summary>A plot area: its SVG id, top and height (px) and the time span across it.</summary>
        private readonly record struct Panel(string Id, int Top, int Height, long T0, long T1)
        {
            public double X(long t) => Left + ((double)(t - T0)) * (PlotRight - Left) / (T1 - T0);
        }

        private static void ValuePanel(StringBuilder sb, TimelineData data, Panel p, (long StartMs, long EndMs)? zoomMark)
        {
            bool In(long t) => t >= p.T0 && t <= p.T1;
            var truth = data.Truth.Where(q => In(q.TimeMs)).ToList();
            var received = data.Received.Where(q => In(q.TimeMs)).ToList();
            var values = truth.Select(q => q.Value).Concat(received.Where(q => !q.Flagged).Select(q => q.Value)).ToList();
            var levels = data.Levels.ToList();
            if (values.Count > 0 && p.Id == "zoom")
            {
                // The zoom fits its data; only the alarm levels near it are drawn (they would squash it otherwise).
                var lo = values.Min();
                var hi = values.Max();
                var reach = Math.Max(hi - lo, 1) * 0.5;
                levels = levels.Where(l => l.Value >= lo - reach && l.Value <= hi + reach).ToList();
            }

            values.AddRange(levels.Select(l => l.Value));
            double v0 = values.Count > 0 ? values.Min() : 0;
            double v1 = values.Count > 0 ? values.Max() : 1;
            var pad = Math.Max((v1 - v0) * 0.06, 1);
            v0 -= pad;
            v1 += pad;
            var bottom = p.Top + p.Height;
            double Y(double v) => bottom - (v - v0) * p.Height / (v1 - v0);
            var plotW = PlotRight - Left;

            sb.Append(Inv, $"<clipPath id=\"clip-{p.Id}\"><rect x=\"{Left}\" y=\"{p.Top}\" width=\"{plotW}\" height=\"{p.Height}\"/></clipPath>\n");
            sb.Append(Inv, $"<g clip-path=\"url(#clip-{p.Id})\">\n");
            foreach (var o in data.Outages.Where(o => o.EndMs >= p.T0 && o.StartMs <= p.T1))
            {
                var x = p.X(Math.Max(o.StartMs, p.T0));
                var w = Math.Max(1, p.X(Math.Min(o.EndMs, p.T1)) - x);
                sb.Append(Inv, $"<rect x=\"{F(x)}\" y=\"{p.Top}\" width=\"{F(w)}\" height=\"{p.Height}\" fill=\"#f4b183\" fill-opacity=\"0.35\"/>\n");
                sb.Append(Inv, $"<text x=\"{F(x + 4)}\" y=\"{bottom - 30}\" fill=\"#a0522d\">{Escape(o.Label)}</text>\n");
            }

            // Gaps: spans without readings, grey.
            foreach (var g in data.Gaps.Where(g => g.EndMs >= p.T0 && g.StartMs <= p.T1))
            {
                var x = p.X(Math.Max(g.StartMs, p.T0));
                var w = Math.Max(1, p.X(Math.Min(g.EndMs, p.T1)) - x);
                sb.Append(Inv, $"<rect x=\"{F(x)}\" y=\"{p.Top}\" width=\"{F(w)}\" height=\"{p.Height}\" fill=\"#999999\" fill-opacity=\"0.25\"/>\n");
            }

            if (zoomMark is { } zm)
            {
                var x = p.X(zm.StartMs);
                sb.Append(Inv, $"<rect x=\"{F(x)}\" y=\"{p.Top}\" width=\"{F(Math.Max(1, p.X(zm.EndMs) - x))}\" height=\"{p.Height}\" fill=\"#808080\" fill-opacity=\"0.12\"/>\n");
            }

            foreach (var tick in Ticks(v0, v1, 8))
            {
                var y = Y(tick);
                sb.Append(Inv, $"<line x1=\"{Left}\" y1=\"{F(y)}\" x2=\"{PlotRight}\" y2=\"{F(y)}\" stroke=\"#e6e6e6\"/>\n");
            }

            foreach (var level in levels)
            {
                var y = Y(level.Value);
                sb.Append(Inv, $"<line x1=\"{Left}\" y1=\"{F(y)}\" x2=\"{PlotRight}\" y2=\"{F(y)}\" stroke=\"#c00000\" stroke-dasharray=\"6 4\" stroke-opacity=\"0.6\"/>\n");
            }

            if (truth.Count > 0)
            {
                var every = Math.Max(1, truth.Count / MaxTruthPoints);
                var path = new StringBuilder();
                for (var i = 0; i < truth.Count; i += every)
                {
                    path.Append(i == 0 ? 'M' : 'L').Append(F(p.X(truth[i].TimeMs))).Append(' ').Append(F(Y(truth[i].Value))).Append(' ');
                }

                sb.Append(Inv, $"<path class=\"truth\" d=\"{path}\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2.5\" stroke-opacity=\"0.55\"/>\n");
            }

            AppendDots(sb, received.Where(q => !q.Flagged), p.X, Y, "#111111", 3);
            AppendDots(sb, received.Where(q => q.Flagged), p.X, _ => bottom - 6, "#ff7f0e", 6);
            foreach (var cut in data.PowerCuts.Where(In))
            {
                sb.Append(Inv, $"<path d=\"M{F(p.X(cut))} {bottom - 22} l-4 9 h6 l-4 11\" fill=\"none\" stroke=\"#7030a0\" stroke-width=\"2\"/>\n");
            }

            var alarms = data.Alarms.Where(a => In(a.TimeMs)).OrderBy(a => a.TimeMs).ToList();
            foreach (var alarm in alarms)
            {
                var x = p.X(alarm.TimeMs);
                sb.Append(Inv, $"<line x1=\"{F(x)}\" y1=\"{p.Top}\" x2=\"{F(x)}\" y2=\"{bottom}\" stroke=\"#d62728\" stroke-width=\"1.5\"/>\n");
            }

            sb.Append("</g>\n");
            sb.Append(Inv, $"<rect x=\"{Left}\" y=\"{p.Top}\" width=\"{plotW}\" height=\"{p.Height}\" fill=\"none\" stroke=\"#444\"/>\n");
            foreach (var tick in Ticks(v0, v1, 8))
            {
                sb.Append(Inv, $"<text x=\"{Left - 8}\" y=\"{F(Y(tick) + 4)}\" text-anchor=\"end\">{tick.ToString("0.###", Inv)}</text>\n");
            }

            sb.Append(Inv, $"<text transform=\"translate(22 {p.Top + p.Height / 2}) rotate(-90)\" text-anchor=\"middle\">{Escape(data.ValueLabel)}</text>\n");

            // Level names right of the plot, moved apart so that two close levels stay readable.
            var lastY = double.NegativeInfinity;
            foreach (var level in levels.OrderByDescending(l => l.Value))
            {
                var y = Math.Max(Y(level.Value) + 4, lastY + 14);
                lastY = y;
                sb.Append(Inv, $"<text x=\"{PlotRight + 6}\" y=\"{F(y)}\" fill=\"#c00000\">{Escape(level.Label)}</text>\n");
            }

            var placed = LayoutLabels(alarms.Select(a => (p.X(a.TimeMs), a.Label)).ToList(), Math.Max(1, (p.Height - 60) / 15));
            var hidden = 0;
            for (var i = 0; i < alarms.Count; i++)
            {
                if (placed[i] is not { } at)
                {
                    hidden++;
                    continue;
                }

                sb.Append(Inv, $"<text class=\"alarm-label\" x=\"{F(at.X)}\" y=\"{p.Top + 16 + 15 * at.Row}\" text-anchor=\"{(at.End ? "end" : "start")}\" fill=\"#d62728\" font-size=\"{AlarmFontSize}\">{Escape(alarms[i].Label)}</text>\n");
            }

            if (hidden > 0)
            {
                sb.Append(Inv, $"<text x=\"{PlotRight}\" y=\"{p.Top - 6}\" text-anchor=\"end\" fill=\"#d62728\" font-size=\"{AlarmFontSize}\">{hidden} more alarm(s) without a label here: see the alarm list</text>\n");
            }
        }

        /// <summary>
        /// Places labels beside their markers: right of the line, or left of it near the right edge, in the first row
        /// where it touches no other label and stays inside the plot; null where no row has room.
        /// </summary>
        public static (double X, int Row, bool End)?[] LayoutLabels(IReadOnlyList<(double X, string Text)> markers, int rows)
        {
            ArgumentNullException.ThrowIfNull(markers);
            var taken = new List<(double From, double To)>[Math.Max(1, rows)];
            for (var r = 0; r < taken.Length; r++)
            {
                taken[r] = new List<(double, double)>();
            }

            var result = new (double X, int Row, bool End)?[markers.Count];
            for (var i = 0; i < markers.Count; i++)
            {
                var (x, text) = markers[i];
                var w = TextWidth(text, AlarmFontSize);
                var right = (From: x + 3, To: x + 3 + w, X: x + 3, End: false);
                var left = (From: x - 3 - w, To: x - 3, X: x - 3, End: true);
                for (var r = 0; r < taken.Length && result[i] is null; r++)
                {
                    foreach (var c in new[] { right, left })
                    {
                        if (c.From >= Left + 2 && c.To <= PlotRight - 2 && taken[r].All(t => c.To + 4 < t.From || c.From > t.To + 4))
                        {
                            taken[r].Add((c.From, c.To));
                            result[i] = (c.X, r, c.End);
                            break;
                        }
                    }
                }
            }

            return result;
        }

        private static void CadencePanel(StringBuilder sb, TimelineData data, Panel p)
        {
            var plotW = PlotRight - Left;
            sb.Append(Inv, $"<rect x=\"{Left}\" y=\"{p.Top}\" width=\"{plotW}\" height=\"{p.Height}\" fill=\"none\" stroke=\"#444\"/>\n");
            foreach (var o in data.Outages)
            {
                var x = p.X(o.StartMs);
                sb.Append(Inv, $"<rect x=\"{F(x)}\" y=\"{p.Top}\" width=\"{F(Math.Max(1, p.X(o.EndMs) - x))}\" height=\"{p.Height}\" fill=\"#f4b183\" fill-opacity=\"0.35\"/>\n");
            }

            if (data.CadenceSeconds.Count > 0)
            {
                var maxMin = Math.Max(1, data.CadenceSeconds.Max(c => c.Value) / 60.0);
                double YC(double seconds) => p.Top + p.Height - 8 - (seconds / 60.0) * (p.Height - 20) / maxMin;
                var path = new StringBuilder();
                var first = true;
                foreach (var c in data.CadenceSeconds.OrderBy(c => c.TimeMs))
                {
                    path.Append(first ? 'M' : 'H').Append(F(p.X(c.TimeMs))).Append(first ? " " : " V").Append(F(YC(c.Value))).Append(' ');
                    first = false;
                }

                path.Append(Inv, $"H{PlotRight}");
                sb.Append(Inv, $"<path d=\"{path}\" fill=\"none\" stroke=\"#2ca02c\" stroke-width=\"2\"/>\n");
                foreach (var minutes in Ticks(0, maxMin, 3).Where(m => m > 0))
                {
                    sb.Append(Inv, $"<text x=\"{Left - 8}\" y=\"{F(YC(minutes * 60) + 4)}\" text-anchor=\"end\">{minutes.ToString("0.#", Inv)}</text>\n");
                }
            }

            sb.Append(Inv, $"<text transform=\"translate(22 {p.Top + p.Height / 2}) rotate(-90)\" text-anchor=\"middle\">cadence (min)</text>\n");
        }

        /// <summary>Time ticks (days, 6 h, hours or 10 min, by span) with labels under <paramref name="bottom"/> and grid lines up to <paramref name="top"/>.</summary>
        private static void TimeAxis(StringBuilder sb, long t0, long t1, int bottom, int top)
        {
            var span = t1 - t0;
            long step = span > 3 * 86_400_000L ? 86_400_000L : span > 36 * Hour ? 6 * Hour : span > 6 * Hour ? 2 * Hour : span > 2 * Hour ? Hour : 600_000L;
            var p = new Panel("axis", top, bottom - top, t0, t1);
            for (long t = (t0 / step + 1) * step; t < t1; t += step)
            {
                var x = p.X(t);
                sb.Append(Inv, $"<line x1=\"{F(x)}\" y1=\"{top}\" x2=\"{F(x)}\" y2=\"{bottom}\" stroke=\"#000\" stroke-opacity=\"0.07\"/>\n");
                var label = DateTimeOffset.FromUnixTimeMilliseconds(t).UtcDateTime.ToString(step >= 86_400_000L ? "MM-dd" : "MM-dd HH:mm", Inv);
                sb.Append(Inv, $"<text x=\"{F(x)}\" y=\"{bottom + 18}\" text-anchor=\"middle\">{label}</text>\n");
            }
        }

        /// <summary>The legend, one row between the title and the main panel.</summary>
        private static void Legend(StringBuilder sb, TimelineData data, int y)
        {
            // Only what the picture holds (a chart from the cloud's database alone has no true level).
            var legend = new (string Color, string Label, string Kind, bool Shown)[]
            {
                ("#1f77b4", data.TruthLabel, "line", data.Truth.Count > 0),
                ("#111111", "received reading", "dot", true),
                ("#ff7f0e", "flagged reading", "dot", data.Received.Any(r => r.Flagged)),
                ("#c00000", "alarm level", "dash", data.Levels.Count > 0),
                ("#d62728", "alarm", "line", data.Alarms.Count > 0),
                ("#f4b183", "link outage", "band", data.Outages.Count > 0),
                ("#999999", "no readings", "band", data.Gaps.Count > 0),
                ("#7030a0", "power cut", "line", data.PowerCuts.Count > 0),
                ("#2ca02c", "cadence", "line", data.CadenceSeconds.Count > 0),
            }.Where(l => l.Shown).Select(l => (l.Color, l.Label, l.Kind)).ToArray();
            double lx = Left;
            foreach (var (color, label, kind) in legend)
            {
                sb.Append(kind switch
                {
                    "dot" => string.Create(Inv, $"<circle cx=\"{F(lx + 8)}\" cy=\"{y}\" r=\"3.5\" fill=\"{color}\"/>"),
                    "band" => string.Create(Inv, $"<rect x=\"{F(lx)}\" y=\"{y - 6}\" width=\"16\" height=\"12\" fill=\"{color}\" fill-opacity=\"0.5\"/>"),
                    "dash" => string.Create(Inv, $"<line x1=\"{F(lx)}\" y1=\"{y}\" x2=\"{F(lx + 16)}\" y2=\"{y}\" stroke=\"{color}\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>"),
                    _ => string.Create(Inv, $"<line x1=\"{F(lx)}\" y1=\"{y}\" x2=\"{F(lx + 16)}\" y2=\"{y}\" stroke=\"{color}\" stroke-width=\"2.5\"/>"),
                });
                sb.Append(Inv, $"<text class=\"legend\" x=\"{F(lx + 22)}\" y=\"{y + 4}\">{Escape(label)}</text>\n");
                lx += 22 + TextWidth(label, 13) + 18;
            }
        }

        private static void AppendDots(StringBuilder sb, IEnumerable<SeriesPoint> points, Func<long, double> x, Func<double, double> y, string color, double size)
        {
            var path = new StringBuilder();
            foreach (var p in points)
            {
                path.Append('M').Append(F(x(p.TimeMs))).Append(' ').Append(F(y(p.Value))).Append("h0");
            }

            if (path.Length > 0)
            {
                sb.Append(Inv, $"<path d=\"{path}\" stroke=\"{color}\" stroke-width=\"{F(size)}\" stroke-linecap=\"round\" fill=\"none\"/>\n");
            }
        }

        /// <summary>Round tick values from <paramref name="min"/> to <paramref name="max"/>, about <paramref name="count"/> of them; never "-0".</summary>
        public static double[] Ticks(double min, double max, int count)
        {
            var raw = (max - min) / Math.Max(1, count);
            if (raw <= 0)
            {
                return new[] { min };
            }

            var mag = Math.Pow(10, Math.Floor(Math.Log10(raw)));
            var step = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * mag).First(s => s >= raw);
            var first = Math.Ceiling(min / step) * step;
            var list = new List<double>();
            for (var i = 0; first + i * step <= max + 1e-9; i++)
            {
                var v = Math.Round(first + i * step, 9);
                list.Add(Math.Abs(v) < step * 1e-6 ? 0.0 : v); // a rounding residue or -0 is the zero tick
            }

            return list.ToArray();
        }

        private static string Stamp(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd HH:mm", Inv);

        private static string F(double v) => v.ToString("0.#", Inv);

        private static string Escape(string s) => s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
    }
}
