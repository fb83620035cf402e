namespace Gateway.Core.Downlink
{
    /// <summary>What a downlink asks of the gateway. The numbers are on air: never renumber.</summary>
    public enum DownlinkKind : byte
    {
        /// <summary>Not a valid kind.</summary>
        None = 0,

        /// <summary>Sequence ranges the cloud has stored.</summary>
        Ack = 1,

        /// <summary>Wall-clock time.</summary>
        Time = 2,

        /// <summary>A configuration document (JSON).</summary>
        Config = 3,

        /// <summary>Resend a time range of history.</summary>
        History = 4,

        /// <summary>Sample and send at a given cadence for a while.</summary>
        Cadence = 5,

        /// <summary>Persist state and reboot.</summary>
        Reboot = 6,
    }
}
