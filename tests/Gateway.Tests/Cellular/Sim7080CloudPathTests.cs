using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using Gateway.Cloud.Receiver;
using Gateway.Cloud.Storage;
using Gateway.Core.Codec;
using Gateway.Core.Downlink;
using Gateway.Core.Sensing;
using Gateway.Core.Uplink;
using Gateway.Virtual.Security;
using Xunit;
using Xunit.Abstractions;

namespace Gateway.Tests.Cellular
{
    /// <summary>
    /// The whole cellular path: encoded, authenticated batches go through Sim7080Transport → emulated modem → real
    /// mosquitto → the cloud's MqttReceiverService and CloudReceiver (SQLite), and the cloud's acknowledgement comes
    /// back through the broker → +SMSUB URC → PollDownlink, where the gateway's DownlinkCodec accepts it.
    /// </summary>
    public sealed class Sim7080CloudPathTests : IDisposable
    {
        private static readonly byte[] Key = Enumerable.Range(7, 32).Select(i => (byte)i).ToArray();
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "gw-cell-" + Guid.NewGuid().ToString("N")[..8]);
        private readonly ITestOutputHelper _out;

        public Sim7080CloudPathTests(ITestOutputHelper output)
        {
            _out = output;
            Directory.CreateDirectory(_dir);
        }

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_dir, true);
        }

        private static byte[] Batch(BatchEncoder e, uint first, int n)
        {
            var readings = Enumerable.Range(0, n).Select(i => new Reading(ChannelId.WaterLevelMillimeters, 1_790_000_000_000L + (first + i) * 600_000L, 900 + i, ReadingStatus.Ok)).ToArray();
            var seqs = Enumerable.Range(0, n).Select(i => first + (uint)i).ToArray();
            var buf = new byte[1024];
            var len = e.Encode(readings, seqs, 0, n, 512, 16, buf, 0); // the modem publishes at most 512 B
            e.Commit();
            return buf.AsSpan(0, len).ToArray();
        }

        [Fact]
        public void Batches_sent_over_LTE_M_are_stored_by_the_cloud_and_its_acknowledgements_come_back_as_downlinks()
        {
            using var rig = new Sim7080Rig(seed: 31);
            using var store = new SqliteReceiverStore(Path.Combine(_dir, "rx.db"));
            using var service = new MqttReceiverService(new CloudReceiver(store, new KeyRing().Add(7, 1, Key)),
                new MqttReceiverSettings(rig.Broker.Host, rig.Broker.Port, rig.Broker.Username, rig.Broker.Password, null, "rx-cell"));
            Assert.True(service.Start(TimeSpan.FromSeconds(10)));
            Assert.True(rig.Transport.EnsureReady(), "bring-up: " + rig.Transport.LastStatus);

            var encoder = new BatchEncoder(new HostHmacSha256(1, Key), 7, 1, 1024);
            var codec = new DownlinkCodec(7, new HostHmacSha256(1, Key));
            var command = new DownlinkCommand();
            var acked = new HashSet<uint>();
            var buffer = new byte[DownlinkCodec.MaxBytes];
            const int batches = 6;
            const int perBatch = 20;
            int sends = 0;
            for (int b = 0; b < batches; b++)
            {
                uint first = (uint)(1 + b * perBatch);
                var batch = Batch(encoder, first, perBatch);
                // As a gateway does: send, look for the acknowledgement, send again after a while without one (the
                // receiver's subscription is asynchronous, so the very first batch may find nobody listening).
                for (int attempt = 0; attempt < 20 && !acked.Contains(first); attempt++)
                {
                    Assert.Equal(UplinkStatus.Sent, rig.Transport.Send(batch, 0, batch.Length, PayloadClass.Newest).Status);
                    sends++;
                    var deadline = DateTime.UtcNow.AddMilliseconds(500);
                    while (DateTime.UtcNow < deadline && !acked.Contains(first))
                    {
                        int n;
                        while ((n = rig.Transport.PollDownlink(buffer, 0, buffer.Length, out int channel)) >= 0)
                        {
                            Assert.Equal(MqttTopics.AckChannel, channel);
                            Assert.Equal(DownlinkRefusal.None, codec.TryDecode(buffer, 0, n, command));
                            Assert.Equal(DownlinkKind.Ack, command.Kind);
                            for (int r = 0; r < command.AckRangeCount; r++)
                            {
                                for (uint s = command.AckFirst[r]; s < command.AckFirst[r] + command.AckCount[r]; s++)
                                {
                                    acked.Add(s);
                                }
                            }
                        }

                        Thread.Sleep(5);
                    }
                }

                Assert.Contains(first, acked);
            }

            Assert.True(Sim7080Rig.WaitReal(() => store.CountReadings(7) >= batches * perBatch));
            Assert.Equal(batches * perBatch, store.CountReadings(7));
            Assert.Equal(Enumerable.Range(1, batches * perBatch).Select(i => (uint)i), acked.OrderBy(s => s));
            _out.WriteLine($"cellular path: {batches} batches ({batches * perBatch} readings) stored and acknowledged with {sends} sends; {rig.Modem.UrcsQueued} downlink URCs");
        }
    }
}
