using System;
using System.Linq;
using Gateway.Cloud.Decoding;
using Gateway.Cloud.Receiver;
using Gateway.Cloud.Storage;
using Gateway.Core.Codec;
using Gateway.Core.Sensing;
using Gateway.Tests.Support;
using Gateway.Virtual.Security;
using Xunit;

namespace Gateway.Tests.Cloud
{
    /// <summary>The receiver itself (verify, store once, audit, acknowledge) on a real PostgreSQL server.</summary>
    [Collection(PostgresCollection.Name)]
    public sealed class PostgresReceiverTests
    {
        private static readonly byte[] Key = Enumerable.Range(50, 32).Select(i => (byte)i).ToArray();
        private readonly PostgresServer _server;

        public PostgresReceiverTests(PostgresServer server) => _server = server;

        /// <summary>A batch of <paramref name="n"/> pressure readings from sequence <paramref name="first"/> (two minutes apart).</summary>
        internal static byte[] Batch(BatchEncoder e, uint first, int n)
        {
            var readings = Enumerable.Range(0, n).Select(i => new Reading(ChannelId.PressurePascals, 1_790_000_000_000L + (first + i) * 120_000L, 9_000 + i * 3, ReadingStatus.Ok)).ToArray();
            var seqs = Enumerable.Range(0, n).Select(i => first + (uint)i).ToArray();
            var buf = new byte[1024];
            var len = e.Encode(readings, seqs, 0, n, 1024, 16, buf, 0);
            e.Commit();
            return buf.AsSpan(0, len).ToArray();
        }

        [Fact]
        public void Authentic_batches_are_stored_once_across_a_receiver_restart_and_forgeries_are_only_audited()
        {
            var connection = _server.CreateDatabase();
            var encoder = new BatchEncoder(new HostHmacSha256(1, Key), 9, 1, 1024);
            var a = Batch(encoder, 1, 30);
            var b = Batch(encoder, 31, 30);
            var forged = Batch(new BatchEncoder(new HostHmacSha256(1, new byte[32]), 9, 1, 1024), 61, 5);
            using (var store = ReceiverStoreFactory.Open("postgres:" + connection))
            {
                var rx = new CloudReceiver(store, new KeyRing().Add(9, 1, Key));
                Assert.Equal(BatchVerdict.Ok, rx.Ingest("lora", a, 1).Verdict);
                Assert.Equal(BatchVerdict.BadTag, rx.Ingest("lora", forged, 2, "gw/9/up").Verdict); // the topic names the device
            }

            using (var store = ReceiverStoreFactory.Open("postgres:" + connection))
            {
                var rx = new CloudReceiver(store, new KeyRing().Add(9, 1, Key));
                Assert.Equal(0, rx.Ingest("cellular", a, 3).Stored);
                Assert.Equal(30, rx.Ingest("cellular", b, 4).Stored);
                Assert.Equal(60, store.CountReadings(9));
                Assert.Contains(store.QueryChainEvents(9), e => e.Kind == "forged_or_altered");
            }
        }
    }
}
