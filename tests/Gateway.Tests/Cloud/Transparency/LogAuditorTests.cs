using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Gateway.Cloud.Receiver;
using Gateway.Cloud.Storage;
using Gateway.Cloud.Transparency;
using Gateway.Core.Codec;
using Gateway.Core.Sensing;
using Gateway.Virtual.Security;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Gateway.Tests.Cloud.Transparency
{
    /// <summary>
    /// A receiver over a real SQLite store logs every accepted batch; a signed checkpoint covers them; then the
    /// database is tampered with directly (a value changed, a row deleted, a row inserted) and the audit names the
    /// reading each time. Proofs read from the database verify against the checkpoint.
    /// </summary>
    public sealed class LogAuditorTests : IDisposable
    {
        private static readonly byte[] Key = Enumerable.Range(40, 32).Select(i => (byte)i).ToArray();
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "gw-audit-" + Guid.NewGuid().ToString("N")[..8]);

        public LogAuditorTests() => Directory.CreateDirectory(_dir);

        public void Dispose()
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(_dir, true);
        }

        private (string Db, NoteSigner Signer) Received()
        {
            var db = Path.Combine(_dir, "rx.db");
            var encoder = new BatchEncoder(new HostHmacSha256(1, Key), 77, 1, 1024);
            using var store = new SqliteReceiverStore(db);
            var rx = new CloudReceiver(store, new KeyRing().Add(77, 1, Key));
            var buf = new byte[1024];
            for (var b = 0; b < 6; b++)
            {
                var first = 1 + ((uint)b * 8);
                var readings = Enumerable.Range(0, 8).Select(i => new Reading(ChannelId.WaterLevelMillimeters, 1_790_000_000_000L + (first + i) * 600_000L, 900 + i + b, ReadingStatus.Ok)).ToArray();
                var seqs = Enumerable.Range(0, 8).Select(i => first + (uint)i).ToArray();
                var len = encoder.Encode(readings, seqs, 0, 8, 1024, 16, buf, 0);
                encoder.Commit();
                var batch = buf.AsSpan(0, len).ToArray();
                Assert.True(rx.Ingest("cellular", batch, 1_790_000_000_000L + b).Accepted);
                if (b == 2)
                {
                    Assert.Equal(Gateway.Cloud.Decoding.BatchVerdict.Replayed, rx.Ingest("cellular", batch, 1_790_000_000_100L).Verdict); // a resend: logged, stores nothing
                }
            }

            Assert.False(rx.Ingest("cellular", new byte[] { 1, 2, 3 }, 5).Accepted); // junk: counted, not logged
            var signer = NoteSigner.Generate("town.example/test-log", NoteSigner.Ed25519);
            using var checkpointer = new LogCheckpointer(store, signer, Path.Combine(_dir, "published"));
            var cp = checkpointer.Sign(force: true)!;
            Assert.Equal(7, cp.Checkpoint.Size);
            Assert.True(File.Exists(Path.Combine(_dir, "published", "checkpoint")));

            // Every leaf's proof from the database verifies against the signed checkpoint.
            for (long i = 0; i < 7; i++)
            {
                Assert.True(Merkle.VerifyInclusion(i, 7, store.ReadLogNode(0, i), Merkle.InclusionProof(i, 7, store.ReadLogNode), cp.Checkpoint.Root));
            }

            Assert.Equal(1, store.ReadLogHead().Rejected);
            return (db, signer);
        }

        private static AuditReport Audit(string db, NoteSigner signer)
        {
            using var store = new SqliteReceiverStore(db);
            var checkpoints = store.ReadCheckpoints().Select(n => SignedCheckpoint.ParseVerified(n, signer.Verifier)).ToList();
            return LogAuditor.Audit(store, checkpoints);
        }

        private static void Tamper(string db, string sql)
        {
            using var c = new SqliteConnection("Data Source=" + db + ";Pooling=false");
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            Assert.Equal(1, cmd.ExecuteNonQuery());
        }

        [Fact]
        public void An_untouched_database_matches_the_signed_checkpoint()
        {
            var (db, signer) = Received();
            var report = Audit(db, signer);
            Assert.True(report.Ok, string.Join("\n", report.Findings.Select(f => f.Detail)));
            Assert.Equal(7, report.Leaves);
            Assert.Equal(48, report.Readings);
            Assert.Equal(1, report.CheckedCheckpoints);
        }

        [Fact]
        public void A_changed_value_is_named()
        {
            var (db, signer) = Received();
            Tamper(db, "UPDATE readings SET value = value + 1 WHERE device_id = 77 AND seq = 19");
            var f = Assert.Single(Audit(db, signer).Findings);
            Assert.Equal(("edited", 77u, (uint?)19u), (f.Kind, f.DeviceId, f.Sequence));
        }

        [Fact]
        public void A_deleted_row_is_named()
        {
            var (db, signer) = Received();
            Tamper(db, "DELETE FROM readings WHERE device_id = 77 AND seq = 33");
            var f = Assert.Single(Audit(db, signer).Findings);
            Assert.Equal(("deleted", 77u, (uint?)33u), (f.Kind, f.DeviceId, f.Sequence));
        }

        [Fact]
        public void An_inserted_row_is_named()
        {
            var (db, signer) = Received();
            Tamper(db, "INSERT INTO readings (device_id, seq, channel, time_ms, value, status, received_at_ms, transport) VALUES (77, 49, 1, 1790000029400000, 5000, 0, 1790000000005, 'cellular')");
            var f = Assert.Single(Audit(db, signer).Findings);
            Assert.Equal(("inserted", 77u, (uint?)49u), (f.Kind, f.DeviceId, f.Sequence));
        }

        [Fact]
        public void A_rewritten_leaf_or_a_truncated_log_breaks_the_signed_root()
        {
            var (db, signer) = Received();
            Tamper(db, "UPDATE log_leaves SET received_at_ms = received_at_ms + 1, leaf_hash = X'00' WHERE idx = 4");
            var kinds = Audit(db, signer).Findings.Select(f => f.Kind).ToList();
            Assert.Contains("leaf_edited", kinds);
            Assert.Contains("root_mismatch", kinds);

            Tamper(db, "DELETE FROM log_leaves WHERE idx = 6");
            Assert.Contains("log_truncated", Audit(db, signer).Findings.Select(f => f.Kind));
        }
    }
}
