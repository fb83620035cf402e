using System;
using System.Collections.Generic;
using Gateway.Core.Sensing;

namespace Gateway.Cloud.Decoding
{
    /// <summary>One decoded reading with its sequence.</summary>
    public readonly record struct DecodedReading(uint Sequence, Reading Reading);

    /// <summary>A structurally decoded batch (not yet authenticated: see <see cref="BatchVerifier"/>).</summary>
    public sealed class DecodedBatch
    {
        /// <summary>Format version (1 or 2).</summary>
        public int Version { get; init; }

        /// <summary>Key id that made the tag.</summary>
        public byte KeyId { get; init; }

        /// <summary>Device id.</summary>
        public uint DeviceId { get; init; }

        /// <summary>Boot counter.</summary>
        public uint BootCounter { get; init; }

        /// <summary>Sequence of the first reading.</summary>
        public uint FirstSequence { get; init; }

        /// <summary>Sequence of the last reading.</summary>
        public uint LastSequence { get; init; }

        /// <summary>The 2-byte chain link (prefix of the previous batch's tag).</summary>
        public ushort Link { get; init; }

        /// <summary>Base time, ms.</summary>
        public long BaseTimeMs { get; init; }

        /// <summary>Schedule period, ms.</summary>
        public long PeriodMs { get; init; }

        /// <summary>Channel list (the first <see cref="PatternLength"/> are the pattern).</summary>
        public IReadOnlyList<ChannelId> Channels { get; init; } = Array.Empty<ChannelId>();

        /// <summary>Pattern length.</summary>
        public int PatternLength { get; init; }

        /// <summary>Readings in sequence order.</summary>
        public IReadOnlyList<DecodedReading> Readings { get; init; } = Array.Empty<DecodedReading>();

        /// <summary>The truncated tag as carried.</summary>
        public byte[] Tag { get; init; } = Array.Empty<byte>();

        /// <summary>Bytes covered by the tag (from offset 0).</summary>
        public int AuthenticatedLength { get; init; }

        /// <summary>True when cycle times are coded as a time block rather than schedule exceptions.</summary>
        public bool TimeBlock { get; init; }

        /// <summary>True when the blocks are range coded rather than Rice coded.</summary>
        public bool RangeCoded { get; init; }

        /// <summary>True when the version-2 header was compact (sequence and time recovered by the receiver, §9.3).</summary>
        public bool Compact { get; init; }

        /// <summary>Exceptions coded in the batch.</summary>
        public int ExceptionCount { get; init; }
    }
}
