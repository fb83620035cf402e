namespace Gateway.Core.Downlink
{
    /// <summary>
    /// A decoded, verified downlink. One instance is allocated up front and filled by
    /// <see cref="DownlinkCodec.TryDecode"/>; the fields that matter depend on <see cref="Kind"/>.
    /// </summary>
    public sealed class DownlinkCommand
    {
        /// <summary>The most ack ranges one downlink may carry.</summary>
        public const int MaxAckRanges = 16;

        /// <summary>The longest configuration document one downlink may carry, bytes.</summary>
        public const int MaxConfigBytes = 1024;

        /// <summary>What is asked.</summary>
        public DownlinkKind Kind;

        /// <summary>Key id that made the tag.</summary>
        public byte KeyId;

        /// <summary>The gateway it is for.</summary>
        public uint DeviceId;

        /// <summary>The downlink counter (strictly increasing per device).</summary>
        public uint Counter;

        /// <summary>Ack: number of ranges in <see cref="AckFirst"/>/<see cref="AckCount"/>.</summary>
        public int AckRangeCount;

        /// <summary>Ack: first sequence of each range.</summary>
        public readonly uint[] AckFirst = new uint[MaxAckRanges];

        /// <summary>Ack: number of sequences in each range (≥ 1).</summary>
        public readonly uint[] AckCount = new uint[MaxAckRanges];

        /// <summary>Time: Unix ms UTC. History: start of the range, Unix ms.</summary>
        public long TimeMs;

        /// <summary>History: end of the range (exclusive), Unix ms.</summary>
        public long ToTimeMs;

        /// <summary>Cadence: seconds between samples. Reboot: delay in seconds.</summary>
        public uint Seconds;

        /// <summary>Cadence: how long the override lasts, seconds.</summary>
        public uint DurationSeconds;

        /// <summary>Config: the JSON document's bytes are <see cref="ConfigBytes"/>[0 .. ConfigLength).</summary>
        public readonly byte[] ConfigBytes = new byte[MaxConfigBytes];

        /// <summary>Config: length of the document in <see cref="ConfigBytes"/>.</summary>
        public int ConfigLength;

        /// <summary>Clears every field.</summary>
        public void Clear()
        {
            Kind = DownlinkKind.None;
            KeyId = 0;
            DeviceId = 0;
            Counter = 0;
            AckRangeCount = 0;
            TimeMs = 0;
            ToTimeMs = 0;
            Seconds = 0;
            DurationSeconds = 0;
            ConfigLength = 0;
        }
    }
}
