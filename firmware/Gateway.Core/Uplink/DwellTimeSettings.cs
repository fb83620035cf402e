namespace Gateway.Core.Uplink
{
    /// <summary>
    /// The band rules and network policy <see cref="DwellTimeBudget"/> enforces. Defaults: Japan 920 MHz band with
    /// 128 µs carrier sense (ARIB STD-T108): at most 400 ms a transmission, at most 360 s of transmission in any hour,
    /// 10 % safety margin, no daily fair-use limit.
    /// </summary>
    public sealed class DwellTimeSettings
    {
        /// <summary>Longest single transmission in microseconds (400,000 with 128 µs carrier sense; 4,000,000 with 5 ms).</summary>
        public long MaxTransmissionUs = As923.MaxDwellMicroseconds;

        /// <summary>Total transmission allowed in any rolling hour, microseconds (band rule: 360 s).</summary>
        public long HourlyLimitUs = 360000000L;

        /// <summary>Share of the hourly limit kept in reserve, percent 0..90 (default 10: plan for 324 s an hour).</summary>
        public int SafetyMarginPercent = 10;

        /// <summary>Fair-use budget per rolling 24 hours in microseconds (public networks, e.g. TTN 30 s = 30,000,000); 0 = none.</summary>
        public long DailyFairUseUs;

        /// <summary>Minimum pause between the end of one transmission and the start of the next, ms (default 50).</summary>
        public int MinPauseMs = 50;

        /// <summary>True when the AS923 uplink dwell limit applies (Japan): payload caps 11/53/125/242 B at DR2..DR5.</summary>
        public bool UplinkDwellLimit = true;

        /// <summary>
        /// True when the radio must listen before talk (Japan: carrier sense ≥ 128 µs before each transmission). The
        /// module performs it (RUI3 AT+LBT); the budget only records that it is required.
        /// </summary>
        public bool ListenBeforeTalk = true;

        /// <summary>The hourly limit after the safety margin, microseconds.</summary>
        public long EffectiveHourlyLimitUs
        {
            get
            {
                int margin = SafetyMarginPercent < 0 ? 0 : (SafetyMarginPercent > 90 ? 90 : SafetyMarginPercent);
                return HourlyLimitUs * (100 - margin) / 100;
            }
        }
    }
}
