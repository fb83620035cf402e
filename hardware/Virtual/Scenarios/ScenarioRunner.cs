using System;
using Gateway.Core.Sensing;
using Gateway.Virtual.Sensors;
using Gateway.Virtual.Time;

namespace Gateway.Virtual.Scenarios;

/// <summary>
/// Drives a <see cref="SamplingPipeline"/> through a scenario on the virtual clock: jump to the next due sample,
/// apply the faults, run the cycle; many virtual days per second.
/// </summary>
public sealed class ScenarioRunner
{
    private readonly VirtualClock _clock;
    private readonly VirtualSensorRig _rig;
    private readonly SamplingPipeline _pipeline;

    /// <summary>Creates the runner.</summary>
    public ScenarioRunner(VirtualClock clock, VirtualSensorRig rig, SamplingPipeline pipeline)
    {
        _clock = clock;
        _rig = rig;
        _pipeline = pipeline;
    }

    /// <summary>Called after every cycle (for checks and figures).</summary>
    public Action<long>? AfterCycle { get; set; }

    /// <summary>Runs cycles until the uptime reaches <paramref name="untilMs"/>; returns the cycles run.</summary>
    public int RunUntil(long untilMs)
    {
        int cycles = 0;
        while (true)
        {
            long due = Math.Max(_pipeline.Scheduler.NextDueUptimeMs, _clock.UptimeMs);
            if (due > untilMs)
            {
                break;
            }

            _clock.Advance(due - _clock.UptimeMs);
            _rig.Sync();
            _pipeline.RunOnce();
            cycles++;
            AfterCycle?.Invoke(_clock.UptimeMs);
        }

        return cycles;
    }
}
