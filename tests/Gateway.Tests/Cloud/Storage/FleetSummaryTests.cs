using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Gateway.Cloud.Decoding;
using Gateway.Cloud.Receiver;
using Gateway.Cloud.Storage;
using Gateway.Core.Codec;
using Gateway.Virtual.Security;
using Gateway.Tests.Support;
using Xunit;

namespace Gateway.Tests.Cloud.Storage
{
    /// <summary>
    /// The fleet summary (SqlReceiverStore.Summary.cs) kept in the readings' transaction equals what a scan of the
    /// readings gives, through fresh batches, resends, conflicting duplicates, backlogs arriving late and group commits.
    /// </summary>
    public abstract class FleetSummaryContract
    {
        /// <summary>Opens a fresh, empty store.</summary>
        protected abstract SqlReceiverStore OpenFresh();

        private static ReceivedReading R(uint device, uint seq, byte channel, long t, int v = 100, long at = 0) => new(device, seq, channel, t, v, 0, at, "lora");

        private static void AssertMatchesScan(SqlReceiverStore store)
        {
            Assert.Equal(store.QueryDevicesByScan(), store.QueryDevices());
            foreach (var channel in new byte[] { 2, 4, 8, 30 })
            {
                Assert.Equal(store.QueryLatestByScan(channel), store.QueryLatest(channel));
            }

            var (events, leaves) = store.CountAuditByScan();
            Assert.Equal(events, store.CountChainEvents());
            Assert.Equal(leaves.OrderBy(kv => kv.Key), store.CountLogLeaves().OrderBy(kv => kv.Key));
        }

        [Fact]
        public void The_audit_counts_and_log_leaves_the_page_shows_equal_the_rows_they_count()
        {
            using var store = OpenFresh();
            var key = Enumerable.Range(50, 32).Select(i => (byte)i).ToArray();
            var rx = new CloudReceiver(store, new KeyRing().Add(9, 1, key).Add(11, 1, key));
            var nine = new BatchEncoder(new HostHmacSha256(1, key), 9, 1, 1024);
            var a = PostgresReceiverTests.Batch(nine, 1, 30);
            Assert.Equal(BatchVerdict.Ok, rx.Ingest("cellular", a, 1_000).Verdict);
            Assert.Equal(BatchVerdict.Ok, rx.Ingest("cellular", PostgresReceiverTests.Batch(nine, 31, 20), 2_000).Verdict);
            rx.Ingest("cellular", a, 3_000); // a resend: audited, stored once
            rx.Ingest("cellular", PostgresReceiverTests.Batch(new BatchEncoder(new HostHmacSha256(1, new byte[32]), 9, 1, 1024), 61, 5), 4_000, "gw/9/up");
            Assert.Equal(BatchVerdict.Ok, rx.Ingest("lora", PostgresReceiverTests.Batch(new BatchEncoder(new HostHmacSha256(1, key), 11, 1, 1024), 1, 10), 5_000).Verdict);

            // Junk in one topic's minute bucket, claiming two devices: the bucket's row and its count stay the first's.
            store.CountJunk(new[] { new JunkCount("gw/9/up", "cellular", "malformed", 61_000, 3, 9, 0, 0, "not a batch") });
            store.CountJunk(new[] { new JunkCount("gw/9/up", "cellular", "malformed", 62_000, 2, 11, 0, 0, "not a batch") });
            AssertMatchesScan(store);
            Assert.Equal(5, store.CountChainEvents().Single(c => c.DeviceId == 9 && c.Kind == "malformed").Messages);
            Assert.Equal(3, store.CountLogLeaves()[9]); // the two batches and the resend (logged with its verdict); not the forgery
            Assert.Equal(1, store.CountLogLeaves()[11]);

            // Counted again from the rows, the same.
            store.RecountSummary();
            AssertMatchesScan(store);
            Assert.Equal(5, store.CountChainEvents().Single(c => c.DeviceId == 9 && c.Kind == "malformed").Messages);
        }

        [Fact]
        public void Fresh_batches_resends_and_a_late_backlog_leave_the_summary_equal_to_a_scan()
        {
            using var store = OpenFresh();
            Assert.Empty(store.QueryDevices());

            // Two devices, two channels each, stored one batch per commit.
            store.StoreReadings(new[] { R(7, 1, 2, 10_000, 500, 20_000), R(7, 2, 8, 10_000, 3700, 20_000), R(7, 3, 2, 70_000, 510, 80_000) });
            store.StoreReadings(new[] { R(9, 1, 2, 5_000, 900, 6_000), R(9, 2, 30, 5_000, 0x0101, 6_000) });
            AssertMatchesScan(store);
            var seven = store.QueryDevices().Single(d => d.DeviceId == 7);
            Assert.Equal(new DeviceActivity(7, 3, 10_000, 70_000, 80_000, 3), seven);
            Assert.Equal(510, store.QueryLatest(2).Single(r => r.DeviceId == 7).Value);

            // A resend, partly new: counted once (the device counted again from its readings).
            Assert.Equal(new StoreResult(1, 2), store.StoreReadings(new[] { R(7, 2, 8, 10_000, 3700, 90_000), R(7, 3, 2, 70_000, 510, 90_000), R(7, 4, 8, 130_000, 3690, 140_000) }));
            AssertMatchesScan(store);
            Assert.Equal(4, store.QueryDevices().Single(d => d.DeviceId == 7).Readings);
            Assert.Equal(3690, store.QueryLatest(8).Single(r => r.DeviceId == 7).Value);

            // A duplicate whose values differ is kept aside and changes nothing here, not even the newest time.
            Assert.Equal(1, store.StoreReadings(new[] { R(7, 4, 8, 999_000, 1, 150_000) }).Conflicts);
            AssertMatchesScan(store);
            Assert.Equal(130_000, store.QueryDevices().Single(d => d.DeviceId == 7).LastTimeMs);

            // A backlog measured earlier arrives after newer readings: counted, and the newest stays the newest.
            store.StoreReadings(new[] { R(7, 10, 2, 300_000, 600, 310_000) });
            store.StoreReadings(new[] { R(7, 5, 2, 200_000, 520, 400_000), R(7, 6, 8, 1_000, 3800, 400_000) });
            AssertMatchesScan(store);
            var after = store.QueryDevices().Single(d => d.DeviceId == 7);
            Assert.Equal(new DeviceActivity(7, 7, 1_000, 300_000, 400_000, 10), after);
            Assert.Equal(600, store.QueryLatest(2).Single(r => r.DeviceId == 7).Value);

            // Two readings at one instant: the later sequence is the newest.
            store.StoreReadings(new[] { R(9, 3, 2, 50_000, 901, 60_000), R(9, 4, 2, 50_000, 902, 60_000) });
            AssertMatchesScan(store);
            Assert.Equal(902, store.QueryLatest(2).Single(r => r.DeviceId == 9).Value);
        }

        [Fact]
        public void A_group_commit_of_many_batches_with_a_repeat_among_them_is_summed_once()
        {
            using var store = OpenFresh();
            var batches = new List<IReadOnlyList<ReceivedReading>>();
            for (uint d = 1; d <= 6; d++)
            {
                for (uint b = 0; b < 4; b++)
                {
                    batches.Add(Enumerable.Range(0, 10).Select(i => R(d, b * 10 + (uint)i + 1, (byte)(i % 2 == 0 ? 2 : 8), 1_000_000 + (b * 10 + i) * 60_000L, (int)(d * 1000 + b * 10 + i), 5_000_000)).ToList());
                }
            }

            store.Commit(tx => tx.InsertBatches(batches));
            AssertMatchesScan(store);
            Assert.All(store.QueryDevices(), d => Assert.Equal(40, d.Readings));

            // The same group again with one new batch: only the new one counts.
            batches.Add(new[] { R(3, 41, 2, 9_000_000, 77, 9_500_000) });
            var results = store.Commit(tx => tx.InsertBatches(batches));
            Assert.Equal(1, results.Sum(r => r.Stored));
            AssertMatchesScan(store);
            Assert.Equal(41, store.QueryDevices().Single(d => d.DeviceId == 3).Readings);
            Assert.Equal(77, store.QueryLatest(2).Single(r => r.DeviceId == 3).Value);
        }

        [Fact]
        public void The_event_rows_the_alarm_list_reads_come_back_in_device_and_time_order()
        {
            using var store = OpenFresh();
            store.StoreReadings(new[] { R(9, 2, 30, 9_000, 3), R(9, 1, 30, 8_000, 2), R(9, 3, 2, 1_000) });
            store.StoreReadings(new[] { R(4, 1, 30, 20_000, 1) });
            Assert.Equal(new[] { (4u, 1u), (9u, 1u), (9u, 2u) }, store.QueryChannel(30).Select(r => (r.DeviceId, r.Sequence)));
        }
    }

    public sealed class SqliteFleetSummaryTests : FleetSummaryContract, IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "gw-summary-" + Guid.NewGuid().ToString("N")[..8]);

        public SqliteFleetSummaryTests() => Directory.CreateDirectory(_dir);

        protected override SqlReceiverStore OpenFresh() => (SqlReceiverStore)ReceiverStoreFactory.Open("sqlite:" + Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".db"));

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Collection(PostgresCollection.Name)]
    public sealed class PostgresFleetSummaryTests : FleetSummaryContract
    {
        private readonly PostgresServer _server;

        public PostgresFleetSummaryTests(PostgresServer server) => _server = server;

        protected override SqlReceiverStore OpenFresh() => (SqlReceiverStore)ReceiverStoreFactory.Open("postgres:" + _server.CreateDatabase());
    }
}
