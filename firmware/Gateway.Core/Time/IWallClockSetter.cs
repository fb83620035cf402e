namespace Gateway.Core.Time
{
    /// <summary>Sets the wall clock (from a time-sync downlink, the network, GNSS or a technician).</summary>
    public interface IWallClockSetter
    {
        /// <summary>Sets the wall time now, with the quality of its source.</summary>
        void SetWallTime(long wallTimeMs, ClockQuality quality);
    }
}
