namespace Gateway.Core.Sensing.Events
{
    /// <summary>The cadence ladder's steps (MLIT crisis-management gauge rules).</summary>
    public enum CadenceMode : byte
    {
        /// <summary>Below the observation-start level: record at most every 10 min, send only the daily alive.</summary>
        Quiet = 0,

        /// <summary>Above the observation-start level (or an alarm active): record and send every 10 or 5 min.</summary>
        Observing = 1,

        /// <summary>Rising fast or at a high named level: record and send every 2 min.</summary>
        Rapid = 2,
    }
}
