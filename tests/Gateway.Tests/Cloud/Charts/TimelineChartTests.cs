using System;
using System.Linq;
using System.Xml.Linq;
using Gateway.Simulation.Report;
using Xunit;

namespace Gateway.Tests.Cloud.Charts
{
    public class TimelineChartTests
    {
        internal static TimelineData Sample()
        {
            var data = new TimelineData { Title = "typhoon flood, small fast river" };
            var t0 = new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
            for (var i = 0; i < 14 * 24 * 30; i++)
            {
                var t = t0 + i * 120_000L;
                var day = i / 720.0;
                var level = 800 + 2600 * Math.Exp(-Math.Pow((day - 6) / 1.2, 2));
                data.Truth.Add(new SeriesPoint(t, level));
                if (i % 5 == 0 && !(day > 7 && day < 9))
                {
                    data.Received.Add(new SeriesPoint(t, level + (i % 7) - 3, Flagged: i % 997 == 0));
                }
            }

            data.CadenceSeconds.Add(new SeriesPoint(t0, 600));
            data.CadenceSeconds.Add(new SeriesPoint(t0 + (long)(4.5 * 86_400_000), 120));
            data.CadenceSeconds.Add(new SeriesPoint(t0 + (long)(8.5 * 86_400_000), 600));
            data.Levels.Add(new LevelLine("observation start", 1500));
            data.Levels.Add(new LevelLine("caution", 2500));
            data.Alarms.Add(new TimelineMarker(t0 + (long)(4.6 * 86_400_000), "caution"));
            data.Outages.Add(new TimelineSpan(t0 + 7 * 86_400_000L, t0 + 9 * 86_400_000L, "link outage 48 h"));
            data.PowerCuts.Add(t0 + 3 * 86_400_000L);
            return data;
        }

        [Fact]
        public void The_picture_is_well_formed_svg_with_every_layer_drawn()
        {
            var svg = TimelineChart.Render(Sample());
            var doc = XDocument.Parse(svg);
            XNamespace ns = "http://www.w3.org/2000/svg";
            Assert.Equal(ns + "svg", doc.Root!.Name);
            var texts = doc.Descendants(ns + "text").Select(t => t.Value).ToList();
            Assert.Contains("caution", texts);
            Assert.Contains("link outage 48 h", texts);
            Assert.Contains("observation start", texts);
            Assert.True(doc.Descendants(ns + "path").Count() >= 4, "truth, readings, cadence and power-cut paths");
            System.IO.File.WriteAllText(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gateway-timeline-sample.svg"), svg);
        }

        [Fact]
        public void An_empty_deployment_still_renders()
        {
            var doc = XDocument.Parse(TimelineChart.Render(new TimelineData()));
            Assert.NotNull(doc.Root);
        }

        private static readonly XNamespace Ns = "http://www.w3.org/2000/svg";

        [Fact]
        public void Alarm_labels_never_overlap_and_stay_inside_the_plot()
        {
            // Many alarms close together, some at the very right edge (as a slope failure or a flood peak gives).
            var data = Sample();
            var end = data.Truth[^1].TimeMs;
            var names = new[] { "tilt change", "tilt rate (hourly)", "tilt rate (daily)", "evacuation decision", "danger", "caution" };
            for (var i = 0; i < 14; i++)
            {
                data.Alarms.Add(new TimelineMarker(end - i * 400_000L, names[i % names.Length]));
            }

            var doc = XDocument.Parse(TimelineChart.Render(data));
            var boxes = doc.Descendants(Ns + "text").Where(t => (string?)t.Attribute("class") == "alarm-label").Select(t =>
            {
                var x = double.Parse((string)t.Attribute("x")!, System.Globalization.CultureInfo.InvariantCulture);
                var w = TimelineChart.TextWidth(t.Value, TimelineChart.AlarmFontSize);
                var from = (string?)t.Attribute("text-anchor") == "end" ? x - w : x;
                return (Y: (string)t.Attribute("y")!, From: from, To: from + w, Text: t.Value);
            }).ToList();
            Assert.True(boxes.Count >= 8, "most labels are placed");
            foreach (var b in boxes)
            {
                Assert.True(b.From >= TimelineChart.Left && b.To <= TimelineChart.PlotRight, $"\"{b.Text}\" runs past the plot ({b.From:0}..{b.To:0})");
                Assert.DoesNotContain(boxes, o => !ReferenceEquals(o.Text, b.Text) && o != b && o.Y == b.Y && o.From < b.To && b.From < o.To);
            }
        }

        [Fact]
        public void No_tick_reads_minus_zero()
        {
            foreach (var (min, max) in new[] { (-2.0, 120_000.0), (-0.3, 0.3), (-1e-10, 5.0), (-7.0, 7.0) })
            {
                Assert.DoesNotContain(TimelineChart.Ticks(min, max, 8), t => t == 0 && double.IsNegative(t));
            }

            var data = new TimelineData { ValueLabel = "tilt, pitch (millidegrees)" };
            var t0 = new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
            for (var i = 0; i < 500; i++)
            {
                data.Truth.Add(new SeriesPoint(t0 + i * 600_000L, i < 480 ? -150 + i * 0.5 : (i - 480) * 6000));
            }

            var texts = XDocument.Parse(TimelineChart.Render(data)).Descendants(Ns + "text").Select(t => t.Value).ToList();
            Assert.DoesNotContain("-0", texts);
            Assert.Contains("0", texts);
        }

        [Fact]
        public void Alarms_in_a_short_part_of_a_long_run_get_a_zoom_panel_with_an_hourly_axis()
        {
            var data = Sample(); // 14 days, one alarm at day 4.6
            var t0 = data.Truth[0].TimeMs;
            var zoom = TimelineChart.ZoomSpan(data, t0, data.Truth[^1].TimeMs);
            Assert.NotNull(zoom);
            Assert.InRange(data.Alarms[0].TimeMs, zoom!.Value.StartMs, zoom.Value.EndMs);
            Assert.True(zoom.Value.EndMs - zoom.Value.StartMs <= 2 * 86_400_000L);
            var texts = XDocument.Parse(TimelineChart.Render(data)).Descendants(Ns + "text").Select(t => t.Value).ToList();
            Assert.Contains(texts, t => t.StartsWith("Zoom: ", StringComparison.Ordinal));
            Assert.Contains(texts, t => System.Text.RegularExpressions.Regex.IsMatch(t, @"^\d\d-\d\d \d\d:00$"));

            // No alarm, or alarms over most of the run: no zoom.
            var quiet = Sample();
            quiet.Alarms.Clear();
            Assert.Null(TimelineChart.ZoomSpan(quiet, t0, quiet.Truth[^1].TimeMs));
        }
    }
}
