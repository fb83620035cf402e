namespace Gateway.Core.Uplink
{
    /// <summary>
    /// Draining order of pending data: alarms first, then the newest readings (what the town looks at now), then the
    /// backlog oldest first (filling the gaps an outage left).
    /// </summary>
    public enum PayloadClass : byte
    {
        /// <summary>Alarm state changes and event batches: sent before anything else, over any transport.</summary>
        Alarm = 0,

        /// <summary>The newest readings not yet sent.</summary>
        Newest = 1,

        /// <summary>Older unacknowledged readings, oldest first.</summary>
        Backfill = 2,
    }
}
