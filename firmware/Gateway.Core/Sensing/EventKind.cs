namespace Gateway.Core.Sensing
{
    /// <summary>What a sensing event reports. Appears on air: never renumber, only append.</summary>
    public enum EventKind : byte
    {
        /// <summary>A named alarm level was reached or exceeded (<see cref="SensingEvent.Level"/> says which).</summary>
        AlarmRaised = 1,

        /// <summary>The value fell back below an alarm level minus its hysteresis.</summary>
        AlarmCleared = 2,

        /// <summary>The recording and sending cadence changed (<see cref="SensingEvent.CadenceMs"/> is the new one).</summary>
        CadenceChanged = 3,

        /// <summary>The level rose faster than the configured rate (<see cref="SensingEvent.Rate"/> in unit per window).</summary>
        RateOfRise = 4,

        /// <summary>The daily alive message is due (quiet mode sends nothing else).</summary>
        Alive = 5,

        /// <summary>The pre-trigger ring was committed to the sink (<see cref="SensingEvent.Value"/> = readings committed).</summary>
        PreTriggerCommitted = 6,

        /// <summary>Snowfall faster than the alert rate (<see cref="SensingEvent.Rate"/> in mm of depth per hour).</summary>
        SnowfallRate = 7,

        /// <summary>Tilt moved further from the installation zero than the alarm limit (millidegrees).</summary>
        TiltChange = 8,

        /// <summary>Tilt changed faster than the per-hour limit (millidegrees per hour).</summary>
        TiltRateHourly = 9,

        /// <summary>Tilt changed faster than the per-day limit (millidegrees per day).</summary>
        TiltRateDaily = 10,

        /// <summary>The rate that raised a rate alarm fell back (snowfall, rate of rise, tilt rate).</summary>
        RateCleared = 11,
    }
}
