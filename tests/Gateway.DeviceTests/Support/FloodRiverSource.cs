using Gateway.Core.Sensing;
using Gateway.Core.Time;

namespace Gateway.DeviceTests.Support
{
    /// <summary>
    /// A river gauge for the node tests, computed from the wall clock so it carries on across reboots: a base level,
    /// a flood wave (linear rise, crest, linear fall) and a few millimetres of deterministic ripple. Millimetres above
    /// the gauge zero; allocates nothing.
    /// </summary>
    public sealed class FloodRiverSource : ISensorSource
    {
        private readonly IClock _clock;
        private readonly long _t0;

        /// <summary>Level before and after the flood, mm.</summary>
        public int BaseMm = 900;

        /// <summary>Level at the crest, mm.</summary>
        public int CrestMm = 2700;

        /// <summary>Start of the rise, ms after t0.</summary>
        public long RiseStartMs = 8L * 3600000;

        /// <summary>Crest reached, ms after t0.</summary>
        public long CrestStartMs = 11L * 3600000;

        /// <summary>Start of the fall, ms after t0.</summary>
        public long FallStartMs = 12L * 3600000;

        /// <summary>Back to the base level, ms after t0.</summary>
        public long FallEndMs = 18L * 3600000;

        /// <summary>Samples taken.</summary>
        public int Samples { get; private set; }

        /// <summary>Creates the gauge over a clock; the hydrograph's times count from <paramref name="t0"/> (wall ms).</summary>
        public FloodRiverSource(IClock clock, long t0)
        {
            _clock = clock;
            _t0 = t0;
        }

        /// <inheritdoc />
        public ChannelId Channel
        {
            get { return ChannelId.WaterLevelMillimeters; }
        }

        /// <summary>The level at <paramref name="wallMs"/> (without ripple), mm.</summary>
        public int LevelAt(long wallMs)
        {
            long t = wallMs - _t0;
            if (t <= RiseStartMs || t >= FallEndMs)
            {
                return BaseMm;
            }

            if (t < CrestStartMs)
            {
                return BaseMm + (int)((CrestMm - BaseMm) * (t - RiseStartMs) / (CrestStartMs - RiseStartMs));
            }

            if (t < FallStartMs)
            {
                return CrestMm;
            }

            return CrestMm - (int)((CrestMm - BaseMm) * (t - FallStartMs) / (FallEndMs - FallStartMs));
        }

        /// <inheritdoc />
        public bool TrySample(ref Reading reading)
        {
            Samples++;
            long wall = _clock.WallTimeMs;
            reading.Value = LevelAt(wall) + (int)((wall / 60000) % 5) - 2;
            return true;
        }
    }

    /// <summary>A battery that drains 1 mV an hour from 3900 mV (a second channel in every batch).</summary>
    public sealed class DrainingBatterySource : ISensorSource
    {
        private readonly IClock _clock;
        private readonly long _t0;

        /// <summary>Creates the battery over a clock.</summary>
        public DrainingBatterySource(IClock clock, long t0)
        {
            _clock = clock;
            _t0 = t0;
        }

        /// <inheritdoc />
        public ChannelId Channel
        {
            get { return ChannelId.BatteryMillivolts; }
        }

        /// <inheritdoc />
        public bool TrySample(ref Reading reading)
        {
            reading.Value = 3900 - (int)((_clock.WallTimeMs - _t0) / 3600000);
            return true;
        }
    }
}
