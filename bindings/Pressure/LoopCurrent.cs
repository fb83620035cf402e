namespace Gateway.Bindings.Pressure
{
    /// <summary>How a 4–20 mA loop current is classified per NAMUR NE 43.</summary>
    public enum LoopState : byte
    {
        /// <summary>4.0 .. 20.0 mA: a measurement.</summary>
        Measuring = 0,

        /// <summary>3.8 .. 4.0 mA: below the measuring range but still a signal (saturated low).</summary>
        UnderRange = 1,

        /// <summary>20.0 .. 20.5 mA: above the measuring range but still a signal (saturated high).</summary>
        OverRange = 2,

        /// <summary>Below 3.8 mA or above 20.5 mA: a failure (open loop, short, transmitter alarm), never a reading.</summary>
        Failure = 3,
    }

    /// <summary>Pure 4–20 mA loop math: shunt voltage to current and the NAMUR NE 43 limits.</summary>
    public static class LoopCurrent
    {
        /// <summary>Lowest current still a signal (NE 43), microamps.</summary>
        public const int FailureBelowMicroamps = 3800;

        /// <summary>Start of the measuring range, microamps.</summary>
        public const int ZeroMicroamps = 4000;

        /// <summary>End of the measuring range, microamps.</summary>
        public const int FullScaleMicroamps = 20000;

        /// <summary>Highest current still a signal (NE 43), microamps.</summary>
        public const int FailureAboveMicroamps = 20500;

        /// <summary>Loop current in microamps from the shunt voltage (µV) and the shunt resistance (milliohms).</summary>
        public static int ToMicroamps(int shuntMicrovolts, int shuntMilliohms)
        {
            return (int)((shuntMicrovolts * 1000L + shuntMilliohms / 2) / shuntMilliohms);
        }

        /// <summary>
        /// Classifies a loop current. NE 43 signals failures at ≤ 3.6 mA and ≥ 21 mA and leaves 3.6–3.8 and
        /// 20.5–21 mA undefined; both undefined bands are treated as failures here.
        /// </summary>
        public static LoopState Classify(int microamps)
        {
            if (microamps < FailureBelowMicroamps || microamps > FailureAboveMicroamps)
            {
                return LoopState.Failure;
            }

            if (microamps < ZeroMicroamps)
            {
                return LoopState.UnderRange;
            }

            if (microamps > FullScaleMicroamps)
            {
                return LoopState.OverRange;
            }

            return LoopState.Measuring;
        }
    }
}
