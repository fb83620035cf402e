using System.Linq;
using Gateway.Core.Sensing;
using Gateway.Core.Storage;
using Gateway.Virtual.Flash;
using Xunit;
using static Gateway.Tests.Storage.StorageTestKit;

namespace Gateway.Tests.Storage;

public class SequenceAndPolicyTests
{
    [Fact]
    public void A_clean_suspend_skips_no_sequence_and_an_unclean_reboot_skips_at_most_one_reservation_block()
    {
        var flash = new VirtualFlash(21, 1024);
        var settings = Small();
        var log = OpenLog(flash, settings);
        uint last = 0;
        for (int i = 0; i < 5; i++)
        {
            var r = Sample(1, T0 + i, i);
            last = log.Append(ref r);
        }

        log.Suspend();
        var woke = OpenLog(flash, settings);
        Assert.Equal(last + 1, woke.NextSequence);

        var r2 = Sample(1, T0 + 100, 1);
        uint s2 = woke.Append(ref r2);
        var unclean = OpenLog(flash, settings); // no Suspend: as after a power cut
        Assert.True(unclean.NextSequence > s2);
        Assert.True(unclean.NextSequence - s2 <= (uint)settings.ReserveBlock + 1);
    }

    [Fact]
    public void Alarms_and_events_outlive_thinned_readings_when_the_log_is_full()
    {
        var flash = new VirtualFlash(22, 1024);
        var log = OpenLog(flash, Small());
        var alarms = new System.Collections.Generic.List<uint>();
        for (int i = 0; i < 20_000; i++)
        {
            var r = Sample(1 + i % 4, T0 + i / 4 * 60_000, i % 1000);
            log.Append(ref r);
            if (i % 2000 == 0)
            {
                alarms.Add(log.AppendEvent(RecordKind.Alarm, ChannelId.WaterLevelMillimeters, T0 + i / 4 * 60_000, 1, i));
            }
        }

        var all = ReadAll(log);
        Assert.All(alarms, a => Assert.Contains(all, r => r.Sequence == a && r.Kind == RecordKind.Alarm));
        Assert.True(all.Count(r => r.Kind == RecordKind.Reading) < 20_000);
        Assert.Contains(all, r => r.Kind == RecordKind.Gap);
        Assert.True(flash.HighWaterLogBytes <= 8 * 1024);

        var found = new System.Collections.Generic.List<uint>();
        uint from = 0;
        while (log.TryReadNextUnacknowledged(from, true, out var alarm))
        {
            found.Add(alarm.Sequence);
            from = alarm.Sequence + 1;
        }

        Assert.Equal(alarms, found);
    }

    [Fact]
    public void Acknowledging_beyond_the_newest_committed_record_does_not_acknowledge_future_records()
    {
        var flash = new VirtualFlash(23, 1024);
        var log = OpenLog(flash, Small());
        var a = Sample(1, T0, 1);
        uint s = log.Append(ref a);
        log.Acknowledge(s, s + 1000);
        var b = Sample(1, T0 + 1, 2);
        uint s2 = log.Append(ref b);
        Assert.False(log.IsAcknowledged(s2));
        Assert.True(log.TryGetOldestUnacknowledged(out uint oldest));
        Assert.Equal(s2, oldest);
    }
}
