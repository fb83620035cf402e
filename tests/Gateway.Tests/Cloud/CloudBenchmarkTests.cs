using System;
using System.IO;
using Gateway.Cloud.Bench;
using Xunit;

namespace Gateway.Tests.Cloud
{
    public class CloudBenchmarkTests
    {
        [Fact]
        public void The_benchmark_verifies_and_stores_every_reading_it_makes()
        {
            var dir = Path.Combine(Path.GetTempPath(), "gw-bench-" + Guid.NewGuid().ToString("N")[..8]);
            Directory.CreateDirectory(dir);
            try
            {
                var r = CloudBenchmark.Run(devices: 3, batchesPerDevice: 2, dir);
                Assert.Equal(3 * 2 * 240, r.Readings);
                Assert.True(r.VerifiedReadingsPerSecond > 0 && r.StoredReadingsPerSecond > 0 && r.StoredReadingsPerSecondOneBatchPerCommit > 0);
                Assert.StartsWith("durable:", r.Durability, StringComparison.Ordinal);
                Assert.True(r.SampledReadings > 0);
                Assert.InRange(r.BytesPerReading, 0.05, 4.0);

                // The fleet page's reads were timed over everything stored (warm-up, single and grouped runs).
                var fleet = Assert.IsType<FleetReadTimes>(r.Fleet);
                Assert.True(fleet.StoredReadings > r.Readings * 2, $"{fleet.StoredReadings} readings in the database");
                Assert.True(fleet.ViewMs > 0 && fleet.SummaryMs > 0 && fleet.ScanMs > 0);
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(dir, true);
            }
        }
    }
}
