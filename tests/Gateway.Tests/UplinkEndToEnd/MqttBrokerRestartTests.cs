using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using Gateway.Cloud.Receiver;
using Gateway.Cloud.Storage;
using Gateway.Core.Sensing;
using Gateway.Core.Uplink;
using Gateway.Simulation;
using Gateway.Virtual.Mqtt;
using Gateway.Virtual.Scenarios;
using Xunit;
using Xunit.Abstractions;

namespace Gateway.Tests.UplinkEndToEnd
{
    /// <summary>
    /// Three virtual days at a 10-minute cadence over MQTT through a real Mosquitto broker (virtual time, real broker),
    /// with the broker restarted mid-run. The cloud side subscribes to gw/+/up, hands each batch to the real
    /// receiver and publishes its acknowledgements on gw/{id}/ack. Fails (never skips) with the install command when
    /// mosquitto or libmosquitto is missing.
    /// </summary>
    public sealed class MqttBrokerRestartTests : IDisposable
    {
        private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
        private readonly ITestOutputHelper _out;
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "gw-e2e-mqtt-" + Guid.NewGuid().ToString("N")[..8]);

        public MqttBrokerRestartTests(ITestOutputHelper output)
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

        private static SimScenario ObservingRiver(int days)
        {
            var rules = SimScenarios.RiverRules();
            var physics = new Scenario
            {
                Name = "observing-river",
                Seed = 9,
                StartUtc = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero),
                DurationHours = days * 24,
                River = new RiverSpec { BaseLevelMm = (rules.ObservationStartLevelMm + rules.StandbyLevelMm) / 2.0 },
                Ranger = new RangerSpec { MountHeightMm = 4000, NoiseMm = 2 },
            };
            return new SimScenario("observing-river", "River in the observing band", physics, rules, days, 0, 0, "water level (mm)");
        }

        private static bool WaitFor(Func<bool> condition, TimeSpan timeout)
        {
            var sw = Stopwatch.StartNew();
            while (!condition())
            {
                if (sw.Elapsed > timeout)
                {
                    return false;
                }

                Thread.Sleep(2);
            }

            return true;
        }

        [Fact]
        public void Three_days_over_a_real_broker_restarted_mid_run_lose_nothing_and_store_nothing_twice()
        {
            var started = Stopwatch.StartNew();
            const int days = 3;
            var scenario = ObservingRiver(days);
            var g = new SimGateway(3001, scenario, seed: 71);
            var deviceTopicId = g.DeviceId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            using var store = new SqliteReceiverStore(Path.Combine(_dir, "received.db"));
            var keys = new KeyRing();
            keys.Add(g.DeviceId, 1, g.Key);
            var receiver = new CloudReceiver(store, keys);

            using var broker = new MosquittoBroker(seed: 72);
            broker.Start();

            // The cloud: a persistent session on gw/+/up; a worker ingests and publishes the acknowledgements (never on
            // the client's network thread, which must stay free to receive the PUBACKs).
            var inbox = new BlockingCollection<MqttMessage>();
            int ingested = 0, acksPublished = 0, acksFailed = 0, acksArrived = 0, duplicateBatches = 0, duplicateReadings = 0;
            var dropNextAcks = 0;
            using var acksDropped = new ManualResetEventSlim(false);
            using var cloud = new MosquittoClient("cloud-receiver", cleanSession: false);
            cloud.SetCredentials(broker.Username, broker.Password);
            cloud.SetReconnectDelay(1, 2, exponential: false);
            cloud.MessageReceived += m => inbox.Add(m);
            cloud.Subscribe("gw/+/up", MqttTopics.Qos);
            cloud.Start(broker.Host, broker.Port);
            Assert.True(cloud.WaitConnected(Wait), "the cloud client did not connect");
            var worker = new Thread(() =>
            {
                foreach (var m in inbox.GetConsumingEnumerable())
                {
                    var id = m.Topic.Split('/')[1];
                    var outcome = receiver.Ingest("mqtt", m.Payload, g.Clock.WallTimeMs);
                    if (outcome.Stored == 0 && outcome.Duplicates > 0)
                    {
                        Interlocked.Increment(ref duplicateBatches);
                    }

                    Interlocked.Add(ref duplicateReadings, outcome.Duplicates);
                    if (Interlocked.Exchange(ref dropNextAcks, 0) == 1)
                    {
                        // Stored, but the broker dies before the acknowledgement goes out: the gateway must send again.
                        Interlocked.Increment(ref ingested);
                        acksDropped.Set();
                        continue;
                    }

                    foreach (var ack in outcome.AckDownlinks)
                    {
                        Interlocked.Increment(ref acksPublished);
                        if (!cloud.Publish(MqttTopics.Ack(id), ack, MqttTopics.Qos, retain: false, TimeSpan.FromSeconds(2)))
                        {
                            Interlocked.Increment(ref acksFailed);
                        }
                    }

                    Interlocked.Increment(ref ingested);
                }
            }) { IsBackground = true, Name = "cloud-receiver" };
            worker.Start();

            using var mqtt = new MosquittoTransport(deviceTopicId, broker.Host, broker.Port, broker.Username, broker.Password) { AckTimeout = TimeSpan.FromSeconds(2) };
            mqtt.Client.MessageReceived += m =>
            {
                if (m.Topic == MqttTopics.Ack(deviceTopicId))
                {
                    Interlocked.Increment(ref acksArrived);
                }
            };
            Assert.True(mqtt.Client.WaitConnected(Wait), "the gateway did not connect: " + mqtt.Client.LastError);
            var transport = new RecordingTransport(mqtt) { Now = () => g.Clock.WallTimeMs };
            g.AddTransport(transport, 1, PayloadClass.Backfill);
            g.Boot();

            // Keep virtual time from racing ahead of the real broker: after each wake that published, let the cloud
            // ingest and its acknowledgements arrive (bounded: a message lost in the restart never comes).
            void Settle()
            {
                var sent = transport.Sends.Count(s => s.Status == UplinkStatus.Sent);
                WaitFor(() => Volatile.Read(ref ingested) >= sent && inbox.Count == 0, TimeSpan.FromMilliseconds(500));
                WaitFor(() => Volatile.Read(ref acksArrived) >= Volatile.Read(ref acksPublished) - Volatile.Read(ref acksFailed), TimeSpan.FromMilliseconds(500));
            }

            var start = scenario.Physics.StartUtc.ToUnixTimeMilliseconds();
            var end = start + days * 86_400_000L;
            var restartAt = start + days * 86_400_000L / 2;
            long restartedWallMs = 0;
            var disconnectsBefore = 0;
            var failedWhileDown = 0;
            long backWallMs = 0;
            while (g.NextWakeWallMs < end)
            {
                if (restartedWallMs == 0 && g.NextWakeWallMs >= restartAt)
                {
                    // The cloud stores the next batch but the broker goes down before the acknowledgement is
                    // published; it stays down for 25 minutes (readings taken meanwhile must wait), then comes
                    // back on the same port with its saved state.
                    disconnectsBefore = mqtt.Client.DisconnectCount;
                    Volatile.Write(ref dropNextAcks, 1);
                    g.Step();
                    Assert.True(acksDropped.Wait(Wait), "the cloud did not receive the batch before the restart");
                    broker.Stop();
                    restartedWallMs = g.Clock.WallTimeMs;
                    Assert.True(WaitFor(() => !mqtt.Client.IsConnected, Wait), "the gateway did not notice the broker going down");
                    while (g.NextWakeWallMs < restartedWallMs + 1_500_000)
                    {
                        g.Step();
                    }

                    failedWhileDown = transport.Sends.Count(s => s.Status != UplinkStatus.Sent);
                    broker.Start();
                    backWallMs = g.Clock.WallTimeMs;
                }

                var before = transport.Sends.Count;
                g.Step();
                if (transport.Sends.Count != before)
                {
                    Settle();
                }
            }

            for (var i = 0; i < 288 && g.Node!.HasUnacknowledged; i++)
            {
                Assert.True(mqtt.Client.WaitConnected(Wait), "the gateway did not reconnect");
                g.Node.SendNow();
                Settle();
                g.AdvanceTo(g.Clock.WallTimeMs + 600_000);
            }

            inbox.CompleteAdding();
            Assert.True(worker.Join(Wait));

            Assert.NotEqual(0, restartedWallMs);
            Assert.True(duplicateReadings > 0, "the batch whose acknowledgement was lost was not sent again");
            Assert.True(mqtt.Client.DisconnectCount > disconnectsBefore, "the restart did not disconnect the gateway");
            Assert.True(mqtt.Client.ConnectCount >= 2, "the gateway did not reconnect after the restart");
            Assert.True(g.Committed.Count >= days * 144 - 2, $"only {g.Committed.Count} readings in {days} days");

            var rows = EndToEndChecks.AssertCompleteAndUnique(store, g.DeviceId, g.Committed);
            EndToEndChecks.AssertInOrder(rows);
            Assert.Empty(EndToEndChecks.ReadingInversions(rows));
            var readings = rows.Where(r => r.Channel < (byte)ChannelId.EventCode).ToList();

            // The readings taken while the broker was down waited for it and came afterwards.
            var whileDown = readings.Where(r => r.TimeMs > restartedWallMs && r.TimeMs < backWallMs).ToList();
            Assert.NotEmpty(whileDown);
            Assert.All(whileDown, r => Assert.True(r.ReceivedAtMs >= backWallMs, $"sequence {r.Sequence} stored while the broker was down"));
            var (p50, p90, p99) = EndToEndChecks.LatencySeconds(readings);
            var sentOk = transport.Sends.Count(s => s.Status == UplinkStatus.Sent);
            var failed = transport.Sends.Count - sentOk;
            var line = $"mqtt-restart: days={days} readings={g.Committed.Count} stored={rows.Count} completeness=1 duplicates_stored=0 " +
                       $"publishes={transport.Sends.Count} puback={sentOk} publish_failed={failed} publish_failed_while_down={failedWhileDown} readings_while_down={whileDown.Count} ingested={ingested} duplicate_batches_ignored={duplicateBatches} duplicate_readings_ignored={duplicateReadings} " +
                       $"acks={acksPublished} acks_failed={acksFailed} gateway_connects={mqtt.Client.ConnectCount} disconnects={mqtt.Client.DisconnectCount} " +
                       $"latency_s_p50={p50:0} p90={p90:0} p99={p99:0} wall_s={started.Elapsed.TotalSeconds:0.0}";
            _out.WriteLine(line);
            Console.WriteLine(line);
        }
    }
}
