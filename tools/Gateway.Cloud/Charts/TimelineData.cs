using System.Collections.Generic;

namespace Gateway.Cloud.Charts
{
    /// <summary>A point of a measured or true series: time (Unix ms UTC) and value in the series' unit.</summary>
    public readonly record struct SeriesPoint(long TimeMs, double Value, bool Flagged = false);

    /// <summary>An event drawn as a vertical marker with a label (an alarm, a cadence change).</summary>
    public readonly record struct TimelineMarker(long TimeMs, string Label);

    /// <summary>A span of time drawn as a shaded band (a link outage).</summary>
    public readonly record struct TimelineSpan(long StartMs, long EndMs, string Label);

    /// <summary>A horizontal reference line (an alarm level, the observation-start level).</summary>
    public readonly record struct LevelLine(string Label, double Value);

    /// <summary>Everything the deployment picture shows on one time axis.</summary>
    public sealed class TimelineData
    {
        private string? _truthLabel;

        /// <summary>Title of the picture.</summary>
        public string Title { get; set; } = "Gateway deployment";

        /// <summary>The gateway drawn (0: not one gateway's picture).</summary>
        public uint DeviceId { get; set; }

        /// <summary>Name and unit of the main quantity, e.g. "water level (mm)".</summary>
        public string ValueLabel { get; set; } = "water level (mm)";

        /// <summary>
        /// The legend's name of the true series: "true " and the quantity of <see cref="ValueLabel"/> without its unit
        /// ("true water level", "true snow depth", "true pitch"), unless set.
        /// </summary>
        public string TruthLabel
        {
            get => _truthLabel ?? "true " + (ValueLabel.IndexOf(" (", System.StringComparison.Ordinal) is var i and > 0 ? ValueLabel[..i] : ValueLabel);
            set => _truthLabel = value;
        }

        /// <summary>The span the zoom panel shows (Unix ms); null: around the alarms when they sit in a short part of the run.</summary>
        public (long StartMs, long EndMs)? Zoom { get; set; }

        /// <summary>The true value, from the scenario's physics.</summary>
        public List<SeriesPoint> Truth { get; } = new();

        /// <summary>The readings the cloud received and stored (flagged ones drawn apart).</summary>
        public List<SeriesPoint> Received { get; } = new();

        /// <summary>Sampling cadence in seconds over time, as steps (a point each time it changes).</summary>
        public List<SeriesPoint> CadenceSeconds { get; } = new();

        /// <summary>Alarms raised by the gateway, at the time the cloud received them or were measured.</summary>
        public List<TimelineMarker> Alarms { get; } = new();

        /// <summary>Link outages.</summary>
        public List<TimelineSpan> Outages { get; } = new();

        /// <summary>Spans without readings (drawn grey, apart from outages).</summary>
        public List<TimelineSpan> Gaps { get; } = new();

        /// <summary>Power cuts (instants).</summary>
        public List<long> PowerCuts { get; } = new();

        /// <summary>Reference levels drawn as dashed lines.</summary>
        public List<LevelLine> Levels { get; } = new();
    }
}
