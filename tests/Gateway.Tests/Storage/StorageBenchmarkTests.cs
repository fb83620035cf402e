using Gateway.Cli.Commands;
using Xunit;
using Xunit.Abstractions;
using static Gateway.Tests.Storage.StorageTestKit;

namespace Gateway.Tests.Storage;

/// <summary>The storage benchmark's measurements against the targets the modules are chosen by.</summary>
public class StorageBenchmarkTests
{
    private readonly ITestOutputHelper _output;

    public StorageBenchmarkTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Per_wake_commits_at_1_minute_sampling_meet_the_module_targets_and_beat_per_channel_commits()
    {
        var wake = StorageBenchmark.Wear(1, 2, 4, 1, perWake: true);
        var channel = StorageBenchmark.Wear(1, 2, 4, 1, perWake: false);
        var m4 = FlashModule.Find(4)!;
        var m8 = FlashModule.Find(8)!;
        Report(_output, $"per wake: {wake.FlashBytesPerReading:F2} B/reading, 4 MB {wake.LifetimeYears(m4):F1} y, 8 MB {wake.LifetimeYears(m8):F1} y; per channel: {channel.FlashBytesPerReading:F2} B/reading, 4 MB {channel.LifetimeYears(m4):F1} y");
        Assert.True(wake.FlashBytesPerReading <= 12, $"{wake.FlashBytesPerReading:F2} flash bytes per reading");
        Assert.True(wake.LifetimeYears(m4) >= 5, $"4 MB: {wake.LifetimeYears(m4):F1} years");
        Assert.True(wake.LifetimeYears(m8) >= 20, $"8 MB: {wake.LifetimeYears(m8):F1} years");
        Assert.True(wake.FlashBytesPerReading < channel.FlashBytesPerReading && wake.ErasesPerDay < channel.ErasesPerDay);
        Assert.Equal(60, wake.CommitsPerHour, 3);
    }

    [Fact]
    public void The_modules_partitions_are_nanoFrameworks()
    {
        Assert.Equal(new[] { 64, 512, 768 }, System.Array.ConvertAll(FlashModule.All, m => m.PartitionBlocks));
        Assert.Null(FlashModule.Find(2));
    }

    [Fact]
    public void A_cut_at_any_write_loses_at_most_the_wake_being_written_and_nothing_committed()
    {
        var risk = StorageBenchmark.AtRisk(3, 4, 25);
        Report(_output, $"{risk.Cuts} cuts: at most {risk.MaxInstantsLost} instant(s), {risk.MaxValuesLost} value(s) lost; committed lost {risk.CommittedValuesLost}; altered {risk.CorruptValues}");
        Assert.True(risk.Cuts >= 100);
        Assert.Equal(1, risk.MaxInstantsLost);
        Assert.Equal(4, risk.MaxValuesLost);
        Assert.Equal(0, risk.CommittedValuesLost);
        Assert.Equal(0, risk.CorruptValues);
    }
}
