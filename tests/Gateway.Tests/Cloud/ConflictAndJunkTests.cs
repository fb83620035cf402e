using System;
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
    /// <summary>The conflict verdict and junk counting, on each engine.</summary>
    public abstract class ConflictAndJunkContract
    {
        private static readonly byte[] Key = Enumerable.Range(90, 32).Select(i => (byte)i).ToArray();

        /// <summary>Opens a fresh, empty store.</summary>
        protected abstract IReceiverStore OpenFresh();

        private static byte[] Batch(BatchEncoder e, uint first, int n, int valueBase)
        {
            var readings = Enumerable.Range(0, n).Select(i => new Reading(ChannelId.PressurePascals, 1_790_000_000_000L + (first + i) * 120_000L, valueBase + i, ReadingStatus.Ok)).ToArray();
            var seqs = Enumerable.Range(0, n).Select(i => first + (uint)i).ToArray();
            var buf = new byte[1024];
            var len = e.Encode(readings, seqs, 0, n, 1024, 16, buf, 0);
            e.Commit();
            return buf.AsSpan(0, len).ToArray();
        }

        [Fact]
        public void An_authentic_batch_with_other_values_for_stored_sequences_is_a_conflict_that_keeps_the_first_values()
        {
            using var store = OpenFresh();
            var rx = new CloudReceiver(store, new KeyRing().Add(12, 1, Key));
            var first = Batch(new BatchEncoder(new HostHmacSha256(1, Key), 12, 1, 1024), 1, 10, 1000);

            // The same sequences signed by the same key with other values (a gateway that lost its sequence counter).
            var other = new BatchEncoder(new HostHmacSha256(1, Key), 12, 1, 1024);
            var same = Batch(other, 1, 10, 5000);
            var overlapping = Batch(other, 6, 10, 7000);
            Assert.Equal(BatchVerdict.Ok, rx.Ingest("cellular", first, 1).Verdict);

            var conflict = rx.Ingest("cellular", same, 2);
            Assert.Equal(BatchVerdict.Conflict, conflict.Verdict);
            Assert.True(conflict.Accepted);
            Assert.Equal((0, 10), (conflict.Stored, conflict.Duplicates));
            Assert.NotEmpty(conflict.AckDownlinks);
            Assert.Contains("10 of sequences 1..10", conflict.Message, StringComparison.Ordinal);

            // Partly new: the new sequences are stored, the overlapping ones keep their first values.
            var partly = rx.Ingest("lora", overlapping, 3);
            Assert.Equal(BatchVerdict.Conflict, partly.Verdict);
            Assert.Equal((5, 5), (partly.Stored, partly.Duplicates));

            // The first values stay; the others are kept aside; each conflict is in the audit and counted.
            var stored = store.QueryReadings(12, long.MinValue, long.MaxValue);
            Assert.Equal(15, stored.Count);
            Assert.Equal(Enumerable.Range(1000, 10).Concat(Enumerable.Range(7005, 5)), stored.Select(r => r.Value));
            var kept = store.QueryConflicts(12);
            Assert.Equal(15, kept.Count);
            Assert.Equal(10, kept.Count(r => r.Value >= 5000 && r.Value < 6000));
            Assert.Equal(2, store.QueryChainEvents(12).Count(e => e.Kind == "conflict"));
            Assert.Equal(2, rx.Verdicts[BatchVerdict.Conflict]);

            // An exact resend is still a plain replay, and the same conflict again changes nothing more.
            Assert.Equal(BatchVerdict.Replayed, rx.Ingest("cellular", first, 4).Verdict);
            Assert.Equal(BatchVerdict.Conflict, rx.Ingest("cellular", same, 5).Verdict);
            Assert.Equal(15, store.QueryConflicts(12).Count);
            Assert.Equal(15, store.CountReadings(12));
        }

        [Fact]
        public void Junk_is_counted_per_topic_kind_and_minute_not_stored_row_by_row()
        {
            using var store = OpenFresh();
            var rx = new CloudReceiver(store, new KeyRing().Add(12, 1, Key));
            var forger = new BatchEncoder(new HostHmacSha256(1, new byte[32]), 12, 1, 1024);
            var forged = Batch(forger, 1, 4, 1);
            var unknown = Batch(new BatchEncoder(new HostHmacSha256(1, Key), 99, 1, 1024), 1, 4, 1);
            var garbage = new byte[] { 0xFF, 1, 2, 3 };
            const long t0 = 1_790_000_040_000L; // a minute boundary
            var total = 0;
            for (var minute = 0; minute < 3; minute++)
            {
                for (var group = 0; group < 10; group++)
                {
                    var messages = Enumerable.Range(0, 100).Select(i => new IncomingBatch("cellular", (i % 3) switch { 0 => forged, 1 => unknown, _ => garbage },
                        t0 + (minute * 60_000L) + (group * 1_000) + i, i % 2 == 0 ? "gw/12/up" : "gw/13/up")).ToList();
                    var outcomes = rx.IngestMany(messages);
                    Assert.All(outcomes, o => Assert.False(o.Accepted));
                    total += outcomes.Count;
                }
            }

            Assert.Equal(BatchVerdict.BadTag, rx.Ingest("cellular", forged, t0 + 5, "gw/12/up").Verdict);
            total++;

            var junk = store.QueryChainEvents().Where(e => e.Source is not null).ToList();
            // Minutes x topics x kinds: a version-2 batch does not carry its device id, so on gw/12 (a device with a key)
            // the other device's batch is one its key does not verify, like the forgery (forged, malformed), and on
            // gw/13 (no key here) both are wrong_key (wrong_key, malformed).
            Assert.Equal(3 * 2 * 2, junk.Count);
            Assert.Equal(total, junk.Sum(e => e.Messages));
            Assert.All(junk, e => Assert.Equal(0, e.ReceivedAtMs % 60_000));
            Assert.All(junk, e => Assert.False(string.IsNullOrWhiteSpace(e.Detail)));
            var forgedBucket = junk.Single(e => e.Source == "gw/12/up" && e.Kind == "forged_or_altered" && e.ReceivedAtMs == t0);
            Assert.Equal((12u, 1u, 4), (forgedBucket.DeviceId, forgedBucket.FirstSequence, forgedBucket.Count));
            Assert.Contains(junk, e => e.Kind == "wrong_key" && e.DeviceId == 13);
            Assert.Equal(0, store.CountReadings());

            // Without a source, junk keeps one row per message (callers that do not name the topic).
            rx.Ingest("lora", garbage, t0);
            Assert.Single(store.QueryChainEvents(), e => e.Source is null && e.Kind == "malformed");
        }
    }

    public sealed class SqliteConflictAndJunkTests : ConflictAndJunkContract, IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "gw-junk-" + Guid.NewGuid().ToString("N")[..8]);

        public SqliteConflictAndJunkTests() => Directory.CreateDirectory(_dir);

        protected override IReceiverStore OpenFresh() => new SqliteReceiverStore(Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".db"));

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Collection(PostgresCollection.Name)]
    public sealed class PostgresConflictAndJunkTests : ConflictAndJunkContract
    {
        private readonly PostgresServer _server;

        public PostgresConflictAndJunkTests(PostgresServer server) => _server = server;

        protected override IReceiverStore OpenFresh() => ReceiverStoreFactory.Open("postgres:" + _server.CreateDatabase());
    }
}
