using System;
using System.Linq;
using System.Xml.Linq;
using Gateway.Simulation.Report;
using Xunit;

namespace Gateway.Tests.Simulation
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
    }
}
