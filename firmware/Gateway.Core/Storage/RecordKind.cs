namespace Gateway.Core.Storage
{
    /// <summary>What a log record is. Every kind takes one sequence number from the same space.</summary>
    public enum RecordKind : byte
    {
        /// <summary>An ordinary reading (may be thinned by the capacity policy, with a gap record).</summary>
        Reading = 0,

        /// <summary>Sequences dropped by the capacity policy: <see cref="LogRecord.Span"/> numbers from its own.</summary>
        Gap = 1,

        /// <summary>An event (state change, configuration applied, ...): outlives ordinary readings.</summary>
        Event = 2,

        /// <summary>An alarm: kept longest, sent first.</summary>
        Alarm = 3,

        /// <summary>A marker written by the log itself (power failing, ...).</summary>
        Marker = 4,
    }
}
