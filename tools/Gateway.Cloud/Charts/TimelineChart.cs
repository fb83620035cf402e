using System;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Gateway.Cloud.Charts
{
    /// <summary>
    /// Draws a deployment on one time axis as SVG: the true level and the received readings, alarm levels, alarms,
    /// outages and power cuts in the upper panel; the sampling cadence in the lower panel. Plain SVG 1.1, no scripts,
    /// so any browser or image viewer shows it.
    /// </summary>
    public static class TimelineChart
    {
        private const int Width = 1400;
        private const int Height = 760;
        private const int Left = 90;
        private const int Right = 190;
        private const int TopMain = 60;
        private const int MainHeight = 470;
        private const int TopCadence = TopMain + MainHeight + 50;
        private const int CadenceHeight = 110;
        private const int MaxTruthPoints = 3000;

        private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

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

            var values = data.Truth.Select(p => p.Value).Concat(data.Received.Where(p => !p.Flagged).Select(p => p.Value))
                .Concat(data.Levels.Select(l => l.Value)).ToList();
            double v0 = values.Count > 0 ? values.Min() : 0;
            double v1 = values.Count > 0 ? values.Max() : 1;
            var pad = Math.Max((v1 - v0) * 0.06, 1);
            v0 -= pad;
            v1 += pad;

            double plotW = Width - Left - Right;
            double X(long t) => Left + (t - t0) * plotW / (t1 - t0);
            double Y(double v) => TopMain + MainHeight - (v - v0) * MainHeight / (v1 - v0);

            var sb = new StringBuilder();
            sb.Append(Inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"13\">\n");
            sb.Append(Inv, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"#ffffff\"/>\n");
            sb.Append(Inv, $"<text x=\"{Left}\" y=\"30\" font-size=\"20\" font-weight=\"bold\">{Escape(data.Title)}</text>\n");

            // Outages: shaded across both panels.
            foreach (var o in data.Outages)
            {
                var x = X(o.StartMs);
                var w = Math.Max(1, X(o.EndMs) - x);
                sb.Append(Inv, $"<rect x=\"{F(x)}\" y=\"{TopMain}\" width=\"{F(w)}\" height=\"{TopCadence + CadenceHeight - TopMain}\" fill=\"#f4b183\" fill-opacity=\"0.35\"/>\n");
                sb.Append(Inv, $"<text x=\"{F(x + 4)}\" y=\"{TopMain + 20}\" fill=\"#a0522d\">{Escape(o.Label)}</text>\n");
            }

            // Gaps: spans without readings, grey.
            foreach (var g in data.Gaps)
            {
                var x = X(g.StartMs);
                var w = Math.Max(1, X(g.EndMs) - x);
                sb.Append(Inv, $"<rect x=\"{F(x)}\" y=\"{TopMain}\" width=\"{F(w)}\" height=\"{MainHeight}\" fill=\"#999999\" fill-opacity=\"0.25\"/>\n");
            }

            // Frames.
            sb.Append(Inv, $"<rect x=\"{Left}\" y=\"{TopMain}\" width=\"{F(plotW)}\" height=\"{MainHeight}\" fill=\"none\" stroke=\"#444\"/>\n");
            sb.Append(Inv, $"<rect x=\"{Left}\" y=\"{TopCadence}\" width=\"{F(plotW)}\" height=\"{CadenceHeight}\" fill=\"none\" stroke=\"#444\"/>\n");

            // Value axis.
            foreach (var tick in Ticks(v0, v1, 8))
            {
                var y = Y(tick);
                sb.Append(Inv, $"<line x1=\"{Left}\" y1=\"{F(y)}\" x2=\"{F(Left + plotW)}\" y2=\"{F(y)}\" stroke=\"#e6e6e6\"/>\n");
                sb.Append(Inv, $"<text x=\"{Left - 8}\" y=\"{F(y + 4)}\" text-anchor=\"end\">{tick.ToString("0.###", Inv)}</text>\n");
            }

            sb.Append(Inv, $"<text transform=\"translate(22 {TopMain + MainHeight / 2}) rotate(-90)\" text-anchor=\"middle\">{Escape(data.ValueLabel)}</text>\n");

            // Time axis: ticks at whole days (or hours for short runs), under the cadence panel.
            var span = t1 - t0;
            long step = span > 3 * 86_400_000L ? 86_400_000L : span > 6 * 3_600_000L ? 6 * 3_600_000L : 3_600_000L;
            for (long t = (t0 / step + 1) * step; t < t1; t += step)
            {
                var x = X(t);
                sb.Append(Inv, $"<line x1=\"{F(x)}\" y1=\"{TopMain}\" x2=\"{F(x)}\" y2=\"{TopCadence + CadenceHeight}\" stroke=\"#f0f0f0\"/>\n");
                var label = DateTimeOffset.FromUnixTimeMilliseconds(t).UtcDateTime.ToString(step >= 86_400_000L ? "MM-dd" : "MM-dd HH:mm", Inv);
                sb.Append(Inv, $"<text x=\"{F(x)}\" y=\"{TopCadence + CadenceHeight + 18}\" text-anchor=\"middle\">{label}</text>\n");
            }

            sb.Append(Inv, $"<text x=\"{F(Left + plotW / 2)}\" y=\"{Height - 12}\" text-anchor=\"middle\">time (UTC)</text>\n");

            // Reference levels.
            foreach (var level in data.Levels)
            {
                var y = Y(level.Value);
                sb.Append(Inv, $"<line x1=\"{Left}\" y1=\"{F(y)}\" x2=\"{F(Left + plotW)}\" y2=\"{F(y)}\" stroke=\"#c00000\" stroke-dasharray=\"6 4\" stroke-opacity=\"0.6\"/>\n");
                sb.Append(Inv, $"<text x=\"{F(Left + plotW + 6)}\" y=\"{F(y + 4)}\" fill=\"#c00000\">{Escape(level.Label)}</text>\n");
            }

            // Truth, thinned to a drawable number of points.
            if (data.Truth.Count > 0)
            {
                var every = Math.Max(1, data.Truth.Count / MaxTruthPoints);
                var path = new StringBuilder();
                for (var i = 0; i < data.Truth.Count; i += every)
                {
                    path.Append(i == 0 ? 'M' : 'L').Append(F(X(data.Truth[i].TimeMs))).Append(' ').Append(F(Y(data.Truth[i].Value))).Append(' ');
                }

                sb.Append(Inv, $"<path d=\"{path}\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2.5\" stroke-opacity=\"0.55\"/>\n");
            }

            // Received readings as dots (a zero-length segment with round caps is a dot).
            AppendDots(sb, data.Received.Where(p => !p.Flagged), X, Y, "#111111", 3);
            AppendDots(sb, data.Received.Where(p => p.Flagged), X, p => TopMain + MainHeight - 6, "#ff7f0e", 6);

            // Power cuts: lightning ticks on the bottom of the main panel.
            foreach (var cut in data.PowerCuts)
            {
                var x = X(cut);
                sb.Append(Inv, $"<path d=\"M{F(x)} {TopMain + MainHeight - 22} l-4 9 h6 l-4 11\" fill=\"none\" stroke=\"#7030a0\" stroke-width=\"2\"/>\n");
            }

            // Alarms: vertical red lines with labels, staggered so neighbours stay readable.
            var row = 0;
            foreach (var alarm in data.Alarms.OrderBy(a => a.TimeMs))
            {
                var x = X(alarm.TimeMs);
                sb.Append(Inv, $"<line x1=\"{F(x)}\" y1=\"{TopMain}\" x2=\"{F(x)}\" y2=\"{TopMain + MainHeight}\" stroke=\"#d62728\" stroke-width=\"1.5\"/>\n");
                sb.Append(Inv, $"<text x=\"{F(x + 3)}\" y=\"{TopMain + 34 + 15 * (row % 6)}\" fill=\"#d62728\" font-size=\"12\">{Escape(alarm.Label)}</text>\n");
                row++;
            }

            // Cadence panel.
            if (data.CadenceSeconds.Count > 0)
            {
                var maxMin = Math.Max(1, data.CadenceSeconds.Max(c => c.Value) / 60.0);
                double YC(double seconds) => TopCadence + CadenceHeight - 8 - (seconds / 60.0) * (CadenceHeight - 20) / maxMin;
                var path = new StringBuilder();
                double? lastY = null;
                foreach (var c in data.CadenceSeconds)
                {
                    var x = X(c.TimeMs);
                    var y = YC(c.Value);
                    if (lastY is null)
                    {
                        path.Append(Inv, $"M{F(x)} {F(y)} ");
                    }
                    else
                    {
                        path.Append(Inv, $"H{F(x)} V{F(y)} ");
                    }

                    lastY = y;
                }

                path.Append(Inv, $"H{F(Left + plotW)}");
                sb.Append(Inv, $"<path d=\"{path}\" fill=\"none\" stroke=\"#2ca02c\" stroke-width=\"2\"/>\n");
                foreach (var minutes in Ticks(0, maxMin, 3).Where(m => m > 0))
                {
                    sb.Append(Inv, $"<text x=\"{Left - 8}\" y=\"{F(YC(minutes * 60) + 4)}\" text-anchor=\"end\">{minutes.ToString("0.#", Inv)}</text>\n");
                }
            }

            sb.Append(Inv, $"<text transform=\"translate(22 {TopCadence + CadenceHeight / 2}) rotate(-90)\" text-anchor=\"middle\">cadence (min)</text>\n");

            // Legend.
            var lx = Left + plotW + 12;
            var ly = TopCadence - 10;
            // Only what the picture holds (a chart from the cloud's database alone has no true level).
            var legend = new (string Color, string Label, string Kind, bool Shown)[]
            {
                ("#1f77b4", "true level", "line", data.Truth.Count > 0),
                ("#111111", "received reading", "dot", true),
                ("#ff7f0e", "flagged reading", "dot", data.Received.Any(p => p.Flagged)),
                ("#d62728", "alarm", "line", data.Alarms.Count > 0),
                ("#f4b183", "link outage", "band", data.Outages.Count > 0),
                ("#999999", "no readings", "band", data.Gaps.Count > 0),
                ("#7030a0", "power cut", "line", data.PowerCuts.Count > 0),
                ("#2ca02c", "cadence", "line", data.CadenceSeconds.Count > 0),
            }.Where(l => l.Shown).ToArray();
            for (var i = 0; i < legend.Length; i++)
            {
                var y = ly + i * 18 - legend.Length * 18;
                var (color, label, kind, _) = legend[i];
                sb.Append(kind switch
                {
                    "dot" => string.Create(Inv, $"<circle cx=\"{F(lx + 8)}\" cy=\"{y}\" r=\"3.5\" fill=\"{color}\"/>"),
                    "band" => string.Create(Inv, $"<rect x=\"{F(lx)}\" y=\"{y - 6}\" width=\"16\" height=\"12\" fill=\"{color}\" fill-opacity=\"0.5\"/>"),
                    _ => string.Create(Inv, $"<line x1=\"{F(lx)}\" y1=\"{y}\" x2=\"{F(lx + 16)}\" y2=\"{y}\" stroke=\"{color}\" stroke-width=\"2.5\"/>"),
                });
                sb.Append(Inv, $"<text x=\"{F(lx + 22)}\" y=\"{y + 4}\">{Escape(label)}</text>\n");
            }

            sb.Append("</svg>\n");
            return sb.ToString();
        }

        private static void AppendDots(StringBuilder sb, System.Collections.Generic.IEnumerable<SeriesPoint> points, Func<long, double> x, Func<double, double> y, string color, double size)
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

        private static double[] Ticks(double min, double max, int count)
        {
            var raw = (max - min) / Math.Max(1, count);
            if (raw <= 0)
            {
                return new[] { min };
            }

            var mag = Math.Pow(10, Math.Floor(Math.Log10(raw)));
            var step = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * mag).First(s => s >= raw);
            var first = Math.Ceiling(min / step) * step;
            var list = new System.Collections.Generic.List<double>();
            for (var v = first; v <= max + 1e-9; v += step)
            {
                list.Add(Math.Round(v, 9));
            }

            return list.ToArray();
        }

        private static string F(double v) => v.ToString("0.#", Inv);

        private static string Escape(string s) => s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
    }
}
