namespace Gateway.Core.Sensing
{
    /// <summary>
    /// One event from the event detector: a small value type passed by reference, never allocated.
    /// </summary>
    public struct SensingEvent
    {
        /// <summary>What happened.</summary>
        public EventKind Kind;

        /// <summary>How urgently it must be sent.</summary>
        public EventPriority Priority;

        /// <summary>The channel whose reading caused it.</summary>
        public ChannelId Channel;

        /// <summary>The named level concerned (alarm events), else <see cref="AlarmLevel.None"/>.</summary>
        public AlarmLevel Level;

        /// <summary>Time of the reading that caused it (same convention as <see cref="Reading.TimeMs"/>).</summary>
        public long TimeMs;

        /// <summary>The value of that reading in the channel's unit (or a count, see <see cref="EventKind"/>).</summary>
        public int Value;

        /// <summary>The threshold crossed, in the channel's unit (or unit per window for rate events).</summary>
        public int Threshold;

        /// <summary>The measured rate for rate events (channel unit per the rate's window), else 0.</summary>
        public int Rate;

        /// <summary>The recording and sending cadence in force after this event, milliseconds.</summary>
        public int CadenceMs;

        /// <summary>The quality flags of the reading that caused it.</summary>
        public ReadingStatus Status;
    }
}
