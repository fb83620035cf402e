using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Xml.Linq;
using Gateway.Core.Sensing;
using Gateway.Simulation;
using Gateway.Simulation.Report;
using Gateway.Tests.Cli;
using Xunit;

namespace Gateway.Tests.Simulation.Report
{
    /// <summary>
    /// The report explains itself (issue 17): every figure glossed, the real duration in the title, the right quantity
    /// in the legend, truth that never goes back in time, one page per gateway, named and decoded CSV rows, chain
    /// breaks reconciled with what was stored. Runs the real simulator, short.
    /// </summary>
    public sealed class ReportWriterTests : IDisposable
    {
        private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
        private readonly string _dir = Directory.CreateTempSubdirectory("gw-report-").FullName;

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_dir, true);
        }

        private (Gateway.Simulation.Simulation Sim, string Page) Run(SimOptions options)
        {
            options.OutDir = Path.Combine(_dir, options.Scenario + "-" + options.Gateways);
            var sim = new Gateway.Simulation.Simulation(options);
            sim.Run();
            var page = ReportWriter.Write(options.OutDir, sim.Store, SimSummary.Compute(sim, 0), SimSummary.Timelines(sim), SimSummary.Recorded(sim));
            return (sim, page);
        }

        [Fact]
        public void The_simulator_README_explains_every_figure_as_the_glossary_does()
        {
            var readme = File.ReadAllText(Path.Combine(Gateway.Tests.Codec.CodecPaths.RepoRoot, "tools", "Gateway.Simulation", "README.md"));
            var missing = FigureGlossary.Entries.Where(e => !readme.Contains($"| `{e.Name}` | {e.Unit} | {e.Meaning} |", StringComparison.Ordinal)).Select(e => e.Name).ToList();
            Assert.True(missing.Count == 0, "tools/Gateway.Simulation/README.md's figure table differs from FigureGlossary.cs for: " + string.Join(", ", missing));
        }

        [Fact]
        public void Every_figure_sim_json_prints_has_a_unit_and_a_meaning_in_the_glossary()
        {
            // The figures of the in-process LoRaWAN path and of the SIM7080G path, as the CLI prints them.
            var names = new List<string>();
            foreach (var transport in new[] { "lora", "cellular" })
            {
                var outDir = Path.Combine(_dir, "cli-" + transport);
                var (code, stdout, stderr) = SimCommandErrorTests.Cli(_dir, "sim", "--days", "1", "--transport", transport, "--json", "--out", outDir);
                Assert.True(code == 0, stderr);
                using var doc = JsonDocument.Parse(stdout);
                names.AddRange(doc.RootElement.EnumerateObject().Select(p => p.Name));
            }

            // Broker runs add the receiver process's figures (SimCommand adds them by name).
            var source = File.ReadAllText(Path.Combine(Gateway.Tests.Codec.CodecPaths.RepoRoot, "tools", "Gateway.Cli", "Commands", "SimCommand.cs"));
            names.AddRange(System.Text.RegularExpressions.Regex.Matches(source, "report\\.Add\\(\"([a-z0-9_]+)\"").Select(m => m.Groups[1].Value));
            var missing = FigureGlossary.Missing(names.Distinct());
            Assert.True(missing.Count == 0, "figures without a glossary entry (add them to tools/Gateway.Simulation/Report/FigureGlossary.cs): " + string.Join(", ", missing));
            Assert.All(FigureGlossary.Entries, e => Assert.False(string.IsNullOrWhiteSpace(e.Unit) || string.IsNullOrWhiteSpace(e.Meaning), e.Name));
        }

        [Fact]
        public void A_one_day_run_says_one_day_and_its_page_explains_every_figure()
        {
            var (sim, page) = Run(new SimOptions { Days = 1, PowerCuts = 2 });
            using (sim)
            {
                var t = SimSummary.Timeline(sim);
                Assert.Contains("(1 day)", t.Title, StringComparison.Ordinal);
                Assert.DoesNotContain("14 days", t.Title, StringComparison.Ordinal);
                Assert.Equal("true water level", t.TruthLabel);
                var html = File.ReadAllText(page);
                foreach (var kv in SimSummary.Compute(sim, 0))
                {
                    var entry = FigureGlossary.Find(kv.Key)!;
                    Assert.Contains(System.Net.WebUtility.HtmlEncode(entry.Meaning), html, StringComparison.Ordinal);
                }

                Assert.DoesNotContain("(not described yet)", html, StringComparison.Ordinal);
            }

            Assert.Equal("12 hours", SimSummary.Duration(0.5));
            Assert.Equal("14 days", SimSummary.Duration(14));
        }

        [Fact]
        public void The_true_level_never_goes_back_in_time_through_bursts_and_alarms()
        {
            // Seven days of the typhoon: the flood (day 5), its pre-trigger burst and its alarms are in.
            var (sim, _) = Run(new SimOptions { Days = 7, PowerCuts = 3 });
            using (sim)
            {
                var g = sim.Gateways[0];
                Assert.True(g.Alarms.Count > 0, "the flood raised alarms");
                var t = SimSummary.Timeline(sim);
                for (var i = 1; i < t.Truth.Count; i++)
                {
                    Assert.True(t.Truth[i].TimeMs >= t.Truth[i - 1].TimeMs, $"truth point {i} goes back in time");
                }

                // Each true value is the physics at the reading's own time (a burst commits readings measured earlier).
                foreach (var (time, value) in g.Truth)
                {
                    Assert.Equal(g.Player.LevelMm(time - sim.StartWallMs), value, 6);
                }
            }
        }

        [Fact]
        public void The_readings_file_names_channels_and_units_and_decodes_events()
        {
            var (sim, page) = Run(new SimOptions { Days = 7, PowerCuts = 3 });
            using (sim)
            {
                var lines = File.ReadAllLines(Path.Combine(Path.GetDirectoryName(page)!, ReportWriter.Files.Readings));
                Assert.Equal("device_id,sequence,channel,channel_name,unit,time_utc,value,status,event", lines[0]);
                var rows = lines.Skip(1).Select(l => l.Split(',', 9)).ToList();
                Assert.Contains(rows, r => r[2] == "2" && r[3] == "water_level" && r[4] == "mm" && r[8] == "");
                var events = rows.Where(r => r[2] == "30").ToList();
                Assert.NotEmpty(events);
                Assert.All(events, r => Assert.True(r[3] == "event" && r[8].Length > 0 && !r[8].StartsWith("event kind", StringComparison.Ordinal), string.Join(",", r)));
                Assert.Contains(events, r => r[8] == "alive");
                Assert.Contains(events, r => r[8].StartsWith("alarm raised: caution at ", StringComparison.Ordinal) && r[8].EndsWith(" mm", StringComparison.Ordinal));
                Assert.Contains(events, r => r[8] == "cadence changed: 120 s");
            }

            Assert.Equal("alarm raised: evacuation decision at 2200 mm", RecordNames.Event((1 << 24) | (3 << 16) | 220));
            Assert.Equal("tilt_pitch", RecordNames.Channel((byte)ChannelId.TiltXMillidegrees));
            Assert.Equal("millidegrees", RecordNames.Unit((byte)ChannelId.TiltXMillidegrees));
        }

        [Fact]
        public void Every_chain_break_says_what_became_of_the_missing_records_and_agrees_with_completeness()
        {
            var (sim, page) = Run(new SimOptions { Days = 7, PowerCuts = 8 });
            using (sim)
            {
                var summary = SimSummary.Compute(sim, 0);
                Assert.Equal(1.0, Convert.ToDouble(summary.First(kv => kv.Key == "completeness").Value, System.Globalization.CultureInfo.InvariantCulture));
                var lines = File.ReadAllLines(Path.Combine(Path.GetDirectoryName(page)!, ReportWriter.Files.Events));
                Assert.EndsWith(",missing_first,missing_last,resolution", lines[0], StringComparison.Ordinal);
                var dropped = lines.Where(l => l.Contains(",dropped,", StringComparison.Ordinal)).ToList();
                Assert.NotEmpty(dropped);
                Assert.All(dropped, l => Assert.True(l.Contains("recovered: all", StringComparison.Ordinal) || l.Contains("nothing missing", StringComparison.Ordinal), l));
                var html = File.ReadAllText(page);
                Assert.Contains($"Of those breaks, {dropped.Count} were recovered", html, StringComparison.Ordinal);
                Assert.Contains("0 are open", html, StringComparison.Ordinal);
            }
        }

        [Fact]
        public void Several_gateways_get_a_fleet_page_and_a_page_each()
        {
            var (sim, page) = Run(new SimOptions { Gateways = 3, Days = 1, PowerCuts = 1 });
            using (sim)
            {
                var folder = Path.GetDirectoryName(page)!;
                var fleet = File.ReadAllText(page);
                Assert.Contains("fleet of 3 gateways", fleet, StringComparison.Ordinal);
                foreach (var g in sim.Gateways)
                {
                    var own = Path.Combine(folder, ReportWriter.Files.GatewayPage(g.DeviceId));
                    Assert.Contains($"href=\"{ReportWriter.Files.GatewayPage(g.DeviceId)}\"", fleet, StringComparison.Ordinal);
                    var html = File.ReadAllText(own);
                    Assert.Contains($"gateway {g.DeviceId}</h1>", html, StringComparison.Ordinal);
                    Assert.Contains("<svg", html, StringComparison.Ordinal);
                }
            }
        }

        [Fact]
        public void The_legend_names_each_scenario_s_quantity()
        {
            foreach (var (scenario, truth) in new[] { ("typhoon", "true water level"), ("snow", "true snow depth"), ("slope", "true tilt, pitch") })
            {
                var s = SimScenarios.Get(scenario);
                var data = new TimelineData { ValueLabel = s.ValueLabel };
                data.Truth.Add(new SeriesPoint(1_790_000_000_000L, 1));
                data.Truth.Add(new SeriesPoint(1_790_000_600_000L, 2));
                Assert.Equal(truth, data.TruthLabel);
                var legend = XDocument.Parse(TimelineChart.Render(data)).Descendants(Svg + "text").Where(e => (string?)e.Attribute("class") == "legend").Select(e => e.Value).ToList();
                Assert.Contains(truth, legend);
                Assert.DoesNotContain(legend, l => l != truth && l.StartsWith("true ", StringComparison.Ordinal));
            }
        }
    }
}
