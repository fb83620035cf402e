using System.Linq;
using Gateway.Bindings.Inclinometer;
using Gateway.Core.Sensing;
using Gateway.Core.Sensing.Events;
using Gateway.Core.Sensing.Filters;
using Gateway.Virtual.Scenarios;
using Gateway.Virtual.Sensors;
using Gateway.Virtual.Time;
using Xunit;
using Xunit.Abstractions;

namespace Gateway.Tests.Sensing;

public class SnowAndSlopeScenarioTests
{
    private readonly ITestOutputHelper _output;

    public SnowAndSlopeScenarioTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Heavy_snowfall_raises_one_alert_for_road_crews_and_clears_after_it_stops()
    {
        var scenario = new Scenario
        {
            Seed = 21,
            DurationHours = 24,
            Air = new AirSpec { MeanCelsius = -4, DailySwingCelsius = 2 },
            Snow = new SnowSpec { InitialDepthMm = 200, Snowfall = { new RateSpell { StartHour = 3, Hours = 2, MmPerHour = 10 }, new RateSpell { StartHour = 8, Hours = 4, MmPerHour = 50 } } },
            Ranger = new RangerSpec { MountHeightMm = 3000, NoiseMm = 3, FalseEchoProbability = 0.03 },
        };
        var site = new RiverSite(scenario, new SensingSettings { SnowfallAlertMmPerHour = 30 });
        site.Runner.RunUntil(site.Player.DurationMs);

        var alerts = site.Events.Events.Select((e, i) => (e, t: site.Events.ArrivalUptimeMs[i])).Where(x => x.e.Kind == EventKind.SnowfallRate).ToList();
        var cleared = site.Events.Events.Select((e, i) => (e, t: site.Events.ArrivalUptimeMs[i])).Where(x => x.e.Kind == EventKind.RateCleared).ToList();
        _output.WriteLine($"snowfall alerts at {string.Join(", ", alerts.Select(a => $"{a.t / 3600000.0:F2} h ({a.e.Rate} mm/h)"))}; cleared at {string.Join(", ", cleared.Select(c => $"{c.t / 3600000.0:F2} h"))}");
        Assert.Single(alerts);
        Assert.InRange(alerts[0].t / 3600000.0, 8.0, 9.2); // light snow at 3–5 h (10 mm/h) stays silent
        Assert.Equal(EventPriority.Alarm, alerts[0].e.Priority);
        Assert.Single(cleared);
        Assert.InRange(cleared[0].t / 3600000.0, 12.0, 14.5); // held for a whole window below half the rate
        Assert.Equal(ChannelId.SnowDepthMillimeters, site.Readings.Readings[0].Channel);
    }

    [Fact]
    public void Accelerating_slope_raises_tilt_rate_alarms_hours_before_failure_and_none_during_creep()
    {
        var scenario = new Scenario
        {
            Seed = 5,
            DurationHours = 72,
            Slope = new SlopeSpec { InitialPitchDegrees = 3, InitialRollDegrees = -2, CreepDegreesPerDay = 0.2, FailureStartHour = 40, FailureHour = 72 },
        };
        var player = new ScenarioPlayer(scenario);
        var clock = new VirtualClock(scenario.StartUtc.ToUnixTimeMilliseconds());
        var rig = new VirtualSensorRig(player, clock);
        var settingsIncl = new InclinometerSettings { CountsPerG = 256, Oversample = 256 };
        var incl = new Inclinometer(rig.Accelerometer, settingsIncl);
        incl.SetZeroHere();
        var sensing = new SensingSettings
        {
            TiltChangeAlarmMillidegrees = 3000,
            TiltRateAlarmMillidegreesPerHour = 100,
            TiltRateAlarmMillidegreesPerDay = 500,
        };
        var readings = new ListReadingSink();
        var events = new ListEventSink(clock);
        var detector = new EventDetector(sensing, events, readings, 2);
        var pipeline = new SamplingPipeline(clock, new ISensorSource[] { incl.Pitch, incl.Roll },
            new[] { new FilterChain(new IReadingFilter[] { new MedianFilter(5) }), new FilterChain(new IReadingFilter[] { new MedianFilter(5) }) }, detector);
        new ScenarioRunner(clock, rig, pipeline).RunUntil(player.DurationMs);

        var alarms = events.Events.Select((e, i) => (e, t: events.ArrivalUptimeMs[i]))
            .Where(x => x.e.Kind is EventKind.TiltRateHourly or EventKind.TiltRateDaily or EventKind.TiltChange).ToList();
        foreach (var a in alarms)
        {
            _output.WriteLine($"{a.e.Kind} on {a.e.Channel} at {a.t / 3600000.0:F2} h: tilt {a.e.Value} mdeg, rate {a.e.Rate}, threshold {a.e.Threshold}");
        }

        Assert.DoesNotContain(alarms, a => a.t < 40 * 3600000L);
        Assert.Single(alarms, a => a.e.Kind == EventKind.TiltRateHourly);
        Assert.Single(alarms, a => a.e.Kind == EventKind.TiltRateDaily);
        var daily = alarms.First(a => a.e.Kind == EventKind.TiltRateDaily);
        var hourly = alarms.First(a => a.e.Kind == EventKind.TiltRateHourly);
        Assert.Equal(ChannelId.TiltXMillidegrees, hourly.e.Channel);
        Assert.True(daily.t < 70 * 3600000L, "the daily-rate alarm came less than 2 h before failure");
        Assert.True(hourly.t < 71 * 3600000L, "the hourly-rate alarm came less than 1 h before failure");
        Assert.DoesNotContain(alarms, a => a.e.Channel == ChannelId.TiltYMillidegrees); // roll does not move
        Assert.Equal(CadenceMode.Rapid, detector.Mode);
    }
}
