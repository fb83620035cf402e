namespace Gateway.Bindings.Ultrasonic
{
    /// <summary>Site and part settings of an ultrasonic ranger (plain fields, loaded from the JSON configuration).</summary>
    public sealed class UltrasonicSettings
    {
        /// <summary>Pings per reading (median of N); 5 by default, at most 15.</summary>
        public int PingCount = 5;

        /// <summary>Extra attempts allowed for pings that fail (no echo, bad frame), in total per reading.</summary>
        public int ExtraAttempts = 5;

        /// <summary>Blanking distance: closer echoes are impossible (A02YYUW 30 mm, JSN-SR04T about 250 mm).</summary>
        public int BlankingMm = 30;

        /// <summary>Maximum range: further echoes are rejected (A02YYUW 4500 mm, JSN-SR04T 6000 mm).</summary>
        public int MaxRangeMm = 4500;

        /// <summary>Pings further than this from the median are rejected as false echoes, millimetres.</summary>
        public int InlierToleranceMm = 25;

        /// <summary>Inlier spread (max − min) above which the reading is flagged Noisy, millimetres.</summary>
        public int SpreadLimitMm = 15;

        /// <summary>Inliers needed for a clean reading; 0 means a majority of <see cref="PingCount"/>.</summary>
        public int Quorum;

        /// <summary>
        /// The fixed speed of sound (mm/s) the module's own firmware uses to compute its distance, re-scaled here to
        /// the real speed at the measured air temperature; 0 when the module compensates by itself.
        /// </summary>
        public int ModuleSpeedOfSoundMmPerSecond = 343200;

        /// <summary>What the distance is turned into.</summary>
        public RangerOutput Output = RangerOutput.WaterLevel;

        /// <summary>Mount height of the sensor face above the gauge datum, or the distance to bare ground, mm.</summary>
        public int ReferenceMm;

        /// <summary>
        /// Readings in a row whose pings are all the same raw value as the previous reading's before the reading is
        /// flagged Stuck (0: off). Real water moves by more than the 1 mm resolution between pings.
        /// </summary>
        public int StuckReadings = 6;

        /// <summary>The majority quorum when <see cref="Quorum"/> is 0.</summary>
        public int EffectiveQuorum
        {
            get { return Quorum > 0 ? Quorum : PingCount / 2 + 1; }
        }
    }
}
