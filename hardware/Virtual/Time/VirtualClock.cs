using Gateway.Core.Time;

namespace Gateway.Virtual.Time
{
    /// <summary>
    /// A clock that only moves when told to: the simulator and the tests advance it, so a run of many virtual days
    /// takes seconds and every run with the same seed replays exactly.
    /// </summary>
    public sealed class VirtualClock : IClock
    {
        private long _wallAtBootMs;

        /// <summary>Creates a clock at uptime 0 with the given wall time (Unix milliseconds) and quality.</summary>
        public VirtualClock(long wallTimeMs, ClockQuality quality = ClockQuality.Network)
        {
            _wallAtBootMs = wallTimeMs;
            Quality = quality;
        }

        /// <inheritdoc />
        public long UptimeMs { get; private set; }

        /// <inheritdoc />
        public long WallTimeMs => _wallAtBootMs + UptimeMs;

        /// <inheritdoc />
        public ClockQuality Quality { get; private set; }

        /// <summary>Moves time forward; a negative step is refused.</summary>
        public void Advance(long milliseconds)
        {
            if (milliseconds < 0)
            {
                throw new System.ArgumentOutOfRangeException(nameof(milliseconds), "time only moves forward");
            }

            UptimeMs += milliseconds;
        }

        /// <summary>A reboot or a deep-sleep wake: uptime restarts at 0 and the wall time is unknown until set again.</summary>
        public void Reboot(bool keepWallTime)
        {
            _wallAtBootMs += UptimeMs;
            UptimeMs = 0;
            if (!keepWallTime)
            {
                Quality = ClockQuality.Unknown;
            }
        }

        /// <summary>Sets the wall time now, with the quality of its source.</summary>
        public void SetWallTime(long wallTimeMs, ClockQuality quality)
        {
            _wallAtBootMs = wallTimeMs - UptimeMs;
            Quality = quality;
        }
    }
}
