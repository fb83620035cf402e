using System;
using System.IO;
using System.Text.Json;
using Gateway.Cloud.Bench;
using Xunit;

namespace Gateway.Tests.Cloud
{
    /// <summary>The log benchmark measures what it claims: every leaf committed, the database audits clean, proofs verify (no timing asserted).</summary>
    public sealed class AuditBenchmarkTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "gw-bench-audit-" + Guid.NewGuid().ToString("N")[..8]);

        public AuditBenchmarkTests() => Directory.CreateDirectory(_dir);

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_dir, true);
        }

        [Fact]
        public void A_small_run_commits_every_leaf_audits_clean_and_writes_verifiable_cases()
        {
            var r = AuditBenchmark.Run(_dir, devices: 3, batchesPerDevice: 8, readingsPerBatch: 4, group: 5);
            Assert.Equal(24, r.Leaves);
            Assert.True(r.AuditOk);
            Assert.Equal(30, r.ProofHashesAtBillion);
            Assert.Equal(100, r.StoredProofsChecked);
            Assert.StartsWith("durable", r.Durability, StringComparison.Ordinal);
            var cases = JsonDocument.Parse(File.ReadAllText(r.CasesFile)).RootElement.GetProperty("cases");
            Assert.Equal(303, cases.GetArrayLength());
        }
    }
}
