using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Gateway.Cloud.Storage;
using Gateway.Simulation;
using Gateway.Simulation.Report;
using Xunit;
using Xunit.Abstractions;

namespace Gateway.Tests.Simulation
{
    public sealed class SimulationTests : IDisposable
    {
        private readonly ITestOutputHelper _out;
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "gw-sim-" + Guid.NewGuid().ToString("N")[..8]);

        public SimulationTests(ITestOutputHelper output) => _out = output;

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(_dir))
            {
                Directory.Delete(_dir, true);
            }
        }

        private (JsonElement Summary, string Folder) RunAndReport(SimOptions options)
        {
            options.OutDir = _dir;
            using var sim = new Gateway.Simulation.Simulation(options);
            sim.Run();
            var summary = SimSummary.Compute(sim, 0);
            ReportWriter.Write(_dir, sim.Store, summary, SimSummary.Timeline(sim));
            var line = string.Join(' ', summary.Select(kv => $"{kv.Key}={kv.Value}"));
            _out.WriteLine(line);
            Console.WriteLine("sim: " + line);
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, ReportWriter.Files.Summary)));
            return (doc.RootElement.Clone(), _dir);
        }

        [Fact]
        public void The_default_typhoon_deployment_delivers_every_reading_once_and_its_report_matches_the_database()
        {
            var (s, folder) = RunAndReport(new SimOptions());
            Assert.Equal(1.0, s.GetProperty("completeness").GetDouble());
            Assert.Equal(0, s.GetProperty("readings_lost_unaccounted").GetInt64());
            Assert.Equal(0, s.GetProperty("duplicates_stored").GetInt64());
            Assert.Equal(0, s.GetProperty("forged_or_altered_accepted").GetInt64());
            Assert.Equal(20, s.GetProperty("power_cuts").GetInt64());
            Assert.True(s.GetProperty("alarms").GetInt64() >= 3, "the flood crosses standby, caution and evacuation decision");
            Assert.True(s.GetProperty("max_airtime_s_in_any_hour").GetDouble() <= 360);
            Assert.True(s.GetProperty("longest_transmission_ms").GetDouble() <= 400);

            // The report's figures against the receiver's database, opened afresh.
            using var db = new SqliteReceiverStore(Path.Combine(folder, "received.db"));
            var rows = db.AllReadings().ToList();
            var readings = rows.Count(r => r.Channel < 30);
            Assert.Equal(readings, s.GetProperty("readings_delivered").GetInt64());
            Assert.Equal(rows.Count + 1, File.ReadAllLines(Path.Combine(folder, ReportWriter.Files.Readings)).Length);
            var alarmsInDb = rows.Count(r => r.Channel == 30 && Gateway.Core.Node.EventCodes.IsAlarmKind(Gateway.Core.Node.EventCodes.KindOf(r.Value)));
            Assert.Equal(alarmsInDb, s.GetProperty("alarms").GetInt64());
            Assert.Equal(rows.Select(r => (r.DeviceId, r.Sequence)).Distinct().Count(), rows.Count);
            Assert.True(File.Exists(Path.Combine(folder, ReportWriter.Files.Page)));
            Assert.Contains("link outage 48 h", File.ReadAllText(Path.Combine(folder, ReportWriter.Files.Picture)), StringComparison.Ordinal);
        }

        [Fact]
        public void Over_cellular_with_heavy_loss_nothing_is_lost_or_stored_twice()
        {
            var (s, _) = RunAndReport(new SimOptions { Transport = "cellular", Loss = 0.3, Days = 5, PowerCuts = 10 });
            Assert.Equal(1.0, s.GetProperty("completeness").GetDouble());
            Assert.Equal(0, s.GetProperty("duplicates_stored").GetInt64());
        }

        [Fact]
        public void Several_gateways_share_the_network_and_the_receiver_without_mixing_their_data()
        {
            var (s, _) = RunAndReport(new SimOptions { Gateways = 5, Days = 3, PowerCuts = 3 });
            Assert.Equal(1.0, s.GetProperty("completeness").GetDouble());
            Assert.Equal(0, s.GetProperty("duplicates_stored").GetInt64());
        }
    }
}
