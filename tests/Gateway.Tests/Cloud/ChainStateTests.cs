using System;
using System.Collections.Generic;
using System.IO;
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
    /// <summary>
    /// The receiver's per-device chain state lives in the database with the readings it covers: a receiver restarted
    /// mid-stream continues each chain (no new "first batch of the chain"), still spots replays and breaks, and still
    /// stores every reading exactly once. The same scenario runs on SQLite and on a real PostgreSQL server.
    /// </summary>
    public static class ChainStateScenario
    {
        private static readonly byte[] KeyA = Enumerable.Range(30, 32).Select(i => (byte)i).ToArray();
        private static readonly byte[] KeyB = Enumerable.Range(90, 32).Select(i => (byte)i).ToArray();

        private static KeyRing Keys() => new KeyRing().Add(21, 1, KeyA).Add(22, 1, KeyB);

        private static byte[] Batch(BatchEncoder e, uint first, int n, int seed)
        {
            var random = new Random(seed);
            var readings = Enumerable.Range(0, n).Select(i => new Reading(ChannelId.WaterLevelMillimeters, 1_790_000_000_000L + (first + i) * 600_000L, 800 + random.Next(400), ReadingStatus.Ok)).ToArray();
            var seqs = Enumerable.Range(0, n).Select(i => first + (uint)i).ToArray();
            var buf = new byte[1024];
            var len = e.Encode(readings, seqs, 0, n, 1024, 16, buf, 0);
            Assert.Equal(n, e.Taken);
            e.Commit();
            return buf.AsSpan(0, len).ToArray();
        }

        /// <summary>Runs the restart scenario on stores that <paramref name="open"/> opens over one database.</summary>
        public static void Run(Func<IReceiverStore> open)
        {
            var a = new BatchEncoder(new HostHmacSha256(1, KeyA), 21, 1, 1024);
            var b = new BatchEncoder(new HostHmacSha256(1, KeyB), 22, 1, 1024);
            var batchesA = new List<byte[]>();
            var batchesB = new List<byte[]>();
            for (var i = 0; i < 8; i++)
            {
                batchesA.Add(Batch(a, 1 + ((uint)i * 10), 10, i));
                batchesB.Add(Batch(b, 1 + ((uint)i * 5), 5, 100 + i));
            }

            // Before the restart: three batches of each device, then device 22's fourth.
            using (var store = open())
            {
                var rx = new CloudReceiver(store, Keys());
                Assert.Equal(0, rx.ChainStatesLoaded);
                Assert.Equal("first batch of the chain", rx.Ingest("cellular", batchesA[0], 1).Message);
                Assert.Equal("first batch of the chain", rx.Ingest("cellular", batchesB[0], 1).Message);
                for (var i = 1; i < 3; i++)
                {
                    Assert.Equal(BatchVerdict.Ok, rx.Ingest("cellular", batchesA[i], 2).Verdict);
                    Assert.Equal(BatchVerdict.Ok, rx.Ingest("lora", batchesB[i], 2).Verdict);
                }

                Assert.Equal(BatchVerdict.Ok, rx.Ingest("lora", batchesB[3], 3).Verdict);
            }

            // A new receiver over the same database: both chains continue.
            using (var store = open())
            {
                var rx = new CloudReceiver(store, Keys());
                Assert.Equal(2, rx.ChainStatesLoaded);
                var next = rx.Ingest("cellular", batchesA[3], 4);
                Assert.Equal(BatchVerdict.Ok, next.Verdict);
                Assert.Equal("continues the chain", next.Message);
                Assert.Equal(10, next.Stored);

                // A batch stored before the restart, resent (its ack was lost): a replay, acknowledged again, stored once.
                var resent = rx.Ingest("lora", batchesA[1], 5);
                Assert.Equal(BatchVerdict.Replayed, resent.Verdict);
                Assert.Equal(0, resent.Stored);
                Assert.NotEmpty(resent.AckDownlinks);

                // Device 22: its fifth batch is lost on the way; the sixth shows the break, the fifth then arrives late.
                var afterGap = rx.Ingest("cellular", batchesB[5], 6);
                Assert.Equal(BatchVerdict.Dropped, afterGap.Verdict);
                Assert.Equal(BatchVerdict.Reordered, rx.Ingest("cellular", batchesB[4], 7).Verdict);
            }

            // And once more: the reordered batch's range is part of the saved state, so resending it is a replay.
            using (var store = open())
            {
                var rx = new CloudReceiver(store, Keys());
                Assert.Equal(BatchVerdict.Replayed, rx.Ingest("cellular", batchesB[4], 8).Verdict);
                Assert.Equal("continues the chain", rx.Ingest("cellular", batchesB[6], 9).Message);
                Assert.Equal("continues the chain", rx.Ingest("cellular", batchesA[4], 9).Message);
                Assert.Equal(50, store.CountReadings(21));
                Assert.Equal(35, store.CountReadings(22));
                var rows = store.AllReadings().ToList();
                Assert.Equal(rows.Count, rows.Select(r => (r.DeviceId, r.Sequence)).Distinct().Count());
            }
        }
    }

    public sealed class SqliteChainStateTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "gw-chain-" + Guid.NewGuid().ToString("N")[..8]);

        public SqliteChainStateTests() => Directory.CreateDirectory(_dir);

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_dir, true);
        }

        [Fact]
        public void A_restarted_receiver_continues_every_chain_from_the_SQLite_database()
        {
            var path = Path.Combine(_dir, "rx.db");
            ChainStateScenario.Run(() => new SqliteReceiverStore(path));
        }

        [Fact]
        public void Chain_state_is_committed_with_the_readings_it_covers()
        {
            var path = Path.Combine(_dir, "tx.db");
            using var store = new SqliteReceiverStore(path);
            var state = new byte[] { 1, 2, 3 };
            store.StoreReadings(new[] { new ReceivedReading(5, 1, 1, 10, 100, 0) }, new ChainState(5, state));
            Assert.Equal(state, store.LoadChainState(5));
            Assert.Single(store.LoadChainStates());

            // A transaction that fails (a reading the schema refuses) saves neither the readings nor the state.
            Assert.ThrowsAny<Exception>(() => store.StoreReadings(
                new[] { new ReceivedReading(5, 2, 1, 20, 200, 0), new ReceivedReading(5, 3, 1, 30, 300, 0, 0, null!) }, new ChainState(5, new byte[] { 9 })));
            Assert.Equal(state, store.LoadChainState(5));
            Assert.Equal(1, store.CountReadings(5));
        }

        [Fact]
        public void A_state_that_does_not_parse_is_ignored_and_the_chain_starts_afresh()
        {
            var verifier = new BatchVerifier();
            verifier.AddKey(3, 1, new byte[32]);
            Assert.False(verifier.ImportState(3, new byte[] { 2, 0, 0 }));
            Assert.False(verifier.ImportState(3, new byte[20]));
            Assert.False(verifier.ImportState(4, verifier.ExportState(3)!));
            Assert.True(verifier.ImportState(3, verifier.ExportState(3)!));
        }
    }

    [Collection(PostgresCollection.Name)]
    public sealed class PostgresChainStateTests
    {
        private readonly PostgresServer _server;

        public PostgresChainStateTests(PostgresServer server) => _server = server;

        [Fact]
        public void A_restarted_receiver_continues_every_chain_from_the_PostgreSQL_database()
        {
            var connection = _server.CreateDatabase();
            ChainStateScenario.Run(() => ReceiverStoreFactory.Open("postgres:" + connection));
        }
    }
}
