using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Gateway.Simulation;
using Gateway.Simulation.Report;
using Gateway.Tests.Codec;
using Xunit;
using Xunit.Abstractions;

namespace Gateway.Tests.Simulation
{
    /// <summary>
    /// Gateways at the data rates ADR gives them: DR2 gateways send fragments, the receiver reassembles them, and the
    /// JavaScript payload formatter answers every uplink event the network server published.
    /// </summary>
    public sealed class LoRaDataRateSimulationTests : IDisposable
    {
        private readonly ITestOutputHelper _out;
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "gw-sim-dr-" + Guid.NewGuid().ToString("N")[..8]);

        public LoRaDataRateSimulationTests(ITestOutputHelper output) => _out = output;

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(_dir))
            {
                Directory.Delete(_dir, true);
            }
        }

        private JsonElement Run(SimOptions options)
        {
            options.OutDir = _dir;
            using var sim = new Gateway.Simulation.Simulation(options);
            sim.Run();
            var summary = SimSummary.Compute(sim, 0);
            ReportWriter.Write(_dir, sim.Store, summary, SimSummary.Timeline(sim));
            _out.WriteLine(JsonSerializer.Serialize(summary.ToDictionary(kv => kv.Key, kv => kv.Value)));
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, ReportWriter.Files.Summary)));
            return doc.RootElement.Clone();
        }

        private static void AssertEveryGuarantee(JsonElement s)
        {
            Assert.Equal(1.0, s.GetProperty("completeness").GetDouble());
            Assert.Equal(0, s.GetProperty("readings_lost_unaccounted").GetInt64());
            Assert.Equal(0, s.GetProperty("duplicates_stored").GetInt64());
            Assert.Equal(0, s.GetProperty("forged_or_altered_accepted").GetInt64());
            Assert.Equal(0, s.GetProperty("lora_uplinks_refused").GetInt64());
            Assert.True(s.GetProperty("max_airtime_s_in_any_hour").GetDouble() <= 360, "ARIB: 360 s of transmission in any hour, per gateway");
            Assert.True(s.GetProperty("longest_transmission_ms").GetDouble() <= 400, "ARIB: 400 ms a transmission");
        }

        private (int Events, JsonElement Decoded) DecodeEvents()
        {
            var events = Path.Combine(_dir, "chirpstack-events.jsonl");
            var lines = File.ReadAllLines(events).Count(l => l.Length > 0);
            var (code, stdout, stderr) = CodecPaths.Node(Path.Combine(CodecPaths.DecoderJs, "bin", "decode-events.js"), events);
            Assert.True(code == 0, stderr);
            _out.WriteLine(stdout);
            using var doc = JsonDocument.Parse(stdout);
            return (lines, doc.RootElement.Clone());
        }

        [Fact]
        public void Twenty_gateways_at_their_adr_data_rates_deliver_everything_and_decoder_js_decodes_every_uplink_event()
        {
            var s = Run(new SimOptions { Gateways = 20, Days = 3, PowerCuts = 3 });
            AssertEveryGuarantee(s);
            var byDr = s.GetProperty("gateways_by_dr").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
            Assert.Equal(new[] { "DR2", "DR3", "DR4", "DR5" }, byDr.Keys.OrderBy(k => k).ToArray());
            Assert.Equal(20, byDr.Values.Sum());
            Assert.True(s.GetProperty("fragments_sent").GetInt64() > 0, "DR2 gateways send fragments");
            Assert.True(s.GetProperty("batches_reassembled").GetInt64() > 0, "the receiver puts them back together");
            var perDr = s.GetProperty("airtime_s_per_day_by_dr");
            Assert.True(perDr.GetProperty("DR2").GetDouble() > perDr.GetProperty("DR5").GetDouble(), "a slower data rate costs more airtime");
            Assert.True(s.GetProperty("cayenne_lpp_airtime_s").GetDouble() > 0);

            var (events, decoded) = DecodeEvents();
            Assert.Equal(events, decoded.GetProperty("events").GetInt32());
            Assert.Equal(0, decoded.GetProperty("errors").GetInt32());
            Assert.Equal(events, decoded.GetProperty("batches").GetInt32() + decoded.GetProperty("fragments").GetInt32());
            Assert.True(decoded.GetProperty("fragments").GetInt32() > 0);
            Assert.True(decoded.GetProperty("batches").GetInt32() > 0);
        }

        [Fact]
        public void One_gateway_stays_at_dr3_unless_placed_and_a_far_one_fragments_at_dr2_with_every_reading_delivered()
        {
            var near = Run(new SimOptions { Days = 2, PowerCuts = 2 });
            Assert.Equal(1, near.GetProperty("gateways_by_dr").GetProperty("DR3").GetInt32());
            Assert.Equal(0, near.GetProperty("fragments_sent").GetInt64());

            var far = Run(new SimOptions { Days = 2, PowerCuts = 2, DistanceKm = 6 });
            AssertEveryGuarantee(far);
            Assert.Equal(1, far.GetProperty("gateways_by_dr").GetProperty("DR2").GetInt32());
            Assert.True(far.GetProperty("fragments_sent").GetInt64() > 0);
            var (events, decoded) = DecodeEvents();
            Assert.Equal(events, decoded.GetProperty("fragments").GetInt32());
            Assert.Equal(0, decoded.GetProperty("errors").GetInt32());
        }
    }
}
