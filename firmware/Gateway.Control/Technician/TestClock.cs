using Gateway.Core.Time;

namespace Gateway.Control.Technician
{
    /// <summary>
    /// The clock the node runs over: the device clock plus an offset that only test mode moves ("cycle" advances it
    /// by one cadence period at a time, so hours of sampling run in seconds). Out of test mode the offset is zero and
    /// the node sees the device clock unchanged. Leaving test mode does not rewind (uptime never goes backwards): the
    /// offset stays until the next reboot, which the console says.
    /// </summary>
    public sealed class TestClock : IClock, IWallClockSetter
    {
        private readonly IClock _inner;
        private readonly IWallClockSetter _setter;

        /// <summary>Wraps the device clock and its setter (the setter may be null).</summary>
        public TestClock(IClock inner, IWallClockSetter setter)
        {
            _inner = inner;
            _setter = setter;
        }

        /// <summary>Milliseconds added to the device clock.</summary>
        public long OffsetMs { get; private set; }

        /// <summary>Moves the clock forward by <paramref name="ms"/> (≥ 0).</summary>
        public void Advance(long ms)
        {
            if (ms > 0)
            {
                OffsetMs += ms;
            }
        }

        /// <inheritdoc />
        public long UptimeMs
        {
            get { return _inner.UptimeMs + OffsetMs; }
        }

        /// <inheritdoc />
        public long WallTimeMs
        {
            get { return _inner.WallTimeMs + OffsetMs; }
        }

        /// <inheritdoc />
        public ClockQuality Quality
        {
            get { return _inner.Quality; }
        }

        /// <inheritdoc />
        public void SetWallTime(long wallTimeMs, ClockQuality quality)
        {
            if (_setter != null)
            {
                _setter.SetWallTime(wallTimeMs - OffsetMs, quality);
            }
        }
    }
}
