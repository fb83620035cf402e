using System;
using System.Diagnostics;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using Gateway.Cloud.Commissioning;
using Gateway.Cloud.Receiver;
using Gateway.Cloud.Storage;
using Gateway.Control.Commissioning;
using Gateway.Core.Sensing;
using Gateway.Core.Time;
using Gateway.Core.Uplink;
using Gateway.Virtual.Mqtt;
using Gateway.Virtual.Security;
using Xunit;

namespace Gateway.Tests.ConsoleLink
{
    public sealed class CommissioningOverMqttTests : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("gw-commission-mqtt-").FullName;

        public void Dispose() => Directory.Delete(_dir, true);

        private static bool WaitFor(Func<bool> condition, TimeSpan timeout)
        {
            var sw = Stopwatch.StartNew();
            while (!condition())
            {
                if (sw.Elapsed > timeout)
                {
                    return false;
                }

                Thread.Sleep(20);
            }

            return true;
        }

        [Fact]
        public void A_record_published_on_the_commission_topic_is_verified_and_stored_and_a_forged_one_is_not()
        {
            var key = RandomNumberGenerator.GetBytes(32);
            var ring = new KeyRing().Add(4711, 1, key);
            var db = Path.Combine(_dir, "receiver.db");
            using var broker = new MosquittoBroker(seed: 9);
            broker.Start();
            using var store = ReceiverStoreFactory.Open(db);
            using var commissioning = new CommissioningStore(db);
            using var service = new MqttReceiverService(new CloudReceiver(store, ring), new MqttReceiverSettings(broker.Host, broker.Port, broker.Username, broker.Password, null, "receiver"))
            {
                Commissioning = new CommissioningVerifier(ring, commissioning, store),
            };
            Assert.True(service.Start(TimeSpan.FromSeconds(10)));

            var record = new CommissioningRecord { DeviceId = 4711, TimeMs = 1_780_272_000_000, ClockQuality = ClockQuality.Network, Flags = 0x0F };
            record.AddSensor(ChannelId.WaterLevelMillimeters, 812, ReadingStatus.Maintenance);
            var bytes = new byte[CommissioningRecord.MaxBytes];
            var n = record.Encode(new HostHmacSha256(1, key), bytes, 0);
            var good = bytes.AsSpan(0, n).ToArray();
            var forged = (byte[])good.Clone();
            forged[50] ^= 0x10;

            using var gateway = new MosquittoClient("gw-4711");
            gateway.SetCredentials(broker.Username, broker.Password);
            gateway.Start(broker.Host, broker.Port);
            Assert.True(gateway.WaitConnected(TimeSpan.FromSeconds(10)));
            Thread.Sleep(200); // the receiver's subscription settles
            Assert.True(gateway.Publish(MqttTopics.Commission("4711"), forged, 1, false, TimeSpan.FromSeconds(5)), gateway.LastError);
            Assert.True(gateway.Publish(MqttTopics.Commission("4711"), good, 1, false, TimeSpan.FromSeconds(5)), gateway.LastError);

            using var reader = new CommissioningStore(db);
            Assert.True(WaitFor(() => reader.Query(4711).Count == 1 && service.Backlog == 0 && service.Rejected >= 1, TimeSpan.FromSeconds(15)),
                $"stored {reader.Query(4711).Count}, rejected {service.Rejected}");
            Assert.Equal(Convert.ToHexStringLower(good), reader.Query(4711)[0].RecordHex);
            Assert.Equal(1, service.Rejected);
        }
    }
}
