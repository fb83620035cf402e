namespace Gateway.Core.Sensing.Events
{
    /// <summary>
    /// The event logic of one site, as plain fields (loaded from the JSON configuration by the control layer).
    /// Levels in the channel's unit (millimetres for water level and snow depth, millidegrees for tilt); times in
    /// milliseconds. A level of <see cref="Disabled"/> (int.MaxValue) switches that rule off.
    /// </summary>
    public sealed class SensingSettings
    {
        /// <summary>The value meaning "rule switched off".</summary>
        public const int Disabled = int.MaxValue;

        // ---- Sampling -------------------------------------------------------------------------------------------

        /// <summary>Internal sampling interval feeding the pre-trigger ring and the rate windows (default 1 min).</summary>
        public int InternalIntervalMs = 60000;

        /// <summary>
        /// Internal sampling interval in quiet mode (default 5 min): below the observation-start level a wake every
        /// minute would cost a boot a minute on battery; two samples per 10-minute rate window still catch a rise.
        /// </summary>
        public int QuietSampleIntervalMs = 300000;

        /// <summary>Sampling interval while the value is within <see cref="ApproachMarginMm"/> below a level (default 5 s).</summary>
        public int ApproachIntervalMs = 5000;

        /// <summary>How close below the observation-start level or an alarm level the approach interval starts.</summary>
        public int ApproachMarginMm = 50;

        /// <summary>Length of the pre-trigger ring (default 30 min at the internal interval).</summary>
        public int PreTriggerMs = 1800000;

        // ---- MLIT cadence ladder ---------------------------------------------------------------------------------

        /// <summary>観測開始水位, the observation-start level (mm); below it: quiet mode.</summary>
        public int ObservationStartLevelMm = Disabled;

        /// <summary>The value must fall this far below the observation-start level to return to quiet mode.</summary>
        public int ObservationStartHysteresisMm = 50;

        /// <summary>Recording interval in quiet mode: at most 10 min (MLIT); nothing is sent but the daily alive.</summary>
        public int QuietIntervalMs = 600000;

        /// <summary>Recording and sending interval above the observation-start level: 10 min (large river) or 5 min (small).</summary>
        public int ObservingIntervalMs = 600000;

        /// <summary>Recording and sending interval in rapid mode (rapidly rising river, alarm level reached): 2 min.</summary>
        public int RapidIntervalMs = 120000;

        /// <summary>From this named level up the cadence is rapid.</summary>
        public AlarmLevel RapidFromLevel = AlarmLevel.Caution;

        /// <summary>Rapid mode lasts at least this long after the last rate trigger (default 1 h).</summary>
        public int RapidHoldMs = 3600000;

        /// <summary>The alive message interval (default 24 h).</summary>
        public int AliveIntervalMs = 86400000;

        // ---- Named river levels (hysteresis on the way down) ----------------------------------------------------

        /// <summary>水防団待機水位, standby level (mm).</summary>
        public int StandbyLevelMm = Disabled;

        /// <summary>はん濫注意水位, caution level (mm).</summary>
        public int CautionLevelMm = Disabled;

        /// <summary>避難判断水位, evacuation decision level (mm).</summary>
        public int EvacuationDecisionLevelMm = Disabled;

        /// <summary>はん濫危険水位, danger level (mm).</summary>
        public int DangerLevelMm = Disabled;

        /// <summary>A level alarm clears only below level − this (mm); larger than the noise, so that it never flaps.</summary>
        public int AlarmHysteresisMm = 30;

        // ---- Rate of rise ----------------------------------------------------------------------------------------

        /// <summary>Rise in mm per 10 min that switches to rapid cadence before any level is crossed.</summary>
        public int RateOfRiseMmPer10Min = Disabled;

        // ---- Snow (road crews) -----------------------------------------------------------------------------------

        /// <summary>Snow depth increase in mm per hour that raises a snowfall alert (30 = 3 cm/h).</summary>
        public int SnowfallAlertMmPerHour = Disabled;

        // ---- Slope -----------------------------------------------------------------------------------------------

        /// <summary>Tilt away from the installation zero (either axis) that raises an alarm, millidegrees.</summary>
        public int TiltChangeAlarmMillidegrees = Disabled;

        /// <summary>Hysteresis of the tilt change alarm, millidegrees.</summary>
        public int TiltChangeHysteresisMillidegrees = 100;

        /// <summary>Tilt change per hour that raises an alarm, millidegrees per hour.</summary>
        public int TiltRateAlarmMillidegreesPerHour = Disabled;

        /// <summary>Tilt change per day that raises an alarm, millidegrees per day.</summary>
        public int TiltRateAlarmMillidegreesPerDay = Disabled;

        /// <summary>The level threshold for a named level (Disabled when unset).</summary>
        public int LevelFor(AlarmLevel level)
        {
            switch (level)
            {
                case AlarmLevel.Standby: return StandbyLevelMm;
                case AlarmLevel.Caution: return CautionLevelMm;
                case AlarmLevel.EvacuationDecision: return EvacuationDecisionLevelMm;
                case AlarmLevel.Danger: return DangerLevelMm;
                default: return Disabled;
            }
        }
    }
}
