namespace Gateway.Core.Sensing
{
    /// <summary>
    /// One measurement: a channel, when it was measured, an integer value in the channel's fixed-point unit,
    /// and its quality. A small value type: readings are never allocated on the heap in the sampling path.
    /// </summary>
    public struct Reading
    {
        /// <summary>What was measured (the unit is in the channel's name).</summary>
        public ChannelId Channel;

        /// <summary>
        /// When it was measured: milliseconds since 1970-01-01 UTC; when <see cref="ReadingStatus.TimeUnknown"/>
        /// is set, milliseconds of uptime since the boot named by the log's boot counter instead.
        /// </summary>
        public long TimeMs;

        /// <summary>The value in the channel's fixed-point unit (millimetres, pascals, millidegrees, millivolts).</summary>
        public int Value;

        /// <summary>Quality flags; <see cref="ReadingStatus.Ok"/> for a valid reading.</summary>
        public ReadingStatus Status;

        /// <summary>Creates a reading.</summary>
        public Reading(ChannelId channel, long timeMs, int value, ReadingStatus status)
        {
            Channel = channel;
            TimeMs = timeMs;
            Value = value;
            Status = status;
        }

        /// <summary>True when no quality flag is set.</summary>
        public bool IsValid
        {
            get { return Status == ReadingStatus.Ok; }
        }
    }
}
