using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using Gateway.Cloud.Receiver;
using Gateway.Cloud.Storage;
using Gateway.Core.Codec;
using Gateway.Core.Sensing;
using Gateway.Virtual.Mqtt;
using Gateway.Virtual.Security;
using Xunit;

namespace Gateway.Tests.Cloud
{
    /// <summary>The receiver as the operator runs it: on a real mosquitto, through restarts of the broker and of itself.</summary>
    public sealed class MqttReceiverServiceTests : IDisposable
    {
        private static readonly byte[] Key = Enumerable.Range(7, 32).Select(i => (byte)i).ToArray();
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "gw-mqrx-" + Guid.NewGuid().ToString("N")[..8]);
        private readonly MosquittoBroker _broker = new(seed: 9);

        public MqttReceiverServiceTests()
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

        private MqttReceiverService Service(IReceiverStore store, string id) =>
            new(new CloudReceiver(store, new KeyRing().Add(7, 1, Key)), new MqttReceiverSettings(_broker.Host, _broker.Port, _broker.Username, _broker.Password, null, id));

        private static byte[] Batch(BatchEncoder e, uint first, int n)
        {
            var readings = Enumerable.Range(0, n).Select(i => new Reading(ChannelId.WaterLevelMillimeters, 1_790_000_000_000L + (first + i) * 600_000L, 900 + i, ReadingStatus.Ok)).ToArray();
            var seqs = Enumerable.Range(0, n).Select(i => first + (uint)i).ToArray();
            var buf = new byte[1024];
            var len = e.Encode(readings, seqs, 0, n, 1024, 16, buf, 0);
            e.Commit();
            return buf.AsSpan(0, len).ToArray();
        }

        /// <summary>As a gateway does: publish, and publish again each second until the condition (an ack) holds.</summary>
        private static void PublishUntil(MosquittoClient client, string topic, byte[] payload, Func<bool> condition, string what)
        {
            for (var attempt = 0; attempt < 15 && !condition(); attempt++)
            {
                client.Publish(topic, payload, 1, false, TimeSpan.FromSeconds(5));
                for (var i = 0; i < 20 && !condition(); i++)
                {
                    Thread.Sleep(50);
                }
            }

            Assert.True(condition(), "timed out waiting for " + what);
        }

        private static void WaitFor(Func<bool> condition, string what)
        {
            for (var i = 0; i < 200 && !condition(); i++)
            {
                Thread.Sleep(50);
            }

            Assert.True(condition(), "timed out waiting for " + what);
        }

        [Fact]
        public void Batches_are_stored_once_and_acknowledged_through_broker_and_receiver_restarts_and_bad_traffic_is_refused()
        {
            var db = Path.Combine(_dir, "rx.db");
            var acks = new ConcurrentQueue<byte[]>();
            using var gateway = new MosquittoClient("gw-7", cleanSession: false);
            gateway.SetCredentials(_broker.Username, _broker.Password);
            gateway.MessageReceived += m => acks.Enqueue(m.Payload);
            gateway.Start(_broker.Host, _broker.Port);
            Assert.True(gateway.WaitConnected(TimeSpan.FromSeconds(10)));
            gateway.Subscribe("gw/7/ack");
            var encoder = new BatchEncoder(new HostHmacSha256(1, Key), 7, 1, 1024);
            var first = Batch(encoder, 1, 20);

            var store = new SqliteReceiverStore(db);
            var service = Service(store, "rx-a");
            Assert.True(service.Start(TimeSpan.FromSeconds(10)));
            // Subscriptions are asynchronous: like a gateway, resend until acknowledged.
            PublishUntil(gateway, "gw/7/up", first, () => !acks.IsEmpty, "the first acknowledgement");

            // Bad traffic: a forged batch on the gateway's topic, garbage on ChirpStack's and TTS's topics.
            var forger = new BatchEncoder(new HostHmacSha256(1, new byte[32]), 7, 1, 1024);
            gateway.Publish("gw/7/up", Batch(forger, 100, 5), 1, false, TimeSpan.FromSeconds(5));
            gateway.Publish("gw/7/up", new byte[] { 0x10, 0xFF }, 1, false, TimeSpan.FromSeconds(5));
            gateway.Publish("application/a1/device/70b3d57ed0000007/event/up", Encoding.UTF8.GetBytes("{\"deviceInfo\":"), 1, false, TimeSpan.FromSeconds(5));
            gateway.Publish("v3/town@ttn/devices/x/up", Encoding.UTF8.GetBytes("{\"end_device_ids\":{}}"), 1, false, TimeSpan.FromSeconds(5));
            WaitFor(() => service.Rejected >= 4, "four rejections");

            // The broker restarts; the receiver's client reconnects and carries on.
            _broker.Restart();
            Assert.True(gateway.WaitConnected(TimeSpan.FromSeconds(15)));
            WaitFor(() => service.IsConnected, "the receiver to reconnect");
            var second = Batch(encoder, 21, 20);
            PublishUntil(gateway, "gw/7/up", second, () => service.Stored >= 40, "the second batch");
            service.Dispose();
            store.Dispose();

            // The receiver restarts over the same database; the gateway resends its first batch (its ack was "lost").
            store = new SqliteReceiverStore(db);
            service = Service(store, "rx-a");
            Assert.True(service.Start(TimeSpan.FromSeconds(10)));
            var acksBefore = acks.Count;
            PublishUntil(gateway, "gw/7/up", first, () => acks.Count > acksBefore, "the acknowledgement of the resent batch");
            service.Dispose();
            Assert.Equal(40, store.CountReadings(7));
            Assert.Equal(40, store.AllReadings().Select(r => r.Sequence).Distinct().Count());
            var kinds = store.QueryChainEvents().Select(e => e.Kind).ToList();
            Assert.Contains("forged_or_altered", kinds);
            Assert.Contains("malformed", kinds);
            Assert.All(store.QueryChainEvents().Where(e => e.Kind != "accepted"), e => Assert.False(string.IsNullOrWhiteSpace(e.Detail)));
            store.Dispose();
        }

        private static string TtsUplink(int fPort, uint fCnt, byte[] payload) =>
            "{\"end_device_ids\":{\"device_id\":\"gw-7\",\"dev_eui\":\"70B3D57ED0000007\"},\"received_at\":\"2026-09-21T10:00:00Z\"," +
            "\"uplink_message\":{\"f_port\":" + fPort + ",\"f_cnt\":" + fCnt + ",\"frm_payload\":\"" + Convert.ToBase64String(payload) + "\"," +
            "\"rx_metadata\":[{\"rssi\":-118,\"snr\":-9.5}],\"settings\":{\"data_rate\":{\"lora\":{\"spreading_factor\":10}}}}}";

        [Fact]
        public void Dr2_fragments_from_the_things_stack_are_reassembled_by_frame_counter_stored_and_acknowledged()
        {
            var db = Path.Combine(_dir, "rx-frag.db");
            var downlinks = new ConcurrentQueue<string>();
            using var network = new MosquittoClient("tts-7", cleanSession: true);
            network.SetCredentials(_broker.Username, _broker.Password);
            network.MessageReceived += m => downlinks.Enqueue(m.Topic);
            network.Start(_broker.Host, _broker.Port);
            Assert.True(network.WaitConnected(TimeSpan.FromSeconds(10)));
            network.Subscribe("v3/town@ttn/devices/gw-7/down/push");

            // One batch for eight DR2 fragments; its fragment 3 is lost on the air the first time.
            var encoder = new BatchEncoder(new HostHmacSha256(1, Key), 7, 1, 256);
            var readings = Enumerable.Range(0, 30).Select(i => new Reading(ChannelId.WaterLevelMillimeters, 1_790_000_000_000L + i * 120_000L, 900 + (i % 4), ReadingStatus.Ok)).ToArray();
            var seqs = Enumerable.Range(1, 30).Select(i => (uint)i).ToArray();
            var buf = new byte[BatchFragmenter.BudgetFor(8)];
            var len = encoder.Encode(readings, seqs, 0, readings.Length, buf.Length, 8, buf, 0);
            var taken = encoder.Taken;
            encoder.Commit();
            var frames = Enumerable.Range(0, BatchFragmenter.FragmentCount(len)).Select(i =>
            {
                var f = new byte[BatchFragmenter.FrameBytes];
                return f.AsSpan(0, BatchFragmenter.WriteFragment(buf, 0, len, i, f, 0)).ToArray();
            }).ToList();
            Assert.True(frames.Count > 3);

            var store = new SqliteReceiverStore(db);
            using (var service = Service(store, "rx-frag"))
            {
                Assert.True(service.Start(TimeSpan.FromSeconds(10)));
                Thread.Sleep(300); // the receiver's subscriptions are asynchronous
                uint fCnt = 40;
                for (var i = 0; i < frames.Count; i++, fCnt++)
                {
                    if (i != 3)
                    {
                        network.Publish("v3/town@ttn/devices/gw-7/up", Encoding.UTF8.GetBytes(TtsUplink(BatchFragmenter.FragmentPort, fCnt, frames[i])), 1, false, TimeSpan.FromSeconds(5));
                    }
                }

                // A port no gateway uses is refused with a reason.
                network.Publish("v3/town@ttn/devices/gw-7/up", Encoding.UTF8.GetBytes(TtsUplink(9, fCnt++, new byte[] { 1, 2, 3 })), 1, false, TimeSpan.FromSeconds(5));
                WaitFor(() => service.Rejected >= 1, "the refusal of port 9");
                Assert.Equal(0, store.CountReadings(7));
                Assert.True(downlinks.IsEmpty, "nothing is acknowledged before the batch is whole");

                // The gateway sends the batch again, every fragment, in the next frames.
                for (var i = 0; i < frames.Count; i++, fCnt++)
                {
                    network.Publish("v3/town@ttn/devices/gw-7/up", Encoding.UTF8.GetBytes(TtsUplink(BatchFragmenter.FragmentPort, fCnt, frames[i])), 1, false, TimeSpan.FromSeconds(5));
                }

                WaitFor(() => !downlinks.IsEmpty, "the acknowledgement of the reassembled batch");
                Assert.Equal(taken, store.CountReadings(7));
            }

            Assert.Contains("malformed", store.QueryChainEvents().Select(e => e.Kind));
            store.Dispose();
        }
    }
}
