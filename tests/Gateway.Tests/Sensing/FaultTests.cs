using System;
using System.Linq;
using Gateway.Bindings.Inclinometer;
using Gateway.Bindings.Pressure;
using Gateway.Core.Sensing;
using Gateway.Core.Sensing.Events;
using Gateway.Core.Sensing.Filters;
using Gateway.Core.Time;
using Gateway.Virtual.Scenarios;
using Gateway.Virtual.Sensors;
using Gateway.Virtual.Time;
using Xunit;
using Xunit.Abstractions;

namespace Gateway.Tests.Sensing;

public class FaultTests
{
    private readonly ITestOutputHelper _output;

    public FaultTests(ITestOutputHelper output) => _output = output;

    private static Scenario Calm(string sensor, SensorFault fault) => new()
    {
        Seed = 9,
        DurationHours = 6,
        River = new RiverSpec { BaseLevelMm = 1500 },
        Ranger = new RangerSpec { MountHeightMm = 4000 },
        Faults = { new FaultSpec { Sensor = sensor, Kind = fault, StartHour = 2, EndHour = 4 } },
    };

    private static (ReadingStatus before, ReadingStatus during, ReadingStatus after, int recordedFlagged) Run(RiverSite site)
    {
        ReadingStatus before = 0, during = 0, after = 0;
        site.Runner.AfterCycle = t =>
        {
            ReadingStatus s = site.Pipeline.LastReading(0).Status;
            double h = t / 3600000.0;
            if (h < 2) before |= s;
            else if (h > 2.2 && h < 4) during |= s;
            else if (h > 4.5) after |= s;
        };
        site.Runner.RunUntil(site.Player.DurationMs);
        int flagged = site.Readings.Readings.Count(r => !r.IsValid);
        return (before, during, after, flagged);
    }

    [Theory]
    [InlineData("ranger", SensorFault.Disconnected, ReadingStatus.NoEcho)]
    [InlineData("ranger", SensorFault.Garbage, ReadingStatus.BusError | ReadingStatus.NoEcho)]
    [InlineData("ranger", SensorFault.Stuck, ReadingStatus.Stuck)]
    [InlineData("temperature", SensorFault.Disconnected, ReadingStatus.Uncompensated)]
    public void Each_ranger_fault_yields_its_flag_is_recorded_and_recovers(string sensor, SensorFault fault, ReadingStatus expected)
    {
        var site = new RiverSite(Calm(sensor, fault), new SensingSettings());
        var (before, during, after, flagged) = Run(site);
        _output.WriteLine($"{sensor} {fault}: before={before} during={during} after={after} flagged_recorded={flagged} bad_frames={site.Ranger.Parser.BadChecksumFrames}");
        Assert.Equal(ReadingStatus.Ok, before);
        Assert.Equal(expected, during & expected);
        Assert.True(flagged > 0, "flagged readings must be recorded, not dropped");
        Assert.Equal(ReadingStatus.Ok, after & ~ReadingStatus.Noisy);
        if (fault == SensorFault.Garbage)
        {
            Assert.True(site.Ranger.Parser.BadChecksumFrames >= site.Rig.Ranger.GarbageFramesInjected * 9 / 10);
        }
    }

    [Fact]
    public void A_missing_temperature_is_flagged_and_its_error_is_the_speed_of_sound_error()
    {
        // A cold site: the module's fixed 343.2 m/s reads long at 0 °C; without the probe the binding cannot correct it.
        var scenario = Calm("temperature", SensorFault.Disconnected);
        scenario.Air = new AirSpec { MeanCelsius = 0, DailySwingCelsius = 0 };
        scenario.Ranger.FalseEchoProbability = 0;
        var site = new RiverSite(scenario, new SensingSettings { InternalIntervalMs = 600000 });
        site.Runner.RunUntil(site.Player.DurationMs);
        var ok = site.Readings.Readings.Where(r => r.IsValid).ToList();
        var unc = site.Readings.Readings.Where(r => r.Status == ReadingStatus.Uncompensated).ToList();
        double okError = ok.Average(r => r.Value - 1500.0);
        double uncError = unc.Average(r => r.Value - 1500.0);
        _output.WriteLine($"compensated mean error {okError:F1} mm; uncompensated {uncError:F1} mm over {unc.Count} readings");
        Assert.InRange(okError, -2, 2);
        // Distance 2500 mm read at 343.2 instead of 331.3 m/s: 2500 · (343.2/331.3 − 1) ≈ 90 mm long → level 90 mm low.
        Assert.InRange(uncError, -100, -80);
    }

    private sealed class PressureSite
    {
        public PressureSite(Scenario scenario, ClockQuality quality = ClockQuality.Network)
        {
            Player = new ScenarioPlayer(scenario);
            Clock = new VirtualClock(scenario.StartUtc.ToUnixTimeMilliseconds(), quality);
            Rig = new VirtualSensorRig(Player, Clock);
            Transducer = new PressureTransducer(Rig.Adc, Rig.Barometer, new PressureSettings { SensorElevationMm = 200 });
            Readings = new ListReadingSink();
            Events = new ListEventSink(Clock);
            Detector = new EventDetector(new SensingSettings(), Events, Readings, 1);
            Pipeline = new SamplingPipeline(Clock, new ISensorSource[] { Transducer }, null!, Detector);
            Runner = new ScenarioRunner(Clock, Rig, Pipeline);
        }

        public ScenarioPlayer Player { get; }
        public VirtualClock Clock { get; }
        public VirtualSensorRig Rig { get; }
        public PressureTransducer Transducer { get; }
        public ListReadingSink Readings { get; }
        public ListEventSink Events { get; }
        public EventDetector Detector { get; }
        public SamplingPipeline Pipeline { get; }
        public ScenarioRunner Runner { get; }
    }

    [Theory]
    [InlineData("loop", SensorFault.Disconnected, ReadingStatus.LoopFault)]
    [InlineData("loop", SensorFault.Short, ReadingStatus.LoopFault)]
    [InlineData("adc", SensorFault.Stuck, ReadingStatus.Stuck)]
    [InlineData("adc", SensorFault.Disconnected, ReadingStatus.BusError)]
    public void Each_pressure_fault_yields_its_flag_and_is_recorded(string sensor, SensorFault fault, ReadingStatus expected)
    {
        var site = new PressureSite(Calm(sensor, fault));
        ReadingStatus before = 0, during = 0;
        int maxError = 0;
        site.Runner.AfterCycle = t =>
        {
            Reading r = site.Pipeline.LastReading(0);
            double h = t / 3600000.0;
            if (h < 2)
            {
                before |= r.Status;
                maxError = Math.Max(maxError, Math.Abs(r.Value - 1500));
            }
            else if (h > 2.3 && h < 4)
            {
                during |= r.Status;
            }
        };
        site.Runner.RunUntil(site.Player.DurationMs);
        _output.WriteLine($"{sensor} {fault}: before={before} during={during} max error before the fault {maxError} mm");
        Assert.Equal(ReadingStatus.Ok, before);
        Assert.InRange(maxError, 0, 5);
        Assert.Equal(expected, during & expected);
        Assert.Contains(site.Readings.Readings, r => (r.Status & expected) == expected);
    }

    [Fact]
    public void A_disconnected_accelerometer_is_a_bus_error_not_a_zero_tilt()
    {
        var scenario = Calm("accelerometer", SensorFault.Disconnected);
        scenario.Slope = new SlopeSpec { InitialPitchDegrees = 5 };
        var player = new ScenarioPlayer(scenario);
        var clock = new VirtualClock(0);
        var rig = new VirtualSensorRig(player, clock);
        var incl = new Inclinometer(rig.Accelerometer, new InclinometerSettings());
        var sink = new ListReadingSink();
        var pipeline = new SamplingPipeline(clock, new ISensorSource[] { incl.Pitch, incl.Roll }, null!, new EventDetector(new SensingSettings(), null!, sink, 2));
        new ScenarioRunner(clock, rig, pipeline).RunUntil(player.DurationMs);
        var pitch = sink.Readings.Where(r => r.Channel == ChannelId.TiltXMillidegrees).ToList();
        Assert.Contains(pitch, r => r.IsValid && Math.Abs(r.Value - 5000) < 300);
        Assert.Contains(pitch, r => r.Status == (ReadingStatus.BusError | ReadingStatus.NoEcho));
        Assert.DoesNotContain(pitch, r => r.IsValid && Math.Abs(r.Value - 5000) >= 300);
    }

    [Fact]
    public void Readings_taken_before_the_wall_clock_is_known_are_flagged_time_unknown_with_uptime_stamps()
    {
        var site = new RiverSite(Calm("none", SensorFault.None), new SensingSettings(), ClockQuality.Unknown);
        site.Runner.RunUntil(3600000);
        Assert.All(site.Readings.Readings, r => Assert.True((r.Status & ReadingStatus.TimeUnknown) != 0));
        Assert.All(site.Readings.Readings, r => Assert.InRange(r.TimeMs, 0, 3600000));
        site.Clock.SetWallTime(1_780_000_000_000, ClockQuality.Network);
        site.Runner.RunUntil(7200000);
        Assert.True(site.Readings.Readings[^1].IsValid);
    }
}
