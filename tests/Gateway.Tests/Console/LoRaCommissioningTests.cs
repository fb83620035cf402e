using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using Gateway.Cloud.Commissioning;
using Gateway.Cloud.Ingest;
using Gateway.Cloud.Receiver;
using Gateway.Cloud.Storage;
using Gateway.Core.Codec;
using Gateway.Control.Commissioning;
using Gateway.Core.Sensing;
using Gateway.Virtual.Security;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Gateway.Tests.ConsoleLink
{
    public sealed class LoRaCommissioningTests : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("gw-lora-commission-").FullName;

        public void Dispose()
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(_dir, true);
        }

        [Fact]
        public void A_record_in_dr2_fragments_on_fport_6_reassembles_in_any_order_and_verifies()
        {
            var key = RandomNumberGenerator.GetBytes(32);
            var ring = new KeyRing().Add(4711, 1, key);
            var db = Path.Combine(_dir, "r.db");
            using var store = ReceiverStoreFactory.Open(db);
            using var commissioning = new CommissioningStore(db);
            var ingest = new LoRaCommissioningIngest(new CommissioningVerifier(ring, commissioning, store));
            var record = new CommissioningRecord { DeviceId = 4711, TimeMs = 1_780_272_000_000, Flags = 0x0F, LinkTransport = CommissioningRecord.LinkLora, SignalA = -117, SignalBTenths = 35 };
            record.AddSensor(ChannelId.WaterLevelMillimeters, 812, ReadingStatus.Maintenance);
            record.AddSensor(ChannelId.BatteryMillivolts, 3900, ReadingStatus.Maintenance);
            var bytes = new byte[record.Length];
            record.Encode(new HostHmacSha256(1, key), bytes, 0);
            var count = BatchFragmenter.FragmentCount(bytes.Length);
            var frames = Enumerable.Range(0, count).Select(i =>
            {
                var f = new byte[BatchFragmenter.FrameBytes];
                var n = BatchFragmenter.WriteFragment(bytes, 0, bytes.Length, i, f, 0);
                return f.AsSpan(0, n).ToArray();
            }).ToList();
            Assert.All(frames, f => Assert.True(f.Length <= 11, "each fragment fits AS923 DR2 under the dwell limit"));
            var rng = new Random(7);
            var order = frames.OrderBy(_ => rng.Next()).ToList();
            CommissioningOutcome? outcome = null;
            for (var i = 0; i < order.Count; i++)
            {
                outcome = ingest.Add(new NetworkUplink("70B3D57ED0001234", CommissioningRecord.LoRaFragmentPort, (uint)i, order[i], DateTimeOffset.UtcNow, -117, -3.5, 10), out var error);
                Assert.Null(error);
                Assert.True(i == order.Count - 1 ? outcome is not null : outcome is null);
            }

            Assert.True(outcome!.Accepted, outcome.Message);
            Assert.Single(commissioning.Query(4711));
            Assert.True(LoRaCommissioningIngest.Handles(5) && LoRaCommissioningIngest.Handles(6) && !LoRaCommissioningIngest.Handles(1) && !LoRaCommissioningIngest.Handles(2));
        }
    }
}
