using System;
using Gateway.Bindings.Battery;
using Gateway.Bindings.Inclinometer;
using Gateway.Bindings.Pressure;
using Gateway.Bindings.Ultrasonic;
using Gateway.Core.Sensing;
using Gateway.Core.Sensing.Events;
using Gateway.Core.Sensing.Filters;
using Gateway.Virtual.Scenarios;
using Gateway.Virtual.Sensors;
using Gateway.Virtual.Time;
using Xunit;
using Xunit.Abstractions;

namespace Gateway.Tests.Sensing;

public class AllocationTests
{
    private readonly ITestOutputHelper _output;

    public AllocationTests(ITestOutputHelper output) => _output = output;

    private sealed class CountingSink : IReadingSink, ISensingEventSink
    {
        public int Readings;
        public int Events;
        public int Alarms;

        public void Accept(ref Reading reading) => Readings++;

        public void Accept(ref SensingEvent sensingEvent)
        {
            Events++;
            if (sensingEvent.Priority == EventPriority.Alarm)
            {
                Alarms++;
            }
        }
    }

    private static (SamplingPipeline Pipeline, ScenarioRunner Runner, CountingSink Sink, VirtualClock Clock) BuildRig()
    {
        var scenario = new Scenario
        {
            Seed = 99,
            DurationHours = 400,
            River = new RiverSpec { BaseLevelMm = 800, RiseMmPerMmPerHour = 60, ReservoirHours = 1, Rain = { new RateSpell { StartHour = 30, Hours = 6, MmPerHour = 40 } } },
            Slope = new SlopeSpec { InitialPitchDegrees = 2, CreepDegreesPerDay = 0.1 },
            Ranger = new RangerSpec { MountHeightMm = 4000, FalseEchoProbability = 0.03, GarbageFrameProbability = 0.01 },
        };
        var player = new ScenarioPlayer(scenario);
        var clock = new VirtualClock(scenario.StartUtc.ToUnixTimeMilliseconds());
        var rig = new VirtualSensorRig(player, clock);
        var ranger = new UartUltrasonicRanger(rig.Ranger, rig.Thermometer, new UltrasonicSettings { ReferenceMm = 4000 }, false);
        var pressure = new PressureTransducer(rig.Adc, rig.Barometer, new PressureSettings { Output = PressureOutput.Pressure });
        var incl = new Inclinometer(rig.Accelerometer, new InclinometerSettings());
        var battery = new SupplyVoltageMonitor(rig.Battery, new SupplyVoltageSettings());
        var sink = new CountingSink();
        var settings = new SensingSettings
        {
            ObservationStartLevelMm = 1200, StandbyLevelMm = 1300, CautionLevelMm = 1500, EvacuationDecisionLevelMm = 1700,
            RateOfRiseMmPer10Min = 30, TiltChangeAlarmMillidegrees = 5000,
        };
        var detector = new EventDetector(settings, sink, sink, 5);
        var pipeline = new SamplingPipeline(clock,
            new ISensorSource[] { ranger, pressure, incl.Pitch, incl.Roll, battery },
            new[]
            {
                new FilterChain(new IReadingFilter[] { new SpikeFilter(300, 3), new LinearCalibrationFilter(1000000, 0) }),
                new FilterChain(new IReadingFilter[] { new MedianFilter(5), new DeadbandFilter(5, 600000) }),
                new FilterChain(new IReadingFilter[] { new MedianFilter(5) }),
                new FilterChain(new IReadingFilter[] { new MedianFilter(5) }),
                new FilterChain(new IReadingFilter[] { new RangeCheckFilter(3000, 4500), new HeartbeatFilter(600000) }),
            },
            detector);
        var runner = new ScenarioRunner(clock, rig, pipeline);
        return (pipeline, runner, sink, clock);
    }

    [Fact]
    public void The_sampling_cycle_allocates_nothing_over_10000_cycles_including_alarms_and_ring_commits()
    {
        // Warm up on a first, identical rig through the whole span (every method JIT-compiled and tiered up, which
        // the runtime does on background threads that may lag on a loaded machine), then measure a second rig.
        var warm = BuildRig();
        while (warm.Pipeline.Cycles < 10500)
        {
            warm.Runner.RunUntil(warm.Pipeline.Scheduler.NextDueUptimeMs);
        }

        System.Threading.Thread.Sleep(300);
        var (pipeline, runner, sink, clock) = BuildRig();
        while (pipeline.Cycles < 500)
        {
            runner.RunUntil(pipeline.Scheduler.NextDueUptimeMs);
        }

        int alarmsBefore = sink.Alarms, readingsBefore = sink.Readings, eventsBefore = sink.Events;
        long before = GC.GetAllocatedBytesForCurrentThread();
        while (pipeline.Cycles < 10500)
        {
            runner.RunUntil(pipeline.Scheduler.NextDueUptimeMs);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        _output.WriteLine($"10000 cycles ({clock.UptimeMs / 3600000.0:F1} virtual h): {allocated} bytes allocated; {sink.Readings - readingsBefore} readings recorded, {sink.Events - eventsBefore} events ({sink.Alarms - alarmsBefore} alarms) in the measured span");
        Assert.True(sink.Alarms - alarmsBefore > 0, "the measured span should include alarms and ring commits");
        Gateway.Tests.Support.SteadyAllocation.AssertNone(allocated, () =>
        {
            // The next 10,000 cycles of the same rig.
            long next = GC.GetAllocatedBytesForCurrentThread();
            while (pipeline.Cycles < 20500)
            {
                runner.RunUntil(pipeline.Scheduler.NextDueUptimeMs);
            }

            return GC.GetAllocatedBytesForCurrentThread() - next;
        }, 4096, "the sampling cycle (10,000 cycles a span)");
    }
}
