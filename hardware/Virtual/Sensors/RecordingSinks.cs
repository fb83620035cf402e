using System.Collections.Generic;
using Gateway.Core.Sensing;

namespace Gateway.Virtual.Sensors;

/// <summary>A reading sink that keeps everything in a list (simulator and tests; storage replaces it on the device).</summary>
public sealed class ListReadingSink : IReadingSink
{
    /// <summary>The readings accepted, in order.</summary>
    public List<Reading> Readings { get; } = new();

    /// <inheritdoc />
    public void Accept(ref Reading reading) => Readings.Add(reading);
}

/// <summary>An event sink that keeps everything with the uptime it arrived at.</summary>
public sealed class ListEventSink : ISensingEventSink
{
    private readonly Gateway.Core.Time.IClock? _clock;

    /// <summary>Creates the sink; with a clock, each event's arrival uptime is kept.</summary>
    public ListEventSink(Gateway.Core.Time.IClock? clock = null) => _clock = clock;

    /// <summary>The events accepted, in order.</summary>
    public List<SensingEvent> Events { get; } = new();

    /// <summary>Uptime at which each event arrived, ms.</summary>
    public List<long> ArrivalUptimeMs { get; } = new();

    /// <inheritdoc />
    public void Accept(ref SensingEvent sensingEvent)
    {
        Events.Add(sensingEvent);
        ArrivalUptimeMs.Add(_clock?.UptimeMs ?? 0);
    }
}
