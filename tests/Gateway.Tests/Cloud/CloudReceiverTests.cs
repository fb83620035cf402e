using System;
using System.IO;
using System.Linq;
using Gateway.Cloud.Decoding;
using Gateway.Cloud.Receiver;
using Gateway.Cloud.Storage;
using Gateway.Core.Codec;
using Gateway.Core.Downlink;
using Gateway.Core.Sensing;
using Gateway.Virtual.Security;
using Xunit;

namespace Gateway.Tests.Cloud
{
    public sealed class CloudReceiverTests : IDisposable
    {
        private static readonly byte[] Key = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "gw-rx-" + Guid.NewGuid().ToString("N")[..8]);

        public CloudReceiverTests() => Directory.CreateDirectory(_dir);

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_dir, true);
        }

        private string Db => Path.Combine(_dir, "rx.db");

        private static KeyRing Keys() => new KeyRing().Add(7, 1, Key);

        /// <summary>Encodes readings first..first+n-1 of a level series into one batch (cellular budget).</summary>
        private static byte[] Batch(BatchEncoder encoder, uint first, int n)
        {
            var t0 = 1_790_000_000_000L;
            var readings = Enumerable.Range(0, n).Select(i => new Reading(ChannelId.WaterLevelMillimeters, t0 + (first + i) * 600_000L, 1000 + (int)((first + i) % 17), ReadingStatus.Ok)).ToArray();
            var seqs = Enumerable.Range(0, n).Select(i => first + (uint)i).ToArray();
            var output = new byte[1024];
            var len = encoder.Encode(readings, seqs, 0, n, 1024, 16, output, 0);
            Assert.Equal(n, encoder.Taken);
            encoder.Commit();
            return output.AsSpan(0, len).ToArray();
        }

        [Fact]
        public void An_authentic_batch_is_stored_and_acknowledged_with_exactly_its_sequences()
        {
            using var store = new SqliteReceiverStore(Db);
            var rx = new CloudReceiver(store, Keys());
            var encoder = new BatchEncoder(new HostHmacSha256(1, Key), 7, 1, 1024);
            var outcome = rx.Ingest("cellular", Batch(encoder, 100, 40), 1_790_000_999_000);
            Assert.Equal(BatchVerdict.Ok, outcome.Verdict);
            Assert.Equal(40, outcome.Stored);
            Assert.Equal(40, store.CountReadings(7));

            var gateway = new DownlinkCodec(7, new HostHmacSha256(1, Key));
            var ack = new DownlinkCommand();
            var dl = Assert.Single(outcome.AckDownlinks);
            Assert.Equal(DownlinkRefusal.None, gateway.TryDecode(dl, 0, dl.Length, ack));
            Assert.Equal(DownlinkKind.Ack, ack.Kind);
            Assert.Equal(1, ack.AckRangeCount);
            Assert.Equal((100u, 40u), (ack.AckFirst[0], ack.AckCount[0]));
        }

        [Fact]
        public void The_same_batch_twice_is_stored_once_and_acknowledged_again()
        {
            using var store = new SqliteReceiverStore(Db);
            var rx = new CloudReceiver(store, Keys());
            var encoder = new BatchEncoder(new HostHmacSha256(1, Key), 7, 1, 1024);
            var bytes = Batch(encoder, 1, 10);
            rx.Ingest("lora", bytes, 1);
            var again = rx.Ingest("cellular", bytes, 2);
            Assert.Equal(0, again.Stored);
            Assert.Equal(10, again.Duplicates);
            Assert.Single(again.AckDownlinks);
            Assert.Equal(10, store.CountReadings(7));
        }

        [Fact]
        public void Forged_and_unknown_device_batches_are_never_stored_and_are_logged_with_a_reason()
        {
            using var store = new SqliteReceiverStore(Db);
            var rx = new CloudReceiver(store, Keys());
            var forger = new BatchEncoder(new HostHmacSha256(1, Enumerable.Repeat((byte)1, 32).ToArray()), 7, 1, 1024);
            var stranger = new BatchEncoder(new HostHmacSha256(1, Key), 99, 1, 1024);
            var forged = rx.Ingest("lora", Batch(forger, 1, 5), 1);
            var unknown = rx.Ingest("lora", Batch(stranger, 1, 5), 2);
            var garbage = rx.Ingest("lora", new byte[] { 0x13, 0x37 }, 3);
            Assert.Equal(BatchVerdict.BadTag, forged.Verdict);

            // A version-2 batch does not carry its device id: with no transport naming the device, a batch of a device
            // without a key here is one no key verifies, like a forgery; a topic naming it tells the two apart.
            Assert.Equal(BatchVerdict.BadTag, unknown.Verdict);
            var named = rx.Ingest("cellular", Batch(stranger, 1, 5), 4, "gw/99/up");
            Assert.Equal(BatchVerdict.WrongKey, named.Verdict);
            Assert.Contains("device 99 has no key here", named.Message);
            Assert.False(garbage.Accepted);
            Assert.Equal(0, store.CountReadings());
            Assert.Empty(forged.AckDownlinks);
            var kinds = store.QueryChainEvents().Select(e => e.Kind).ToList();
            Assert.True(kinds.Count(k => k == "forged_or_altered") == 2 && kinds.Contains("wrong_key") && kinds.Count == 4, string.Join(",", kinds));
        }

        [Fact]
        public void After_a_receiver_restart_nothing_is_stored_twice_and_downlink_counters_keep_rising()
        {
            var encoder = new BatchEncoder(new HostHmacSha256(1, Key), 7, 1, 1024);
            var a = Batch(encoder, 1, 20);
            var b = Batch(encoder, 21, 20);
            uint firstCounter;
            using (var store = new SqliteReceiverStore(Db))
            {
                var rx = new CloudReceiver(store, Keys());
                var o = rx.Ingest("lora", a, 1);
                var probe = new DownlinkCodec(7, new HostHmacSha256(1, Key));
                var cmd = new DownlinkCommand();
                probe.TryDecode(o.AckDownlinks[0], 0, o.AckDownlinks[0].Length, cmd);
                firstCounter = cmd.Counter;
            }

            using (var store = new SqliteReceiverStore(Db))
            {
                var rx = new CloudReceiver(store, Keys());
                var again = rx.Ingest("lora", a, 3);
                var next = rx.Ingest("lora", b, 4);
                Assert.Equal(0, again.Stored);
                Assert.Equal(20, next.Stored);
                Assert.Equal(40, store.CountReadings(7));
                var gateway = new DownlinkCodec(7, new HostHmacSha256(1, Key)) { LastCounter = firstCounter };
                var cmd = new DownlinkCommand();
                Assert.Equal(DownlinkRefusal.None, gateway.TryDecode(next.AckDownlinks[0], 0, next.AckDownlinks[0].Length, cmd));
            }
        }

        [Fact]
        public void A_key_file_loads_and_a_broken_one_names_the_entry()
        {
            var path = Path.Combine(_dir, "keys.json");
            File.WriteAllText(path, "{\"devices\":[{\"device_id\":7,\"key_id\":1,\"key_hex\":\"" + Convert.ToHexString(Key) + "\"}]}");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite); // the receiver refuses a key file others can read
            }

            Assert.Equal(Key, KeyRing.Load(path).Current(7)!.Key);
            File.WriteAllText(path, "{\"devices\":[{\"device_id\":7,\"key_id\":1,\"key_hex\":\"zz\"}]}");
            var ex = Assert.Throws<Gateway.Cloud.ConfigurationException>(() => KeyRing.Load(path));
            Assert.Contains("devices[0].key_hex", ex.Message, StringComparison.Ordinal);
        }
    }
}
