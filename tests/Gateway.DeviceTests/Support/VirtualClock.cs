using Gateway.Core.Time;

namespace Gateway.DeviceTests.Support
{
    /// <summary>
    /// A clock the test moves: uptime and wall time advance only in <see cref="Advance"/>, so a simulated day takes
    /// no real time. <see cref="Reboot"/> restarts uptime as a reset does (the RTC keeps the wall time).
    /// </summary>
    public sealed class VirtualClock : IClock, IWallClockSetter
    {
        private long _uptimeMs;
        private long _wallMs;
        private ClockQuality _quality;

        /// <summary>Creates the clock at a wall time of a given quality, uptime 0.</summary>
        public VirtualClock(long wallMs, ClockQuality quality)
        {
            _wallMs = wallMs;
            _quality = quality;
        }

        /// <inheritdoc />
        public long UptimeMs
        {
            get { return _uptimeMs; }
        }

        /// <inheritdoc />
        public long WallTimeMs
        {
            get { return _wallMs; }
        }

        /// <inheritdoc />
        public ClockQuality Quality
        {
            get { return _quality; }
        }

        /// <summary>Times the wall clock was set through <see cref="IWallClockSetter"/>.</summary>
        public int WallTimeSets { get; private set; }

        /// <summary>Moves both clocks forward.</summary>
        public void Advance(long ms)
        {
            _uptimeMs += ms;
            _wallMs += ms;
        }

        /// <summary>A reset: uptime starts again from 0; the wall time continues.</summary>
        public void Reboot()
        {
            _uptimeMs = 0;
        }

        /// <inheritdoc />
        public void SetWallTime(long wallTimeMs, ClockQuality quality)
        {
            _wallMs = wallTimeMs;
            _quality = quality;
            WallTimeSets++;
        }
    }
}
