using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Gateway.Cloud.Receiver;
using Gateway.Core.Codec;
using Gateway.Core.Sensing;
using Gateway.Simulation;
using Gateway.Tests.Simulation;
using Gateway.Virtual.Mqtt;
using Gateway.Virtual.Security;
using Xunit;

namespace Gateway.Tests.Cloud.Fleet
{
    /// <summary><c>cloud run --http</c>: the receiver process serves the fleet page while it receives, on a real mosquitto.</summary>
    public sealed class CloudRunFleetPageTests : IDisposable
    {
        private static readonly byte[] Key = Enumerable.Range(40, 32).Select(i => (byte)i).ToArray();
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "gw-runfleet-" + Guid.NewGuid().ToString("N")[..8]);
        private readonly MosquittoBroker _broker = new(seed: 21);

        public CloudRunFleetPageTests()
        {
            Directory.CreateDirectory(_dir);
            _broker.Start();
        }

        public void Dispose()
        {
            _broker.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_dir, true);
        }

        [Fact]
        public async Task The_receiver_serves_the_fleet_page_read_only_and_a_stored_batch_shows_on_it()
        {
            var keys = Path.Combine(_dir, "keys.json");
            new KeyRing().Add(52, 1, Key).Save(keys);
            using var rx = new ReceiverProcess(BrokerSimulationTests.CliCommand(),
                new[] { "cloud", "run", "--broker", $"{_broker.Host}:{_broker.Port}", "--db", "sqlite:" + Path.Combine(_dir, "rx.db"), "--keys", keys,
                    "--client-id", "rx-fleet", "--stop-on-stdin-close", "--http", "127.0.0.1:0" },
                new System.Collections.Generic.Dictionary<string, string> { ["GATEWAY_MQTT_USER"] = _broker.Username, ["GATEWAY_MQTT_PASSWORD"] = _broker.Password },
                Path.Combine(_dir, "receiver.log"));
            rx.WaitReady(TimeSpan.FromSeconds(60));
            using var ready = JsonDocument.Parse(rx.ReadyLine!);
            var url = new Uri(ready.RootElement.GetProperty("http").GetString()!);
            Assert.True(IPAddress.IsLoopback(IPAddress.Parse(url.Host)));
            using var http = new HttpClient { BaseAddress = url };
            Assert.Contains("No gateway has sent anything yet.", await http.GetStringAsync("/?lang=en"), StringComparison.Ordinal);

            var acks = new ConcurrentQueue<byte[]>();
            using var gateway = new MosquittoClient("gw-52", cleanSession: false);
            gateway.SetCredentials(_broker.Username, _broker.Password);
            gateway.MessageReceived += m => acks.Enqueue(m.Payload);
            gateway.Subscribe("gw/52/ack");
            gateway.Start(_broker.Host, _broker.Port);
            Assert.True(gateway.WaitConnected(TimeSpan.FromSeconds(10)));
            var encoder = new BatchEncoder(new HostHmacSha256(1, Key), 52, 1, 1024);
            var readings = Enumerable.Range(0, 12).Select(i => new Reading(ChannelId.WaterLevelMillimeters, 1_790_000_000_000L + (i * 600_000L), 900 + i, ReadingStatus.Ok)).ToArray();
            var buf = new byte[1024];
            var len = encoder.Encode(readings, Enumerable.Range(1, 12).Select(i => (uint)i).ToArray(), 0, 12, 1024, 16, buf, 0);
            encoder.Commit();
            for (var attempt = 0; attempt < 20 && acks.IsEmpty; attempt++)
            {
                gateway.Publish("gw/52/up", buf.AsSpan(0, len).ToArray(), 1, false, TimeSpan.FromSeconds(5));
                for (var i = 0; i < 20 && acks.IsEmpty; i++)
                {
                    Thread.Sleep(50);
                }
            }

            Assert.False(acks.IsEmpty, "acknowledged");
            var fleet = await http.GetStringAsync("/?lang=en");
            Assert.Contains("<a href=\"/gateway/52?lang=en\">52</a>", fleet, StringComparison.Ordinal);
            Assert.Contains("<svg", await http.GetStringAsync("/gateway/52"), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.MethodNotAllowed, (await http.PutAsync("/gateway/52", new StringContent("x"))).StatusCode);
            Assert.Equal(0, rx.Stop(TimeSpan.FromSeconds(30)));
        }
    }
}
