namespace Gateway.Core.Time
{
    /// <summary>
    /// The one clock of the firmware: monotonic uptime plus a wall clock with its quality. The device backs it with
    /// the hardware timer and RTC; the simulator with a virtual clock that runs many days per second.
    /// </summary>
    public interface IClock
    {
        /// <summary>Milliseconds since this boot; never goes backwards within a boot.</summary>
        long UptimeMs { get; }

        /// <summary>Milliseconds since 1970-01-01 UTC; meaningful only when <see cref="Quality"/> is not Unknown.</summary>
        long WallTimeMs { get; }

        /// <summary>Where the wall time came from.</summary>
        ClockQuality Quality { get; }
    }
}
