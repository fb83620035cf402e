namespace Gateway.Core.Sensing.Filters
{
    /// <summary>
    /// Passes at most one valid reading per <c>intervalMs</c> (ESPHome's throttle/heartbeat on a fast source);
    /// flagged readings always pass.
    /// </summary>
    public sealed class HeartbeatFilter : IReadingFilter
    {
        private readonly long _intervalMs;
        private bool _primed;
        private long _lastTimeMs;

        /// <summary>Creates the filter.</summary>
        public HeartbeatFilter(long intervalMs)
        {
            _intervalMs = intervalMs;
        }

        /// <inheritdoc />
        public bool TryApply(ref Reading reading)
        {
            if (reading.Status != ReadingStatus.Ok)
            {
                return true;
            }

            if (_primed && reading.TimeMs - _lastTimeMs < _intervalMs)
            {
                return false;
            }

            _primed = true;
            _lastTimeMs = reading.TimeMs;
            return true;
        }
    }
}
