using System;
using System.Collections.Generic;
using Gateway.Core.Sensing;
using Gateway.Core.Storage;
using Gateway.Virtual.Flash;
using Xunit.Abstractions;

namespace Gateway.Tests.Storage;

/// <summary>Settings, readings and printing shared by the storage tests.</summary>
internal static class StorageTestKit
{
    public const long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    public static RecordLogSettings Small(int atRisk = 1) => new()
    {
        SegmentBytes = 1024,
        MaxFrameBytes = 256,
        JournalSealBytes = 256,
        BudgetBytes = 8 * 1024,
        MaxReadingsAtRisk = atRisk,
        ReserveBlock = 16,
        MaxSegments = 16,
        MaxAckRanges = 8,
        EpochSeed = 7,
    };

    public static RecordLog OpenLog(IFlashStore flash, RecordLogSettings settings)
    {
        var log = new RecordLog(flash, settings);
        log.Open();
        return log;
    }

    public static Reading Sample(int channel, long time, int value, ReadingStatus status = ReadingStatus.Ok) =>
        new((ChannelId)channel, time, value, status);

    public static List<LogRecord> ReadAll(RecordLog log)
    {
        var list = new List<LogRecord>();
        uint from = 0;
        while (log.TryReadNext(from, out var r))
        {
            list.Add(r);
            from = r.Sequence + 1;
        }

        return list;
    }

    public static void Report(ITestOutputHelper output, string line)
    {
        output.WriteLine(line);
        Console.WriteLine(line);
    }
}
