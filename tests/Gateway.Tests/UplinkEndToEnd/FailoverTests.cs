using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Gateway.Cloud.Ingest;
using Gateway.Cloud.Receiver;
using Gateway.Cloud.Storage;
using Gateway.Core.Sensing;
using Gateway.Core.Uplink;
using Gateway.Simulation;
using Gateway.Virtual.LoRa;
using Xunit;
using Xunit.Abstractions;

namespace Gateway.Tests.UplinkEndToEnd
{
    /// <summary>
    /// A flood while the LoRaWAN network is down for 6 hours: a second, dearer cellular link limited to alarms
    /// carries the alarms within minutes; the rest waits and is backfilled over LoRaWAN after recovery.
    /// </summary>
    public sealed class FailoverTests : IDisposable
    {
        private readonly ITestOutputHelper _out;
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "gw-e2e-failover-" + Guid.NewGuid().ToString("N")[..8]);

        public FailoverTests(ITestOutputHelper output)
        {
            _out = output;
            Directory.CreateDirectory(_dir);
        }

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(_dir))
            {
                Directory.Delete(_dir, true);
            }
        }

        [Fact]
        public void During_a_six_hour_LoRaWAN_outage_alarms_go_over_cellular_within_minutes_and_LoRaWAN_backfills_the_rest_once()
        {
            var scenario = SimScenarios.Get("typhoon"); // heavy rain from hour 120: the river crosses standby, caution, evacuation decision
            var start = scenario.Physics.StartUtc.ToUnixTimeMilliseconds();
            var outageStart = start + 120 * 3_600_000L;
            var outageEnd = outageStart + 6 * 3_600_000L;
            var end = start + 7 * 86_400_000L;

            using var store = new SqliteReceiverStore(Path.Combine(_dir, "received.db"));
            var keys = new KeyRing();
            var g = new SimGateway(2001, scenario, seed: 61);
            keys.Add(g.DeviceId, 1, g.Key);
            var receiver = new CloudReceiver(store, keys);
            var network = new VirtualLoRaNetwork(g.Clock, seed: 62, lossProbability: 0.1);
            network.AddOutage(outageStart, outageEnd);
            network.Sink = json =>
            {
                var r = ChirpStackEvents.ReadUplink(System.Text.Encoding.UTF8.GetBytes(json), DateTimeOffset.FromUnixTimeMilliseconds(g.Clock.WallTimeMs));
                Assert.True(r.Ok, r.Error);
                foreach (var ack in receiver.Ingest("lora", r.Uplink!.Payload, r.Uplink.ReceivedAt.ToUnixTimeMilliseconds()).AckDownlinks)
                {
                    network.EnqueueDownlink(r.Uplink.DevEui, 10, ack);
                }
            };

            var lora = new RecordingTransport(g.CreateLoRa(network)) { Now = () => g.Clock.WallTimeMs };
            var cellularInner = new LoopbackTransport("cellular", g.Clock, p => receiver.Ingest("cellular", p, g.Clock.WallTimeMs).AckDownlinks, 0.0, new List<(long, long)>(), 63);
            var cellular = new RecordingTransport(cellularInner) { Now = () => g.Clock.WallTimeMs };

            g.AddTransport(lora, 1, PayloadClass.Backfill);
            g.AddTransport(cellular, 10, PayloadClass.Alarm);
            g.Boot();
            while (g.NextWakeWallMs < end)
            {
                g.Step();
            }

            for (var i = 0; i < 288 && g.Node!.HasUnacknowledged; i++)
            {
                g.Node.SendNow();
                g.AdvanceTo(g.Clock.WallTimeMs + 600_000);
            }

            var rows = EndToEndChecks.AssertCompleteAndUnique(store, g.DeviceId, g.Committed);
            // In order: when an alarm triggers, the detector flushes its pre-trigger ring, records with times before
            // the triggering reading but sequences after it. Those are the only readings allowed to go back in time,
            // and by no more than the pre-trigger window.
            var inversions = EndToEndChecks.ReadingInversions(rows);
            Assert.All(inversions, v => Assert.True(v.EarlierTimeMs - v.TimeMs <= scenario.Sensing.PreTriggerMs,
                $"sequence {v.Sequence} is {v.EarlierTimeMs - v.TimeMs} ms older than sequence {v.EarlierSequence}, beyond the pre-trigger window"));
            var bySeq = rows.ToDictionary(r => r.Sequence);

            // Alarms raised while LoRaWAN was down reached the cloud over cellular within minutes.
            var outageAlarms = g.Alarms.Where(a => a.Value.TimeMs >= outageStart && a.Value.TimeMs < outageEnd).ToList();
            Assert.True(outageAlarms.Count >= 2, $"{outageAlarms.Count} alarms during the outage; the flood should raise several");
            var latencies = new List<double>();
            foreach (var (seq, a) in outageAlarms)
            {
                Assert.True(bySeq.TryGetValue(seq, out var row), $"alarm {a.Kind} {a.Level} (sequence {seq}) never reached the cloud");
                Assert.Equal("cellular", row.Transport);
                latencies.Add((row.ReceivedAtMs - a.TimeMs) / 1000.0);
            }

            Assert.True(latencies.Max() <= 300, $"an alarm took {latencies.Max()} s over cellular");

            // The cellular link carried alarms only; LoRaWAN carried everything else, the outage's readings after recovery.
            Assert.NotEmpty(cellular.Sends);
            Assert.All(cellular.Sends, s => Assert.Equal(PayloadClass.Alarm, s.Class));
            var outageReadings = g.Committed.Where(c => c.Value.TimeMs >= outageStart && c.Value.TimeMs < outageEnd).Select(c => bySeq[c.Key]).ToList();
            Assert.NotEmpty(outageReadings);
            var overLoRa = outageReadings.Count(r => r.Transport == "lora");
            Assert.All(outageReadings, r => Assert.True(r.ReceivedAtMs >= outageEnd || r.Transport == "cellular"));
            var backfillDoneMs = outageReadings.Where(r => r.Transport == "lora").Select(r => r.ReceivedAtMs).DefaultIfEmpty(outageEnd).Max();
            var loraTriesInOutage = lora.Sends.Count(s => s.WallMs >= outageStart && s.WallMs < outageEnd);

            var line = $"failover: outage_h=6 alarms_in_outage={outageAlarms.Count} alarm_latency_s_max={latencies.Max():0} alarm_latency_s_p50={EndToEndChecks.Percentile(latencies, 0.5):0} " +
                       $"cellular_sends={cellular.Sends.Count} cellular_bytes={cellularInner.BytesSent} lora_sends_during_outage={loraTriesInOutage} " +
                       $"outage_readings={outageReadings.Count} backfilled_over_lora={overLoRa} backfill_done_min_after_recovery={(backfillDoneMs - outageEnd) / 60_000.0:0} " +
                       $"readings={g.Committed.Count} stored={rows.Count} duplicates=0 completeness=1 pre_trigger_readings_after_later_ones={inversions.Count} max_back_s={inversions.Select(v => (v.EarlierTimeMs - v.TimeMs) / 1000.0).DefaultIfEmpty(0).Max():0}";
            _out.WriteLine(line);
            Console.WriteLine(line);
        }
    }
}
