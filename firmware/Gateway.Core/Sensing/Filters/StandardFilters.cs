namespace Gateway.Core.Sensing.Filters
{
    /// <summary>
    /// The filter chain each channel runs through, one definition for the ESP32's composition, the virtual gateway
    /// and the simulator (so a simulated deployment filters as the board does). Levels and depths: a stuck sensor is
    /// flagged after 20 identical values, a lone jump of more than 300 mm is held until 3 readings confirm it. Tilt:
    /// the median of 5 (vibration and traffic). Everything else passes unfiltered.
    /// </summary>
    public static class StandardFilters
    {
        /// <summary>Identical level readings in a row that mean a stuck sensor.</summary>
        public const int StuckRepeats = 20;

        /// <summary>Largest level step, mm, accepted without confirmation.</summary>
        public const int SpikeStepMm = 300;

        /// <summary>Readings that confirm a larger step.</summary>
        public const int SpikeConfirmations = 3;

        /// <summary>Window of the tilt median.</summary>
        public const int TiltMedianWindow = 5;

        /// <summary>A new chain for <paramref name="channel"/> (filters keep state: one chain per source).</summary>
        public static FilterChain For(ChannelId channel)
        {
            switch (channel)
            {
                case ChannelId.WaterLevelMillimeters:
                case ChannelId.SnowDepthMillimeters:
                case ChannelId.DistanceMillimeters:
                    return new FilterChain(new IReadingFilter[] { new StuckFilter(StuckRepeats), new SpikeFilter(SpikeStepMm, SpikeConfirmations) });
                case ChannelId.TiltXMillidegrees:
                case ChannelId.TiltYMillidegrees:
                    return new FilterChain(new IReadingFilter[] { new MedianFilter(TiltMedianWindow) });
                default:
                    return new FilterChain(new IReadingFilter[0]);
            }
        }
    }
}
