namespace Gateway.Core.Sensing.Filters
{
    /// <summary>
    /// Drops a valid reading that moved less than <c>band</c> from the last one passed, unless <c>heartbeatMs</c>
    /// has passed since then (the heartbeat: a value at least that often even when nothing changes).
    /// Flagged readings always pass.
    /// </summary>
    public sealed class DeadbandFilter : IReadingFilter
    {
        private readonly int _band;
        private readonly long _heartbeatMs;
        private bool _primed;
        private int _lastValue;
        private long _lastTimeMs;

        /// <summary>Creates the filter; <paramref name="heartbeatMs"/> 0 disables the heartbeat.</summary>
        public DeadbandFilter(int band, long heartbeatMs)
        {
            _band = band;
            _heartbeatMs = heartbeatMs;
        }

        /// <inheritdoc />
        public bool TryApply(ref Reading reading)
        {
            if (reading.Status != ReadingStatus.Ok)
            {
                return true;
            }

            int delta = reading.Value - _lastValue;
            if (delta < 0)
            {
                delta = -delta;
            }

            bool heartbeat = _heartbeatMs > 0 && reading.TimeMs - _lastTimeMs >= _heartbeatMs;
            if (_primed && delta < _band && !heartbeat)
            {
                return false;
            }

            _primed = true;
            _lastValue = reading.Value;
            _lastTimeMs = reading.TimeMs;
            return true;
        }
    }
}
