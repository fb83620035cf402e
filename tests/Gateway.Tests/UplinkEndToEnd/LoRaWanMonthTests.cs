using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Gateway.Core.Sensing;
using Gateway.Core.Uplink;
using Gateway.Simulation;
using Gateway.Virtual.Scenarios;
using Xunit;
using Xunit.Abstractions;

namespace Gateway.Tests.UplinkEndToEnd
{
    /// <summary>
    /// A month on LoRaWAN AS923 through the RAK3172 emulator and the virtual network server, into the real cloud
    /// receiver: a river that stays above the observation-start level (so the gateway records and sends every 10
    /// minutes), 30 % of frames lost at random and a 72-hour network outage.
    /// </summary>
    public sealed class LoRaWanMonthTests : IDisposable
    {
        private readonly ITestOutputHelper _out;
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "gw-e2e-lora-" + Guid.NewGuid().ToString("N")[..8]);

        public LoRaWanMonthTests(ITestOutputHelper output) => _out = output;

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(_dir))
            {
                Directory.Delete(_dir, true);
            }
        }

        /// <summary>A river steady between the observation-start level (1000 mm) and the standby level (1200 mm) for 30 days.</summary>
        private string WriteObservingRiver()
        {
            Directory.CreateDirectory(_dir);
            var rules = SimScenarios.RiverRules();
            var s = new Scenario
            {
                Name = "observing-river",
                Seed = 5,
                StartUtc = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero),
                DurationHours = 30 * 24,
                Air = new AirSpec { MeanCelsius = 20, DailySwingCelsius = 4 },
                River = new RiverSpec { BaseLevelMm = (rules.ObservationStartLevelMm + rules.StandbyLevelMm) / 2.0 },
                Ranger = new RangerSpec { MountHeightMm = 4000, NoiseMm = 2 },
            };
            Assert.True(s.River.BaseLevelMm > rules.ObservationStartLevelMm && s.River.BaseLevelMm + 50 < rules.StandbyLevelMm);
            var path = Path.Combine(_dir, "observing-river.json");
            File.WriteAllText(path, s.ToJson());
            return path;
        }

        [Fact]
        public void A_month_at_ten_minutes_with_30_percent_loss_and_a_72_hour_outage_delivers_every_reading_once_in_order_within_the_band_rules()
        {
            var options = new SimOptions
            {
                Scenario = WriteObservingRiver(),
                Days = 30,
                Seed = 30,
                Transport = "lora",
                Loss = 0.3,
                OutageHours = 72,
                PowerCuts = 0,
                ForgeryAttempts = 0,
                Gateways = 1,
                OutDir = Path.Combine(_dir, "run"),
            };
            var started = DateTime.UtcNow;
            using var sim = new Gateway.Simulation.Simulation(options);
            sim.Run();
            var g = sim.Gateways[0];
            var module = g.Module!;
            Assert.NotNull(module);

            // The gateway recorded every 10 minutes all month (the river never left the observing band).
            var levels = g.Committed.Values.Where(c => c.Channel == ChannelId.WaterLevelMillimeters).Select(c => c.TimeMs).OrderBy(t => t).ToList();
            Assert.True(levels.Count >= 30 * 144 - 2, $"only {levels.Count} water-level readings in 30 days");
            Assert.True(levels.Zip(levels.Skip(1), (a, b) => b - a).All(d => d <= 600_000 + 60_000), "a gap in the 10-minute cadence");
            Assert.Single(sim.Outages);
            Assert.Equal(72 * 3_600_000L, sim.Outages[0].End - sim.Outages[0].Start);

            // Completeness 1.0 and no duplicates, from the database; in order after deduplication.
            var rows = EndToEndChecks.AssertCompleteAndUnique(sim.Store, g.DeviceId, g.Committed);
            EndToEndChecks.AssertInOrder(rows);
            var summary = SimSummary.Compute(sim, 0).ToDictionary(kv => kv.Key, kv => kv.Value);
            Assert.Equal(1.0, Convert.ToDouble(summary["completeness"]));
            Assert.Equal(0L, Convert.ToInt64(summary["duplicates_stored"]));

            // No frame over its data rate's payload budget; no transmission over 400 ms; no hour over 360 s.
            var distinct = new System.Collections.Generic.HashSet<string>();
            var maxPayload = 0;
            foreach (var json in sim.Network.UpEvents)
            {
                using var doc = JsonDocument.Parse(json);
                var dr = doc.RootElement.GetProperty("dr").GetInt32();
                var data = doc.RootElement.GetProperty("data").GetString()!;
                var bytes = Convert.FromBase64String(data).Length;
                Assert.True(bytes <= As923.MaxApplicationPayload(dr, true), $"a {bytes}-byte frame at DR{dr}");
                maxPayload = Math.Max(maxPayload, bytes);
                distinct.Add(data);
            }

            Assert.NotEmpty(module.Transmissions);
            Assert.All(module.Transmissions, t => Assert.True(t.airtimeUs <= 400_000, $"a {t.airtimeUs} µs transmission"));
            var maxHourUs = EndToEndChecks.MaxRollingHourUs(module.Transmissions);
            Assert.True(maxHourUs <= 360_000_000, $"{maxHourUs} µs of airtime in one hour");

            // Something was really lost and resent: the test exercised the loss and the outage.
            Assert.True(sim.Network.FramesLost > 0);
            var inOutage = module.Transmissions.Count(t => t.wallMs >= sim.Outages[0].Start && t.wallMs < sim.Outages[0].End);
            Assert.True(inOutage > 0, "the gateway did not try during the outage");

            var readings = rows.Where(r => r.Channel < (byte)ChannelId.EventCode).ToList();
            var (p50, p90, p99) = EndToEndChecks.LatencySeconds(readings);
            var line = $"lora-month: days=30 readings={g.Committed.Count} stored={rows.Count} completeness={summary["completeness"]} duplicates={summary["duplicates_stored"]} " +
                       $"airtime_s_per_day={module.TotalAirtimeUs / 1e6 / 30:0.###} max_airtime_s_in_hour={maxHourUs / 1e6:0.###} longest_tx_ms={module.LongestTransmissionUs / 1000.0:0.###} " +
                       $"max_payload_B={maxPayload} bytes_per_reading_on_air={module.PayloadBytesSent / (double)g.Committed.Count:0.###} frames_sent={module.UplinksSent} " +
                       $"frames_lost={sim.Network.FramesLost} distinct_batches={distinct.Count} retries={module.UplinksSent - distinct.Count} joins={module.JoinRequests} " +
                       $"acks_applied={g.Node!.AcknowledgementsApplied} downlinks_left_queued={sim.Network.PendingDownlinks(g.DevEui)} " +
                       $"latency_s_p50={p50:0} p90={p90:0} p99={p99:0} wall_s={(DateTime.UtcNow - started).TotalSeconds:0.0}";
            _out.WriteLine(line);
            Console.WriteLine(line);
        }
    }
}
