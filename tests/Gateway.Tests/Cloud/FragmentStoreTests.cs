using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Gateway.Cloud.Ingest;
using Gateway.Cloud.Storage;
using Gateway.Core.Codec;
using Gateway.Tests.Codec;
using Gateway.Tests.Support;
using Xunit;

namespace Gateway.Tests.Cloud
{
    /// <summary>
    /// DR2 fragments kept in the receivers' database (SqlReceiverStore.Fragments.cs): a receiver killed between two
    /// fragments loses nothing it acknowledged, and receivers sharing the load complete a batch whose fragments reached
    /// different ones.
    /// </summary>
    public abstract class FragmentStoreScenario
    {
        private const string DevEui = "70B3D57ED00007D0";

        /// <summary>A fresh database of the engine under test (a --db spec).</summary>
        protected abstract string NewDatabase();

        private static NetworkUplink Up(uint fCnt, byte[] payload, string devEui = DevEui) =>
            new(devEui, BatchFragmenter.FragmentPort, fCnt, payload, DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_000L), -110, -5, 10);

        private static (byte[] Batch, List<byte[]> Frames) Fragmented(int at, int fragments) =>
            LoRaBatchAssemblerTests.FragmentedBatch(new BatchEncoder(CodecFixtures.Hmac(), CodecFixtures.DeviceId, 1, 256), at, fragments);

        [Fact]
        public void A_receiver_killed_between_fragments_and_another_receiver_complete_the_batch_from_the_database()
        {
            var db = NewDatabase();
            var (batch, frames) = Fragmented(0, 6);
            Assert.Equal(6, frames.Count);

            // Receiver A takes fragments 0..2 and is killed (its store closed without a word).
            using (var a = ReceiverStoreFactory.Open(db))
            {
                var assembler = new LoRaBatchAssembler((IFragmentStore)a);
                for (var i = 0; i < 3; i++)
                {
                    Assert.True(assembler.Take(Up(200u + (uint)i, frames[i])).Waiting);
                }
            }

            // Receiver B (another process on the same database) takes 4 and 5; A, restarted, takes 3 and completes it.
            using var b = ReceiverStoreFactory.Open(db);
            using var a2 = ReceiverStoreFactory.Open(db);
            var onB = new LoRaBatchAssembler((IFragmentStore)b);
            var onA = new LoRaBatchAssembler((IFragmentStore)a2);
            Assert.True(onB.Take(Up(204, frames[4])).Waiting);
            Assert.True(onB.Take(Up(205, frames[5])).Waiting);
            var whole = onA.Take(Up(203, frames[3]));
            Assert.Equal(batch, whole.Batch);

            // Once stored, the fragments are forgotten: the same last fragment again makes nothing.
            onA.Stored(whole);
            Assert.True(onB.Take(Up(203, frames[3])).Waiting);
        }

        [Fact]
        public async Task Two_receivers_taking_a_batchs_last_two_fragments_at_once_complete_it_exactly_once()
        {
            var db = NewDatabase();
            using var a = ReceiverStoreFactory.Open(db);
            using var b = ReceiverStoreFactory.Open(db);
            var onA = new LoRaBatchAssembler((IFragmentStore)a);
            var onB = new LoRaBatchAssembler((IFragmentStore)b);
            var (batch, frames) = Fragmented(0, 4);
            Assert.Equal(4, frames.Count);
            for (var round = 0; round < 40; round++)
            {
                var fCnt = 1000u + ((uint)round * 10);
                var dev = "70B3D57ED0001" + round.ToString("X3", System.Globalization.CultureInfo.InvariantCulture);
                Assert.True(onA.Take(Up(fCnt, frames[0], dev)).Waiting);
                Assert.True(onA.Take(Up(fCnt + 1, frames[1], dev)).Waiting);
                using var go = new Barrier(2);
                var ta = Task.Run(() => { go.SignalAndWait(); return onA.Take(Up(fCnt + 2, frames[2], dev)); });
                var tb = Task.Run(() => { go.SignalAndWait(); return onB.Take(Up(fCnt + 3, frames[3], dev)); });
                var made = (await Task.WhenAll(ta, tb)).Where(p => p.Batch is not null).ToList();
                Assert.True(made.Count == 1, $"round {round}: the batch was completed {made.Count} times");
                Assert.Equal(batch, made[0].Batch);
            }
        }

        [Fact]
        public void Fragments_older_than_the_keeping_time_are_forgotten()
        {
            using var store = ReceiverStoreFactory.Open(NewDatabase());
            var fragments = (IFragmentStore)store;
            var key = new FragmentKey(DevEui, 7, 2);
            Assert.Null(fragments.AddFragment(key, 0, new byte[] { 1 }, atMs: 1_000, keepMs: 10_000));
            Assert.Null(fragments.AddFragment(new FragmentKey(DevEui, 50, 2), 0, new byte[] { 9 }, atMs: 20_000, keepMs: 10_000));
            Assert.Null(fragments.AddFragment(key, 1, new byte[] { 2 }, atMs: 20_001, keepMs: 10_000));
            var again = fragments.AddFragment(key, 0, new byte[] { 1 }, atMs: 20_002, keepMs: 10_000);
            Assert.NotNull(again);
            Assert.Equal(new byte[] { 1, 2 }, again!.SelectMany(p => p).ToArray());
        }
    }

    /// <summary>The fragments in SQLite, the receiver's default database.</summary>
    public sealed class SqliteFragmentStoreTests : FragmentStoreScenario, IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("gw-frag-").FullName;
        private int _n;

        protected override string NewDatabase() => "sqlite:" + Path.Combine(_dir, $"rx{++_n}.db");

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_dir, true);
        }
    }

    /// <summary>The fragments in PostgreSQL, where several receivers share one database.</summary>
    [Collection(PostgresCollection.Name)]
    public sealed class PostgresFragmentStoreTests : FragmentStoreScenario
    {
        private readonly PostgresServer _server;

        public PostgresFragmentStoreTests(PostgresServer server) => _server = server;

        protected override string NewDatabase() => "postgres:" + _server.CreateDatabase();
    }
}
