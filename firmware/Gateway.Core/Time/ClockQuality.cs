namespace Gateway.Core.Time
{
    /// <summary>Where the wall clock came from, best last. Readings taken while it is unknown are re-stamped later.</summary>
    public enum ClockQuality : byte
    {
        /// <summary>No wall time yet since this boot: only uptime is trustworthy.</summary>
        Unknown = 0,

        /// <summary>Set by a technician on the console.</summary>
        Technician = 1,

        /// <summary>Set from the network (LoRaWAN DeviceTimeReq, cellular NITZ, NTP, or a time-sync downlink).</summary>
        Network = 2,

        /// <summary>Set from a GNSS fix.</summary>
        Gnss = 3,
    }
}
