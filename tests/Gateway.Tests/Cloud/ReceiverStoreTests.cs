using System;
using System.IO;
using System.Linq;
using Gateway.Cloud.Storage;
using Gateway.Tests.Support;
using Xunit;

namespace Gateway.Tests.Cloud
{
    /// <summary>The receiver store's contract, run against each engine the receiver supports.</summary>
    public abstract class ReceiverStoreContract
    {
        /// <summary>Opens a fresh, empty store.</summary>
        protected abstract IReceiverStore OpenFresh();

        /// <summary>Opens the store last created by <see cref="OpenFresh"/> again (a receiver restart).</summary>
        protected abstract IReceiverStore Reopen();

        private static ReceivedReading R(uint device, uint seq, long t = 1_700_000_000_000, int v = 1234) =>
            new(device, seq, 2, t + seq * 60_000L, v, 0);

        [Fact]
        public void A_reading_is_stored_once_even_when_it_arrives_twice()
        {
            using var store = OpenFresh();
            var first = store.StoreReadings(new[] { R(7, 1), R(7, 2), R(7, 3) });
            var again = store.StoreReadings(new[] { R(7, 2), R(7, 3), R(7, 4) });
            Assert.Equal(new StoreResult(3, 0), first);
            Assert.Equal(new StoreResult(1, 2), again);
            Assert.Equal(4, store.CountReadings(7));
        }

        [Fact]
        public void The_same_sequence_from_two_devices_is_two_readings()
        {
            using var store = OpenFresh();
            store.StoreReadings(new[] { R(1, 10), R(2, 10) });
            Assert.Equal(2, store.CountReadings());
            Assert.Equal(1, store.CountReadings(1));
        }

        [Fact]
        public void Deduplication_survives_a_receiver_restart()
        {
            using (var store = OpenFresh())
            {
                store.StoreReadings(new[] { R(5, 100), R(5, 101) });
                store.SaveChainState(5, new byte[] { 1, 2, 3 });
            }

            using var reopened = Reopen();
            Assert.Equal(new StoreResult(1, 1), reopened.StoreReadings(new[] { R(5, 101), R(5, 102) }));
            Assert.Equal(new byte[] { 1, 2, 3 }, reopened.LoadChainState(5));
            Assert.Null(reopened.LoadChainState(6));
        }

        [Fact]
        public void Query_by_time_range_returns_readings_in_sequence_order_with_values_intact()
        {
            using var store = OpenFresh();
            store.StoreReadings(new[] { R(3, 5, v: -42), R(3, 1, v: int.MaxValue), R(3, 3, v: int.MinValue), R(3, 9) });
            var t0 = 1_700_000_000_000L;
            var got = store.QueryReadings(3, t0 + 60_000, t0 + 6 * 60_000);
            Assert.Equal(new uint[] { 1, 3, 5 }, got.Select(r => r.Sequence).ToArray());
            Assert.Equal(new[] { int.MaxValue, int.MinValue, -42 }, got.Select(r => r.Value).ToArray());
        }

        [Fact]
        public void Gaps_and_chain_events_are_kept_for_the_audit_trail()
        {
            using var store = OpenFresh();
            store.StoreGaps(new[] { new GapRecord(4, 10, 19, "thinned"), new GapRecord(4, 10, 19, "thinned") });
            store.StoreChainEvent(new ChainEvent(4, 1, "lora", "forged", 10, 5, "tag mismatch"));
            Assert.Single(store.QueryGaps(4));
            var e = Assert.Single(store.QueryChainEvents(4));
            Assert.Equal("forged", e.Kind);
            Assert.Empty(store.QueryChainEvents(5));
        }

        [Fact]
        public void Sequences_above_two_to_the_31_keep_their_value()
        {
            using var store = OpenFresh();
            store.StoreReadings(new[] { R(uint.MaxValue, uint.MaxValue - 1) });
            var all = store.AllReadings().ToList();
            Assert.Equal(uint.MaxValue - 1, Assert.Single(all).Sequence);
            Assert.Equal(uint.MaxValue, all[0].DeviceId);
        }

        [Fact]
        public void Fleet_queries_give_each_device_its_activity_the_newest_reading_of_a_channel_one_channel_in_time_order_and_audit_counts()
        {
            using var store = OpenFresh();
            store.StoreReadings(new ReceivedReading[]
            {
                new(7, 1, 8, 1_000, 3700, 0, 5_000, "lora"), // battery
                new(7, 2, 2, 1_000, 1200, 0, 5_000, "lora"),
                new(7, 3, 8, 61_000, 3650, 0, 65_000, "lora"),
                new(7, 4, 30, 61_000, 0x01010078, 0, 65_000, "lora"), // an alarm event
                new(9, 10, 8, 30_000, 3900, 0, 90_000, "cellular"),
                new(9, 11, 30, 20_000, 0x03000258, 0, 90_000, "cellular"), // a cadence event, measured before the battery reading
            });
            store.StoreChainEvent(new ChainEvent(7, 70_000, "lora", "forged_or_altered", 5, 1, "tag", 3, "gw/7/up"));
            store.StoreChainEvent(new ChainEvent(7, 80_000, "lora", "forged_or_altered", 6, 1, "tag", 2, "gw/7/up"));
            store.StoreChainEvent(new ChainEvent(9, 95_000, "cellular", "accepted", 10, 2, "ok"));

            Assert.Equal(new[] { new DeviceActivity(7, 4, 1_000, 61_000, 65_000, 4), new DeviceActivity(9, 2, 20_000, 30_000, 90_000, 11) }, store.QueryDevices());
            Assert.Equal(new[] { (7u, 3650), (9u, 3900) }, store.QueryLatest(8).Select(r => (r.DeviceId, r.Value)));
            Assert.Equal(new[] { 4u, 11u }, store.QueryChannel(30).Select(r => r.Sequence));
            Assert.Equal(new[] { 11u }, store.QueryChannel(30, 9).Select(r => r.Sequence));
            Assert.Empty(store.QueryChannel(31));
            Assert.Equal(new[] { new ChainEventCount(7, "forged_or_altered", 5, 80_000), new ChainEventCount(9, "accepted", 1, 95_000) }, store.CountChainEvents());
        }
    }

    public sealed class SqliteReceiverStoreTests : ReceiverStoreContract, IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "gw-sqlite-" + Guid.NewGuid().ToString("N")[..8]);
        private string _path = string.Empty;

        public SqliteReceiverStoreTests() => Directory.CreateDirectory(_dir);

        protected override IReceiverStore OpenFresh()
        {
            _path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".db");
            return ReceiverStoreFactory.Open("sqlite:" + _path);
        }

        protected override IReceiverStore Reopen() => ReceiverStoreFactory.Open(_path);

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Collection(PostgresCollection.Name)]
    public sealed class PostgresReceiverStoreTests : ReceiverStoreContract
    {
        private readonly PostgresServer _server;
        private string _connection = string.Empty;

        public PostgresReceiverStoreTests(PostgresServer server) => _server = server;

        protected override IReceiverStore OpenFresh()
        {
            _connection = _server.CreateDatabase();
            return ReceiverStoreFactory.Open("postgres:" + _connection);
        }

        protected override IReceiverStore Reopen() => ReceiverStoreFactory.Open("postgres:" + _connection);
    }
}
