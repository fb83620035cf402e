using System;
using Gateway.Core.Sensing;
using Gateway.Core.Storage;
using Gateway.Virtual.Flash;
using Xunit;
using Xunit.Abstractions;
using static Gateway.Tests.Storage.StorageTestKit;

namespace Gateway.Tests.Storage;

public class AllocationTests
{
    private readonly ITestOutputHelper _output;

    public AllocationTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Steady_state_append_and_commit_allocate_nothing_per_reading(int atRisk)
    {
        var flash = new VirtualFlash(9, 4096);
        var settings = new RecordLogSettings { MaxReadingsAtRisk = atRisk, BudgetBytes = 64 * 1024, EpochSeed = 1 };
        var log = OpenLog(flash, settings);
        long t = T0;
        int v = 0;

        void Run(int n)
        {
            for (int i = 0; i < n; i++)
            {
                if ((i & 3) == 0)
                {
                    t += 60_000;
                }

                v += (i * 7919 % 13) - 6;
                var r = new Reading((ChannelId)(1 + (i & 3)), t, v, ReadingStatus.Ok);
                log.Append(ref r);
                if (i % 1000 == 999)
                {
                    log.Acknowledge(0, log.NextSequence - 3000);
                }
            }
        }

        // Warm-up: fill the budget so sealing, reclaiming and thinning are all in their steady state.
        Run(40_000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(10_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Report(_output, $"storage allocation: at_risk={atRisk} appends=10000 bytes_allocated={allocated} per_reading={allocated / 10000.0:F3} log_ram_bytes={log.RamBytes}");
        Assert.Equal(0, allocated);
        Assert.True(log.RamBytes <= 4096, $"log RAM {log.RamBytes} bytes");
    }
}
