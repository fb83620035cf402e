using System;
using System.Collections.Generic;
using Gateway.Core.Sensing;
using Gateway.Core.Storage;
using Gateway.Virtual.Flash;
using Xunit;
using Xunit.Abstractions;
using static Gateway.Tests.Storage.StorageTestKit;

namespace Gateway.Tests.Storage;

public class CapacityTests
{
    private readonly ITestOutputHelper _output;

    public CapacityTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Sixty_days_without_uplink_stay_in_192_KB_keep_the_newest_7_days_and_account_for_every_dropped_reading()
    {
        const int days = 60;
        const long minute = 60_000;
        var flash = new VirtualFlash(60, 4096);
        var settings = new RecordLogSettings { BudgetBytes = 192 * 1024, EpochSeed = 1 };
        var log = OpenLog(flash, settings);
        var rng = new Random(60);
        var issued = new Dictionary<uint, Reading>();
        int[] value = { 0, 0, 1500, 0, 9800, 120 };
        var channels = new[] { ChannelId.WaterLevelMillimeters, ChannelId.PressurePascals, ChannelId.TiltXMillidegrees, ChannelId.BatteryMillivolts };
        int[] channelIndex = { 2, 4, 5, 1 };
        long end = T0 + days * 1440L * minute;
        for (long t = T0; t < end; t += minute)
        {
            for (int c = 0; c < 4; c++)
            {
                int k = channelIndex[c];
                value[k] += rng.Next(-6, 7);
                var r = new Reading(channels[c], t, value[k], rng.Next(500) == 0 ? ReadingStatus.Noisy : ReadingStatus.Ok);
                uint seq = log.Append(ref r);
                issued[seq] = r;
            }

            if ((t - T0) % (1440 * minute) == 0)
            {
                log.AppendEvent(RecordKind.Event, 0, t, 3, 0);
            }
        }

        // Read everything back.
        var present = new Dictionary<uint, LogRecord>();
        var gaps = new List<(uint, uint)>();
        foreach (var rec in ReadAll(log))
        {
            present[rec.Sequence] = rec;
            if (rec.Kind == RecordKind.Gap)
            {
                gaps.Add((rec.Sequence, rec.LastCovered));
            }
        }

        gaps.Sort();
        long sevenDaysAgo = end - 7 * 1440L * minute;
        int newestMissing = 0, unaccounted = 0, kept = 0, wrong = 0;
        foreach (var (seq, r) in issued)
        {
            if (present.TryGetValue(seq, out var rec) && rec.Kind == RecordKind.Reading)
            {
                kept++;
                if (rec.Value != r.Value || rec.TimeMs != r.TimeMs || rec.Channel != r.Channel || rec.Status != r.Status)
                {
                    wrong++;
                }

                continue;
            }

            if (r.TimeMs >= sevenDaysAgo)
            {
                newestMissing++;
            }

            if (!Covered(gaps, seq))
            {
                unaccounted++;
            }
        }

        var h = new StorageHealth();
        log.FillHealth(h, days * 86_400_000L, 64);
        long oldestKeptMs = long.MaxValue;
        foreach (var rec in present.Values)
        {
            if (rec.Kind == RecordKind.Reading)
            {
                oldestKeptMs = Math.Min(oldestKeptMs, rec.TimeMs);
            }
        }

        double bytesPerReading = (double)h.BytesInUse / kept;
        Report(_output, $"storage capacity: days={days} readings={issued.Count} kept={kept} dropped={issued.Count - kept} gap_records={gaps.Count} " +
                        $"newest_7d_missing={newestMissing} unaccounted={unaccounted} wrong={wrong} high_water_bytes={flash.HighWaterLogBytes} " +
                        $"budget_bytes={settings.BudgetBytes} bytes_per_kept_reading={bytesPerReading:F2} oldest_kept_days_ago={(end - oldestKeptMs) / 86_400_000.0:F1} " +
                        $"rewrites={h.CapacityRewrites}");
        Assert.True(flash.HighWaterLogBytes <= settings.BudgetBytes, $"high water {flash.HighWaterLogBytes}");
        Assert.Equal(0, newestMissing);
        Assert.Equal(0, unaccounted);
        Assert.Equal(0, wrong);
        Assert.True(issued.Count - kept > 0, "the test must exercise the capacity policy");
        Assert.Equal(h.ReadingsDropped, issued.Count - kept);
    }

    private static bool Covered(List<(uint First, uint Last)> gaps, uint seq)
    {
        int lo = 0, hi = gaps.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            if (gaps[mid].First > seq)
            {
                hi = mid - 1;
            }
            else
            {
                if (gaps[mid].Last >= seq)
                {
                    return true;
                }

                lo = mid + 1;
            }
        }

        // Gap spans may nest; fall back to a scan of those that start at or below seq.
        foreach (var g in gaps)
        {
            if (g.First <= seq && g.Last >= seq)
            {
                return true;
            }
        }

        return false;
    }
}
