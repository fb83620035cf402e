namespace Gateway.Core.Sensing.Events
{
    /// <summary>
    /// A rate alarm with hysteresis over a <see cref="TrendWindow"/>: raised when the change over the window reaches
    /// the threshold (in absolute value when <c>bothDirections</c>), cleared when it has stayed below half of it for a
    /// whole window (a noisy rate estimate must not flap the alarm).
    /// </summary>
    public sealed class RateAlarm
    {
        private readonly TrendWindow _window;
        private readonly int _threshold;
        private readonly bool _bothDirections;
        private long _belowSinceMs = -1;

        /// <summary>Creates the alarm; a threshold of <see cref="SensingSettings.Disabled"/> never raises.</summary>
        public RateAlarm(long windowMs, int slots, int threshold, bool bothDirections)
        {
            _window = new TrendWindow(windowMs, slots);
            _threshold = threshold;
            _bothDirections = bothDirections;
        }

        /// <summary>True while raised.</summary>
        public bool Active { get; private set; }

        /// <summary>The change over the window at the last update (0 without enough history).</summary>
        public int LastChange { get; private set; }

        /// <summary>The threshold, in unit per window.</summary>
        public int Threshold
        {
            get { return _threshold; }
        }

        /// <summary>Adds a value; returns +1 when the alarm was raised now, −1 when cleared now, else 0.</summary>
        public int Update(long timeMs, int value)
        {
            _window.Add(timeMs, value);
            int change;
            if (!_window.TryGetChange(out change))
            {
                LastChange = 0;
                return 0;
            }

            LastChange = change;
            if (_threshold == SensingSettings.Disabled)
            {
                return 0;
            }

            int magnitude = _bothDirections && change < 0 ? -change : change;
            if (!Active && magnitude >= _threshold)
            {
                Active = true;
                return 1;
            }

            if (Active && magnitude < _threshold / 2)
            {
                if (_belowSinceMs < 0)
                {
                    _belowSinceMs = timeMs;
                }

                if (timeMs - _belowSinceMs >= _window.WindowMs)
                {
                    Active = false;
                    _belowSinceMs = -1;
                    return -1;
                }
            }
            else
            {
                _belowSinceMs = -1;
            }

            return 0;
        }
    }
}
