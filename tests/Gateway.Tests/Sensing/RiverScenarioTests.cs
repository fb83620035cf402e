using System;
using System.Collections.Generic;
using System.Linq;
using Gateway.Core.Sensing;
using Gateway.Core.Sensing.Events;
using Gateway.Virtual.Scenarios;
using Xunit;
using Xunit.Abstractions;

namespace Gateway.Tests.Sensing;

public class RiverScenarioTests
{
    private readonly ITestOutputHelper _output;

    public RiverScenarioTests(ITestOutputHelper output) => _output = output;

    private static Scenario Storm(int seed, double rainMmPerHour, double reservoirHours, double hours = 16) => new()
    {
        Name = "storm",
        Seed = seed,
        DurationHours = hours,
        River = new RiverSpec
        {
            BaseLevelMm = 800,
            RiseMmPerMmPerHour = 60,
            ReservoirHours = reservoirHours,
            Reservoirs = 2,
            Rain = { new RateSpell { StartHour = 2, Hours = 6, MmPerHour = rainMmPerHour } },
        },
        Ranger = new RangerSpec { MountHeightMm = 4000, NoiseMm = 2, FalseEchoProbability = 0.02, GarbageFrameProbability = 0.005 },
    };

    private static SensingSettings GaugeRules() => new()
    {
        ObservationStartLevelMm = 1200,
        StandbyLevelMm = 1300,
        CautionLevelMm = 1500,
        EvacuationDecisionLevelMm = 1700,
        DangerLevelMm = 1900,
        QuietIntervalMs = 600000,
        ObservingIntervalMs = 300000,
        RapidIntervalMs = 120000,
        RapidFromLevel = AlarmLevel.EvacuationDecision,
    };

    [Fact]
    public void Crossing_the_observation_start_level_switches_cadence_within_one_cycle()
    {
        var site = new RiverSite(Storm(3, 20, 2), GaugeRules());
        site.Runner.RunUntil(site.Player.DurationMs);

        long crossing = site.Player.FirstCrossingMs(1200);
        Assert.True(crossing > 0);
        int i = site.Events.Events.FindIndex(e => e.Kind == EventKind.CadenceChanged);
        Assert.True(i >= 0, "no cadence change");
        long switched = site.Events.ArrivalUptimeMs[i];
        _output.WriteLine($"observation start crossed at {crossing / 1000} s, cadence changed at {switched / 1000} s (to {site.Events.Events[i].CadenceMs / 60000} min)");
        Assert.InRange(switched - crossing, -site.Settings.InternalIntervalMs, site.Settings.InternalIntervalMs);
        Assert.Equal(site.Settings.ObservingIntervalMs, site.Events.Events[i].CadenceMs);

        // From the switch until the level falls back, no two recorded readings are further apart than the new cadence.
        var recorded = site.Readings.Readings.Select(r => site.ScenarioMs(r)).Where(t => t >= switched).ToList();
        long lastAbove = Enumerable.Range(0, (int)(site.Player.DurationMs / 60000)).Select(m => m * 60000L)
            .Where(t => site.Player.LevelMm(t) >= 1200).Max();
        for (int k = 1; k < recorded.Count && recorded[k] <= lastAbove; k++)
        {
            Assert.True(recorded[k] - recorded[k - 1] <= site.Settings.ObservingIntervalMs, $"gap {recorded[k] - recorded[k - 1]} ms at {recorded[k]}");
        }

        // Quiet mode before the storm: nothing but the alive was emitted and readings were 10 min apart.
        var quiet = site.Readings.Readings.Select(r => site.ScenarioMs(r)).Where(t => t < 2 * 3600000).ToList();
        Assert.True(quiet.Count <= 13, $"{quiet.Count} readings recorded in 2 quiet hours");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void An_alarm_is_queued_within_10_s_of_each_level_crossing(int seed)
    {
        var site = new RiverSite(Storm(seed, 40, 1, 10), GaugeRules());
        site.Runner.RunUntil(site.Player.DurationMs);

        foreach (AlarmLevel level in new[] { AlarmLevel.Standby, AlarmLevel.Caution, AlarmLevel.EvacuationDecision, AlarmLevel.Danger })
        {
            int threshold = site.Settings.LevelFor(level);
            long crossing = site.Player.FirstCrossingMs(threshold);
            Assert.True(crossing > 0, $"the storm never reached {level}");
            int i = site.Events.Events.FindIndex(e => e.Kind == EventKind.AlarmRaised && e.Level == level);
            Assert.True(i >= 0, $"no alarm for {level}");
            SensingEvent alarm = site.Events.Events[i];
            long queued = site.Events.ArrivalUptimeMs[i];
            _output.WriteLine($"seed {seed} {level}: true crossing {crossing / 1000} s, alarm queued {queued / 1000.0:F0} s (lateness {(queued - crossing) / 1000.0:F0} s), value {alarm.Value} mm");
            Assert.Equal(EventPriority.Alarm, alarm.Priority);
            Assert.True(queued - crossing <= 10000, $"{level} alarm {(queued - crossing) / 1000} s after the crossing");
            Assert.True(queued - crossing >= -60000, $"{level} alarm {(crossing - queued) / 1000} s before the crossing");
            Assert.True(alarm.Value >= threshold);
        }
    }

    [Fact]
    public void Noise_around_a_threshold_gives_exactly_one_alarm_per_real_crossing()
    {
        // Two storms whose level settles 2 mm above the caution level for hours, with ±5 mm ping noise.
        var scenario = new Scenario
        {
            Seed = 11,
            DurationHours = 60,
            River = new RiverSpec
            {
                BaseLevelMm = 1000,
                RiseMmPerMmPerHour = 40,
                ReservoirHours = 1.5,
                Reservoirs = 2,
                Rain = { new RateSpell { StartHour = 1, Hours = 16, MmPerHour = 25 }, new RateSpell { StartHour = 32, Hours = 16, MmPerHour = 25 } },
            },
            Ranger = new RangerSpec { MountHeightMm = 4000, NoiseMm = 5, FalseEchoProbability = 0.02 },
        };
        var settings = new SensingSettings { CautionLevelMm = 1998, AlarmHysteresisMm = 30, ObservationStartLevelMm = 1500 };
        var site = new RiverSite(scenario, settings);
        site.Runner.RunUntil(site.Player.DurationMs);

        int realUp = 0, realDown = 0;
        bool above = false;
        for (long t = 0; t <= site.Player.DurationMs; t += 10000)
        {
            double level = site.Player.LevelMm(t);
            if (!above && level >= 1998) { above = true; realUp++; }
            else if (above && level < 1998 - 30) { above = false; realDown++; }
        }

        int raised = site.Events.Events.Count(e => e.Kind == EventKind.AlarmRaised);
        int cleared = site.Events.Events.Count(e => e.Kind == EventKind.AlarmCleared);
        int nearThreshold = site.Pipeline.Cycles;
        _output.WriteLine($"real crossings up={realUp} down={realDown}; alarms raised={raised} cleared={cleared}; cycles={nearThreshold}");
        Assert.Equal(2, realUp);
        Assert.Equal(realUp, raised);
        Assert.Equal(realDown, cleared);
    }

    [Fact]
    public void Rate_of_rise_switches_to_rapid_cadence_before_any_level_is_crossed_and_commits_the_pre_trigger_ring()
    {
        var settings = GaugeRules();
        settings.RateOfRiseMmPer10Min = 30;
        var site = new RiverSite(Storm(7, 60, 1, 12), settings);
        site.Runner.RunUntil(site.Player.DurationMs);

        long startCrossing = site.Player.FirstCrossingMs(settings.ObservationStartLevelMm);
        int i = site.Events.Events.FindIndex(e => e.Kind == EventKind.RateOfRise);
        Assert.True(i >= 0, "no rate-of-rise trigger");
        long rateAt = site.Events.ArrivalUptimeMs[i];
        int firstAlarm = site.Events.Events.FindIndex(e => e.Kind == EventKind.AlarmRaised);
        _output.WriteLine($"rate of rise {site.Events.Events[i].Rate} mm/10 min at {rateAt / 60000.0:F1} min; level {site.Events.Events[i].Value} mm; " +
                          $"observation start crossed at {startCrossing / 60000.0:F1} min; first alarm at {site.Events.ArrivalUptimeMs[firstAlarm] / 60000.0:F1} min");
        Assert.True(rateAt < startCrossing, "rate of rise fired after the observation-start level was crossed");
        Assert.True(i < firstAlarm);
        Assert.True(site.Events.Events[i].Value < settings.ObservationStartLevelMm);

        int cadence = site.Events.Events.FindIndex(e => e.Kind == EventKind.CadenceChanged);
        Assert.Equal(settings.RapidIntervalMs, site.Events.Events[cadence].CadenceMs);
        Assert.True(site.Events.ArrivalUptimeMs[cadence] <= rateAt);

        // The ring's 30 min before the trigger were committed: one reading per quiet sample (5 min; a wake a minute
        // would cost a boot a minute on battery), twice the 10-min record.
        int committed = site.Readings.Readings.Count(r => site.ScenarioMs(r) > rateAt - 1800000 && site.ScenarioMs(r) <= rateAt);
        var commit = site.Events.Events.First(e => e.Kind == EventKind.PreTriggerCommitted);
        _output.WriteLine($"pre-trigger: {commit.Value} readings committed; {committed} recorded in the 30 min before the trigger");
        Assert.True(committed >= 30 * 60000 / settings.QuietSampleIntervalMs, $"only {committed} readings in the 30 min before the trigger");
    }

    [Fact]
    public void Quiet_mode_sends_only_a_daily_alive()
    {
        var scenario = Storm(5, 0, 2, 70);
        var site = new RiverSite(scenario, GaugeRules());
        site.Runner.RunUntil(site.Player.DurationMs);

        Assert.All(site.Events.Events, e => Assert.Equal(EventKind.Alive, e.Kind));
        Assert.Equal(3, site.Events.Events.Count); // at 0 h, 24 h, 48 h
        Assert.Equal(CadenceMode.Quiet, site.Detector.Mode);
        int recorded = site.Readings.Readings.Count;
        Assert.InRange(recorded, 70 * 6, 70 * 6 + 1);
    }
}

public class DetectorStateTests
{
    [Fact]
    public void A_restart_with_the_saved_state_does_not_raise_the_same_alarms_again()
    {
        var scenario = new Scenario
        {
            Seed = 8, DurationHours = 8,
            River = new RiverSpec { BaseLevelMm = 800, RiseMmPerMmPerHour = 60, ReservoirHours = 1, Rain = { new RateSpell { StartHour = 1, Hours = 6, MmPerHour = 30 } } },
        };
        var settings = new SensingSettings { ObservationStartLevelMm = 1200, StandbyLevelMm = 1300, CautionLevelMm = 1500 };
        var first = new RiverSite(scenario, settings);
        first.Runner.RunUntil(5 * 3600000L);
        Assert.Equal(AlarmLevel.Caution, first.Detector.AlarmLevel);
        var saved = new byte[EventDetector.StateLength];
        first.Detector.ExportState(saved, 0);

        // The same site after a reboot at hour 5, with and without the saved state.
        RiverSite Restart(bool restore)
        {
            var site = new RiverSite(scenario, settings);
            site.Clock.Advance(5 * 3600000L);
            site.Pipeline.Scheduler.DueNow(site.Clock.UptimeMs);
            if (restore)
            {
                Assert.True(site.Detector.ImportState(saved, 0));
            }

            site.Runner.RunUntil(6 * 3600000L);
            return site;
        }

        Assert.Equal(0, Restart(true).Events.Events.Count(e => e.Kind == EventKind.AlarmRaised));
        Assert.Equal(2, Restart(false).Events.Events.Count(e => e.Kind == EventKind.AlarmRaised));
        saved[0] = 99;
        Assert.False(new RiverSite(scenario, settings).Detector.ImportState(saved, 0));
    }
}
