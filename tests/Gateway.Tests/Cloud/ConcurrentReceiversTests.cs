using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
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
    /// Several receivers (each its own store connection and its own in-memory verifier, as separate processes have)
    /// writing one database at once: every batch of every device goes to several of them in the same instant
    /// (MQTT redelivery after a receiver was killed, a gateway resending), the previous round's batches come again,
    /// groups are committed whole (group commit) or one batch at a time, one group holds the same batch twice.
    /// </summary>
    public static class ConcurrentReceiversScenario
    {
        /// <summary>Runs the scenario on stores that <paramref name="open"/> opens over one database.</summary>
        public static void Run(Func<IReceiverStore> open, int writers = 4, int devices = 6, int rounds = 8, int perBatch = 12)
        {
            var ring = new KeyRing();
            var batches = new byte[devices][][];
            var identity = new Dictionary<byte[], (uint Device, int Round)>(ReferenceEqualityComparer.Instance);
            for (var d = 0; d < devices; d++)
            {
                var device = 500u + (uint)d;
                var key = Enumerable.Range(d, 32).Select(i => (byte)(i * 7)).ToArray();
                ring.Add(device, 1, key);
                var encoder = new BatchEncoder(new HostHmacSha256(1, key), device, 1, 1024);
                batches[d] = new byte[rounds][];
                for (var r = 0; r < rounds; r++)
                {
                    var first = 1 + ((uint)r * (uint)perBatch);
                    var readings = Enumerable.Range(0, perBatch).Select(i => new Reading(ChannelId.WaterLevelMillimeters, 1_790_000_000_000L + (first + i) * 120_000L, 900 + (d * 10) + i, ReadingStatus.Ok)).ToArray();
                    var seqs = Enumerable.Range(0, perBatch).Select(i => first + (uint)i).ToArray();
                    var buf = new byte[1024];
                    var len = encoder.Encode(readings, seqs, 0, perBatch, 1024, 16, buf, 0);
                    Assert.Equal(perBatch, encoder.Taken);
                    encoder.Commit();
                    batches[d][r] = buf.AsSpan(0, len).ToArray();
                    identity[batches[d][r]] = (device, r);
                }
            }

            var stores = Enumerable.Range(0, writers).Select(_ => open()).ToList();
            try
            {
                var receivers = stores.Select(s => new CloudReceiver(s, ring)).ToList();
                var outcomes = new ConcurrentBag<(uint Device, int Round, int Writer, IngestOutcome Outcome)>();
                for (var round = 0; round < rounds; round++)
                {
                    var r = round;
                    using var start = new Barrier(writers);
                    var failures = new ConcurrentQueue<Exception>();
                    var threads = Enumerable.Range(0, writers).Select(w => new Thread(() =>
                    {
                        try
                        {
                            var messages = new List<byte[]>();
                            for (var d = 0; d < devices; d++)
                            {
                                messages.Add(batches[d][r]);
                                if (r > 0 && (w + d) % 3 == 0)
                                {
                                    messages.Add(batches[d][r - 1]);
                                }
                            }

                            var rng = new Random((r * 31) + w);
                            messages = messages.OrderBy(_ => rng.Next()).ToList();
                            if (w == 1 && r % 2 == 1)
                            {
                                messages.Add(messages[0]);
                            }

                            start.SignalAndWait();
                            IReadOnlyList<IngestOutcome> got = (r + w) % 2 == 0
                                ? receivers[w].IngestMany(messages.Select(m => new IncomingBatch("cellular", m, 1_000 + r, "gw/x/up")).ToList())
                                : messages.Select(m => receivers[w].Ingest("lora", m, 1_000 + r)).ToList();
                            for (var i = 0; i < messages.Count; i++)
                            {
                                var (device, batchRound) = identity[messages[i]];
                                outcomes.Add((device, batchRound, w, got[i]));
                            }
                        }
                        catch (Exception ex)
                        {
                            failures.Enqueue(ex);
                        }
                    })).ToList();
                    threads.ForEach(t => t.Start());
                    threads.ForEach(t => t.Join());
                    Assert.Empty(failures);
                }

                // Every batch was accepted exactly once — as the next link of its chain — and was a replay everywhere else.
                foreach (var g in outcomes.GroupBy(o => (o.Device, o.Round)))
                {
                    var ok = Assert.Single(g, o => o.Outcome.Verdict == BatchVerdict.Ok);
                    Assert.Equal(g.Key.Round == 0 ? "first batch of the chain" : "continues the chain", ok.Outcome.Message);
                    Assert.All(g.Where(o => o.Outcome.Verdict != BatchVerdict.Ok), o => Assert.Equal(BatchVerdict.Replayed, o.Outcome.Verdict));
                    Assert.Equal(perBatch, g.Sum(o => o.Outcome.Stored));
                    Assert.All(g, o => Assert.NotEmpty(o.Outcome.AckDownlinks));
                }

                var store = stores[0];
                Assert.Equal(devices * rounds * perBatch, store.CountReadings());
                var rows = store.AllReadings().ToList();
                Assert.Equal(rows.Count, rows.Select(x => (x.DeviceId, x.Sequence)).Distinct().Count());
                var kinds = store.QueryChainEvents().Select(e => e.Kind).ToList();
                Assert.DoesNotContain("dropped", kinds);
                Assert.DoesNotContain("reordered", kinds);
                Assert.DoesNotContain("conflict", kinds);
                Assert.Equal(devices * rounds, kinds.Count(k => k == "accepted"));
                Assert.Empty(store.QueryConflicts());

                // One sequence of leaves: every accepted batch (replays too) once, the tree matching the head row and the readings.
                var audit = Gateway.Cloud.Transparency.LogAuditor.Audit((SqlReceiverStore)store, Array.Empty<Gateway.Cloud.Transparency.SignedCheckpoint>());
                Assert.True(audit.Ok, string.Join("\n", audit.Findings.Select(f => f.Detail)));
                Assert.Equal(outcomes.Count(o => o.Outcome.Accepted), audit.Leaves);
                Assert.Equal(devices * rounds * perBatch, audit.Readings);

                // A fresh receiver continues every chain where the concurrent ones left it.
                var fresh = new CloudReceiver(store, ring);
                Assert.Equal(devices, fresh.ChainStatesLoaded);
                Assert.All(Enumerable.Range(0, devices), d => Assert.Equal(BatchVerdict.Replayed, fresh.Ingest("cellular", batches[d][rounds - 1], 9_999).Verdict));
            }
            finally
            {
                stores.ForEach(s => s.Dispose());
            }
        }
    }

    public sealed class SqliteConcurrentReceiversTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "gw-conc-" + Guid.NewGuid().ToString("N")[..8]);

        public SqliteConcurrentReceiversTests() => Directory.CreateDirectory(_dir);

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_dir, true);
        }

        [Fact]
        public void Receivers_on_one_SQLite_file_store_every_reading_once_and_keep_every_chain()
        {
            var path = Path.Combine(_dir, "rx.db");
            ConcurrentReceiversScenario.Run(() => new SqliteReceiverStore(path));
        }
    }

    [Collection(PostgresCollection.Name)]
    public sealed class PostgresConcurrentReceiversTests
    {
        private readonly PostgresServer _server;

        public PostgresConcurrentReceiversTests(PostgresServer server) => _server = server;

        [Fact]
        public void Receivers_on_one_PostgreSQL_database_store_every_reading_once_and_keep_every_chain()
        {
            var connection = _server.CreateDatabase();
            ConcurrentReceiversScenario.Run(() => ReceiverStoreFactory.Open("postgres:" + connection), writers: 5, rounds: 10);
        }
    }
}
