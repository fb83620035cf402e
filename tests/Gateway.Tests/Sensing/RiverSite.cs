using Gateway.Bindings.Ultrasonic;
using Gateway.Core.Sensing;
using Gateway.Core.Sensing.Events;
using Gateway.Core.Sensing.Filters;
using Gateway.Core.Time;
using Gateway.Virtual.Scenarios;
using Gateway.Virtual.Sensors;
using Gateway.Virtual.Time;

namespace Gateway.Tests.Sensing;

/// <summary>A virtual river gauge: scenario → virtual A02YYUW + DS18B20 → real binding → filters → detector → list sinks.</summary>
internal sealed class RiverSite
{
    public RiverSite(Scenario scenario, SensingSettings settings, ClockQuality quality = ClockQuality.Network)
    {
        Player = new ScenarioPlayer(scenario);
        long start = Player.Replay?.Start.ToUnixTimeMilliseconds() ?? scenario.StartUtc.ToUnixTimeMilliseconds();
        WallStartMs = start;
        Clock = new VirtualClock(start, quality);
        Rig = new VirtualSensorRig(Player, Clock);
        RangerSettings = new UltrasonicSettings
        {
            Output = scenario.Snow != null ? RangerOutput.SnowDepth : RangerOutput.WaterLevel,
            ReferenceMm = (int)scenario.Ranger.MountHeightMm,
        };
        Ranger = new UartUltrasonicRanger(Rig.Ranger, Rig.Thermometer, RangerSettings, sendTrigger: false);
        Stuck = new StuckFilter(20);
        Spike = new SpikeFilter(300, 3);
        Chain = new FilterChain(new IReadingFilter[] { Stuck, Spike });
        Readings = new ListReadingSink();
        Events = new ListEventSink(Clock);
        Settings = settings;
        Detector = new EventDetector(settings, Events, Readings, 1);
        Pipeline = new SamplingPipeline(Clock, new ISensorSource[] { Ranger }, new[] { Chain }, Detector);
        Runner = new ScenarioRunner(Clock, Rig, Pipeline);
    }

    public long WallStartMs { get; }
    public ScenarioPlayer Player { get; }
    public VirtualClock Clock { get; }
    public VirtualSensorRig Rig { get; }
    public UltrasonicSettings RangerSettings { get; }
    public UartUltrasonicRanger Ranger { get; }
    public StuckFilter Stuck { get; }
    public SpikeFilter Spike { get; }
    public FilterChain Chain { get; }
    public ListReadingSink Readings { get; }
    public ListEventSink Events { get; }
    public SensingSettings Settings { get; }
    public EventDetector Detector { get; }
    public SamplingPipeline Pipeline { get; }
    public ScenarioRunner Runner { get; }

    /// <summary>Scenario time (uptime ms) of a reading's wall time stamp.</summary>
    public long ScenarioMs(in Reading r) => r.TimeMs - WallStartMs;
}
