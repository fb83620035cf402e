using System;
using System.IO;
using Gateway.Core.Sensing;
using Gateway.Core.Sensing.Events;
using Gateway.Virtual.Scenarios;
using Xunit;
using Xunit.Abstractions;

namespace Gateway.Tests.Sensing;

public class TroutCreekReplayTests
{
    private readonly ITestOutputHelper _output;

    public TroutCreekReplayTests(ITestOutputHelper output) => _output = output;

    internal static string DataPath()
    {
        // Tests run from tests/Gateway.Tests/bin/Release/net10.0; the data sits beside the worktree.
        string dir = AppContext.BaseDirectory;
        for (int i = 0; i < 8 && dir != null; i++)
        {
            string candidate = Path.Combine(dir, "..", "shared", "data", "trout-creek", "Log00017.txt");
            if (File.Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }

            dir = Path.GetDirectoryName(dir)!;
        }

        throw new FileNotFoundException("../shared/data/trout-creek/Log00017.txt not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void Replayed_range_series_is_stored_within_5_mm_and_every_false_echo_is_rejected_or_flagged()
    {
        var scenario = new Scenario
        {
            Name = "trout-creek-replay",
            Seed = 17,
            DurationHours = 0,
            Replay = new ReplaySpec { Path = DataPath() },
            Ranger = new RangerSpec { MountHeightMm = 5000, NoiseMm = 2.0, FalseEchoProbability = 0.03, GarbageFrameProbability = 0.01 },
        };
        // Record every 5-minute sample (the logger's own rate): quiet cadence = internal rate = 5 min.
        var settings = new SensingSettings { InternalIntervalMs = 300000, QuietIntervalMs = 300000, PreTriggerMs = 300000 };
        var site = new RiverSite(scenario, settings);

        int readingsWithFalseEcho = 0, falseEchoRejected = 0, falseEchoFlagged = 0, falseEchoMissed = 0;
        int within = 0, total = 0, flagged = 0;
        int recordedBefore = 0;
        site.Runner.AfterCycle = t =>
        {
            bool hadFalseEcho = site.Rig.Ranger.FalseEchoSinceMark;
            site.Rig.Ranger.FalseEchoSinceMark = false;
            if (site.Readings.Readings.Count == recordedBefore)
            {
                return;
            }

            Reading r = site.Readings.Readings[^1];
            recordedBefore = site.Readings.Readings.Count;
            double truth = site.Player.LevelMm(t);
            bool close = Math.Abs(r.Value - truth) <= 5;
            total++;
            if (close)
            {
                within++;
            }

            if (!r.IsValid)
            {
                flagged++;
            }

            if (hadFalseEcho)
            {
                readingsWithFalseEcho++;
                if (close)
                {
                    falseEchoRejected++;
                }
                else if (!r.IsValid)
                {
                    falseEchoFlagged++;
                }
                else
                {
                    falseEchoMissed++;
                }
            }
        };

        site.Runner.RunUntil(site.Player.DurationMs);

        double share = 100.0 * within / total;
        _output.WriteLine(
            $"trout-creek replay: readings={total} within_5mm={share:F2}% flagged={flagged} false_echoes_injected={site.Rig.Ranger.FalseEchoesInjected} " +
            $"readings_with_false_echo={readingsWithFalseEcho} rejected={falseEchoRejected} flagged={falseEchoFlagged} missed={falseEchoMissed} " +
            $"garbage_frames_injected={site.Rig.Ranger.GarbageFramesInjected} bad_checksum_frames={site.Ranger.Parser.BadChecksumFrames}");

        Assert.True(total > 15000, $"only {total} readings stored");
        Assert.True(share >= 99.0, $"{share:F2}% within 5 mm");
        Assert.True(readingsWithFalseEcho > 100, "the noise model injected too few false echoes to prove anything");
        Assert.Equal(0, falseEchoMissed);
        Assert.True(site.Ranger.Parser.BadChecksumFrames >= site.Rig.Ranger.GarbageFramesInjected * 9 / 10);
    }
}
