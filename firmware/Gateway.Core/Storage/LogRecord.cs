using Gateway.Core.Sensing;

namespace Gateway.Core.Storage
{
    /// <summary>One record of the log as read back: a reading, gap, event, alarm or marker with its sequence.</summary>
    public struct LogRecord
    {
        /// <summary>Sequence number (strictly increasing, never reused).</summary>
        public uint Sequence;

        /// <summary>What the record is.</summary>
        public RecordKind Kind;

        /// <summary>Channel of a reading, event or alarm (0 when none).</summary>
        public ChannelId Channel;

        /// <summary>Milliseconds since 1970-01-01 UTC (or boot uptime when the reading says TimeUnknown).</summary>
        public long TimeMs;

        /// <summary>Reading value in the channel's fixed-point unit; for events and alarms a value they carry.</summary>
        public int Value;

        /// <summary>Quality flags of a reading.</summary>
        public ReadingStatus Status;

        /// <summary>Event, alarm or marker code (0 for readings and gaps).</summary>
        public ushort Code;

        /// <summary>For a gap: how many sequences from <see cref="Sequence"/> it covers (≥ 1); 1 otherwise.</summary>
        public uint Span;

        /// <summary>The last sequence this record covers.</summary>
        public uint LastCovered
        {
            get { return Kind == RecordKind.Gap ? Sequence + Span - 1 : Sequence; }
        }

        /// <summary>The record as a reading (meaningful for <see cref="RecordKind.Reading"/>).</summary>
        public Reading ToReading()
        {
            return new Reading(Channel, TimeMs, Value, Status);
        }
    }
}
