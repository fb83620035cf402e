using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading;
using Gateway.Bindings.Rak3172;
using Gateway.Core.Uplink;
using Gateway.Virtual.Mqtt;
using Xunit;
using Xunit.Abstractions;

namespace Gateway.Tests.Uplink
{
    /// <summary>
    /// Against a real Mosquitto broker started on a free loopback port. If mosquitto or libmosquitto is missing these
    /// tests fail with the install command (apt-get install mosquitto libmosquitto1); they are never skipped.
    /// </summary>
    public sealed class MosquittoTests
    {
        private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
        private readonly ITestOutputHelper _out;

        public MosquittoTests(ITestOutputHelper output) => _out = output;

        private static MosquittoClient Client(MosquittoBroker broker, string id, bool cleanSession = true)
        {
            var c = new MosquittoClient(id, cleanSession);
            c.SetCredentials(broker.Username, broker.Password);
            c.SetReconnectDelay(1, 2, exponential: false);
            return c;
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

                Thread.Sleep(10);
            }

            return true;
        }

        [Fact]
        public void Publishes_qos1_and_receives_through_a_real_broker()
        {
            using var broker = new MosquittoBroker();
            broker.Start();
            _out.WriteLine($"mosquitto {broker.Executable} on port {broker.Port}, libmosquitto {MosquittoClient.LibraryVersion}");
            using var cloud = Client(broker, "cloud");
            var got = new ConcurrentQueue<MqttMessage>();
            cloud.MessageReceived += got.Enqueue;
            cloud.Subscribe("gw/+/up", 1);
            cloud.Start(broker.Host, broker.Port);
            Assert.True(cloud.WaitConnected(Wait), "cloud client did not connect");

            using var gw = Client(broker, "gw-river-01");
            gw.Start(broker.Host, broker.Port);
            Assert.True(gw.WaitConnected(Wait));
            Thread.Sleep(100); // let the subscription settle
            var payload = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();
            Assert.True(gw.Publish(MqttTopics.Up("river-01"), payload, 1, false, Wait), gw.LastError);
            Assert.True(WaitFor(() => !got.IsEmpty, Wait), "message not received");
            Assert.True(got.TryDequeue(out var m));
            Assert.Equal("gw/river-01/up", m!.Topic);
            Assert.Equal(payload, m.Payload);
            Assert.Equal(1, m.Qos);
        }

        [Fact]
        public void Wrong_password_is_refused()
        {
            using var broker = new MosquittoBroker();
            broker.Start();
            using var c = new MosquittoClient("intruder");
            c.SetCredentials(broker.Username, "wrong");
            c.Start(broker.Host, broker.Port);
            Assert.False(c.WaitConnected(TimeSpan.FromMilliseconds(800)));
            Assert.False(c.Publish("gw/x/up", new byte[] { 1 }, 1, false, TimeSpan.FromMilliseconds(200)));
        }

        [Fact]
        public void Clients_reconnect_and_keep_working_after_a_broker_restart()
        {
            using var broker = new MosquittoBroker();
            broker.Start();
            using var cloud = Client(broker, "cloud-r", cleanSession: false);
            var got = new ConcurrentQueue<MqttMessage>();
            cloud.MessageReceived += got.Enqueue;
            cloud.Subscribe("gw/+/up", 1);
            cloud.Start(broker.Host, broker.Port);
            using var gw = Client(broker, "gw-r", cleanSession: false);
            gw.Start(broker.Host, broker.Port);
            Assert.True(cloud.WaitConnected(Wait) && gw.WaitConnected(Wait));
            Thread.Sleep(1000); // SUBSCRIBE is asynchronous; under load the SUBACK can take a while
            Assert.True(gw.Publish("gw/r/up", Encoding.ASCII.GetBytes("before"), 1, false, Wait));
            Assert.True(WaitFor(() => got.Count == 1, Wait));

            var sw = Stopwatch.StartNew();
            broker.Restart();
            Assert.True(WaitFor(() => gw.IsConnected && cloud.IsConnected && gw.ConnectCount >= 2 && cloud.ConnectCount >= 2, TimeSpan.FromSeconds(15)),
                $"clients did not reconnect (gw {gw.ConnectCount}, cloud {cloud.ConnectCount})");
            _out.WriteLine($"reconnected {sw.ElapsedMilliseconds} ms after the restart began");
            Assert.True(gw.DisconnectCount >= 1);

            Assert.True(gw.Publish("gw/r/up", Encoding.ASCII.GetBytes("after"), 1, false, Wait), gw.LastError);
            Assert.True(WaitFor(() => got.Count == 2, Wait), "message after restart not received");
            Assert.Equal(new[] { "before", "after" }, got.Select(m => Encoding.ASCII.GetString(m.Payload)));
        }

        [Fact]
        public void Scheduler_fails_over_from_lorawan_to_mqtt_and_the_cloud_ack_comes_back()
        {
            using var broker = new MosquittoBroker();
            broker.Start();
            using var cloud = Client(broker, "cloud-f");
            var up = new ConcurrentQueue<MqttMessage>();
            cloud.MessageReceived += up.Enqueue;
            cloud.Subscribe("gw/+/up", 1);
            cloud.Start(broker.Host, broker.Port);
            Assert.True(cloud.WaitConnected(Wait));

            var rig = new Rak3172Rig();
            rig.Network.GatewaysInRange = 0; // the river valley has lost its LoRaWAN gateway
            rig.Settings.JoinAttempts = 2;
            rig.Driver.Initialize();
            using var mqtt = new MosquittoTransport("river-01", broker.Host, broker.Port, broker.Username, broker.Password);
            Assert.True(mqtt.EnsureReady());
            Thread.Sleep(100);

            var lora = new Rak3172Transport(rig.Driver, rig.Budget, rig.Clock);
            var source = new ListSource();
            source.Add(PayloadClass.Alarm, "ALARM level 3");
            source.Add(PayloadClass.Newest, "reading 1001");
            var scheduler = new UplinkScheduler(source, rig.Clock, new SeededRandom(4), 1024);
            scheduler.AddTransport(mqtt, 10, PayloadClass.Backfill, 1000, 60_000);
            scheduler.AddTransport(lora, 1, PayloadClass.Backfill, 5000, 600_000);

            Assert.Equal(2, scheduler.RunOnce());
            Assert.Equal("mqtt", scheduler.LastTransportName);
            Assert.Equal(2, scheduler.FailoverCount);
            Assert.True(WaitFor(() => up.Count == 2, Wait));
            Assert.Equal(new[] { "ALARM level 3", "reading 1001" }, up.Select(m => Encoding.ASCII.GetString(m.Payload)));

            // The cloud acknowledges by sequence range on the ack topic; it comes back through PollDownlink.
            Assert.True(cloud.Publish(MqttTopics.Ack("river-01"), Encoding.ASCII.GetBytes("ack 1000-1001"), 1, false, Wait));
            var buf = new byte[64];
            int n = -1;
            int channel = 0;
            Assert.True(WaitFor(() => (n = mqtt.PollDownlink(buf, 0, buf.Length, out channel)) >= 0, Wait));
            Assert.Equal(MqttTopics.AckChannel, channel);
            Assert.Equal("ack 1000-1001", Encoding.ASCII.GetString(buf, 0, n));
        }

        private sealed class ListSource : IPendingPayloadSource
        {
            private readonly ConcurrentQueue<string>[] _q = { new(), new(), new() };

            public void Add(PayloadClass c, string text) => _q[(int)c].Enqueue(text);

            public int Next(PayloadClass payloadClass, byte[] buffer, int offset, int maxBytes, out long token)
            {
                token = 0;
                if (!_q[(int)payloadClass].TryPeek(out var s) || s.Length > maxBytes)
                {
                    return 0;
                }

                return Encoding.ASCII.GetBytes(s, 0, s.Length, buffer, offset);
            }

            public void OnHandedOver(long token, PayloadClass payloadClass, string transportName) => _q[(int)payloadClass].TryDequeue(out _);

            public bool HasPending(PayloadClass payloadClass) => !_q[(int)payloadClass].IsEmpty;
        }
    }
}
