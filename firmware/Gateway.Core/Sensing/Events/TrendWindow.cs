namespace Gateway.Core.Sensing.Events
{
    /// <summary>
    /// The change of a value over a fixed window (rate of rise per 10 min, snowfall per hour, tilt per day),
    /// from snapshots kept at a fixed spacing in preallocated arrays: no allocation per reading.
    /// </summary>
    public sealed class TrendWindow
    {
        private readonly long _windowMs;
        private readonly long _spacingMs;
        private readonly long[] _times;
        private readonly int[] _values;
        private int _newest = -1;
        private int _count;
        private long _latestTime;
        private int _latestValue;

        /// <summary>Creates a window of <paramref name="windowMs"/> with <paramref name="slots"/> snapshots across it.</summary>
        public TrendWindow(long windowMs, int slots)
        {
            if (slots < 1)
            {
                slots = 1;
            }

            _windowMs = windowMs;
            _spacingMs = windowMs / slots;
            _times = new long[slots * 2 + 2];
            _values = new int[slots * 2 + 2];
        }

        /// <summary>The window length, milliseconds.</summary>
        public long WindowMs
        {
            get { return _windowMs; }
        }

        /// <summary>Forgets the history (after a gap or a restart).</summary>
        public void Clear()
        {
            _newest = -1;
            _count = 0;
        }

        /// <summary>Adds a value at a monotonic time (uptime milliseconds).</summary>
        public void Add(long timeMs, int value)
        {
            _latestTime = timeMs;
            _latestValue = value;
            if (_count > 0 && timeMs - _times[_newest] < _spacingMs)
            {
                return;
            }

            _newest = (_newest + 1) % _times.Length;
            _times[_newest] = timeMs;
            _values[_newest] = value;
            if (_count < _times.Length)
            {
                _count++;
            }
        }

        /// <summary>
        /// The latest value minus the value one window earlier; false until a full window of history exists or
        /// when the history has a gap longer than a second window.
        /// </summary>
        public bool TryGetChange(out int change)
        {
            change = 0;
            long limit = _latestTime - _windowMs;
            for (int k = 0; k < _count; k++)
            {
                int i = (_newest - k + _times.Length) % _times.Length;
                if (_times[i] <= limit)
                {
                    if (_times[i] < limit - _windowMs)
                    {
                        return false;
                    }

                    change = _latestValue - _values[i];
                    return true;
                }
            }

            return false;
        }
    }
}
