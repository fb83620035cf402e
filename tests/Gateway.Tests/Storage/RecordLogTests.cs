using System.Linq;
using Gateway.Core.Sensing;
using Gateway.Core.Storage;
using Gateway.Virtual.Flash;
using Xunit;
using static Gateway.Tests.Storage.StorageTestKit;

namespace Gateway.Tests.Storage;

public class RecordLogTests
{
    [Fact]
    public void Frame_bytes_match_the_worked_example_in_the_format_readme()
    {
        var w = new FrameWriter(256);
        w.Begin(0);
        var a = new LogRecord { Sequence = 1000, Kind = RecordKind.Reading, Channel = ChannelId.WaterLevelMillimeters, TimeMs = T0, Value = 1234, Span = 1 };
        var b = new LogRecord { Sequence = 1001, Kind = RecordKind.Reading, Channel = ChannelId.PressurePascals, TimeMs = T0, Value = 12345, Span = 1 };
        Assert.True(w.TryAdd(ref a));
        Assert.True(w.TryAdd(ref b));
        int len = w.Finish();
        string hex = string.Join(" ", w.Buffer.Skip(w.Start).Take(len).Select(x => x.ToString("x2")));
        Assert.Equal("5a 02 07 e8 07 80 a0 d5 ed ee 66 85 0a c8 26 e4 81 03 62 08 83 dc", hex);
    }

    [Fact]
    public void Appended_readings_read_back_identical_after_reopen_with_increasing_sequences()
    {
        var flash = new VirtualFlash(1, 1024);
        var log = OpenLog(flash, Small());
        var seqs = new uint[300];
        for (int i = 0; i < 300; i++)
        {
            var r = Sample(1 + i % 4, T0 + i / 4 * 60_000, 1000 + (i * 37 % 200) - 100, i % 17 == 0 ? ReadingStatus.Noisy : ReadingStatus.Ok);
            seqs[i] = log.Append(ref r);
        }

        uint alarm = log.AppendEvent(RecordKind.Alarm, ChannelId.WaterLevelMillimeters, T0 + 99, 7, 4321);
        var again = OpenLog(flash, Small());
        for (int i = 0; i < 300; i++)
        {
            Assert.True(again.TryRead(seqs[i], out var rec));
            Assert.Equal(RecordKind.Reading, rec.Kind);
            Assert.Equal((ChannelId)(1 + i % 4), rec.Channel);
            Assert.Equal(T0 + i / 4 * 60_000, rec.TimeMs);
            Assert.Equal(1000 + (i * 37 % 200) - 100, rec.Value);
            if (i > 0)
            {
                Assert.True(seqs[i] > seqs[i - 1]);
            }
        }

        Assert.True(again.TryRead(alarm, out var a));
        Assert.Equal(RecordKind.Alarm, a.Kind);
        Assert.Equal(4321, a.Value);
        Assert.True(again.NextSequence > alarm);
        Assert.True(again.TryReadNextUnacknowledged(0, true, out var firstAlarm));
        Assert.Equal(alarm, firstAlarm.Sequence);
    }

    [Fact]
    public void Acknowledged_segments_are_reclaimed_and_unacknowledged_ones_survive()
    {
        var flash = new VirtualFlash(2, 1024);
        var settings = Small();
        settings.BudgetBytes = 64 * 1024;
        var log = OpenLog(flash, settings);
        uint last = 0;
        for (int i = 0; i < 2000; i++)
        {
            var r = Sample(1, T0 + i * 60_000, i);
            last = log.Append(ref r);
        }

        int before = flash.UsedBytes();
        Assert.True(log.TryGetOldestUnacknowledged(out uint oldest));
        log.Acknowledge(oldest, last - 500);
        Assert.True(flash.UsedBytes() < before);
        Assert.True(log.TryGetOldestUnacknowledged(out uint nowOldest));
        Assert.True(nowOldest > last - 500);
        Assert.True(log.TryGetNewestUnacknowledged(out uint newest));
        Assert.Equal(last, newest);
        var reopened = OpenLog(flash, settings);
        for (uint s = last - 499; s <= last; s++)
        {
            Assert.True(reopened.TryRead(s, out _));
        }

        Assert.True(reopened.TryGetOldestUnacknowledged(out uint o2));
        Assert.True(o2 > last - 500);
    }

    [Fact]
    public void Records_are_found_by_time_range()
    {
        var flash = new VirtualFlash(3, 1024);
        var log = OpenLog(flash, Small());
        for (int i = 0; i < 200; i++)
        {
            var r = Sample(2, T0 + i * 60_000, i);
            log.Append(ref r);
        }

        var found = new System.Collections.Generic.List<int>();
        uint from = 0;
        while (log.TryReadNextInTime(from, T0 + 50 * 60_000, T0 + 59 * 60_000, out var rec))
        {
            found.Add(rec.Value);
            from = rec.Sequence + 1;
        }

        Assert.Equal(Enumerable.Range(50, 10), found);
    }

    [Fact]
    public void Staged_readings_up_to_the_setting_are_at_risk_and_power_failing_commits_them_with_a_marker()
    {
        var flash = new VirtualFlash(4, 1024);
        var log = OpenLog(flash, Small(atRisk: 4));
        for (int i = 0; i < 3; i++)
        {
            var r = Sample(1, T0 + i, i);
            log.Append(ref r);
        }

        Assert.Equal(3, log.StagedReadings);
        uint marker = log.PowerFailing(T0 + 10);
        Assert.Equal(0, log.StagedReadings);
        var again = OpenLog(flash, Small(atRisk: 4));
        Assert.Equal(4, ReadAll(again).Count);
        Assert.True(again.TryRead(marker, out var m));
        Assert.Equal(RecordKind.Marker, m.Kind);
        Assert.Equal(MarkerCode.PowerFailing, m.Code);
        Assert.Equal(marker + 1, again.NextSequence);
        var h = new StorageHealth();
        again.FillHealth(h, 1000, 64);
        Assert.Equal(2u, h.BootCount);
    }

    [Fact]
    public void A_reformat_is_detected_through_the_mirror_and_sequences_continue()
    {
        var flash = new VirtualFlash(5, 1024);
        var mirror = new VirtualFlash(6, 1024);
        var settings = Small();
        settings.Mirror = mirror;
        var log = OpenLog(flash, settings);
        uint last = 0;
        for (int i = 0; i < 50; i++)
        {
            var r = Sample(1, T0 + i, i);
            last = log.Append(ref r);
        }

        var h = new StorageHealth();
        log.FillHealth(h, 1, 1);
        Assert.Equal(FormatEvidence.FreshOrUnknown, h.Format);

        var wiped = new VirtualFlash(7, 1024);
        var after = OpenLog(wiped, settings);
        after.FillHealth(h, 1, 1);
        Assert.Equal(FormatEvidence.ReformatDetected, h.Format);
        Assert.True(after.NextSequence > last);
        Assert.Equal(2u, h.BootCount);

        var noMirror = OpenLog(new VirtualFlash(8, 1024), Small());
        noMirror.FillHealth(h, 1, 1);
        Assert.Equal(FormatEvidence.FreshOrUnknown, h.Format);
    }
}
