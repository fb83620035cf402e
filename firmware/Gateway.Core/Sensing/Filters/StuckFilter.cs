namespace Gateway.Core.Sensing.Filters
{
    /// <summary>
    /// Flags Stuck when the same value comes <c>repeats</c> times in a row (a frozen ADC, a ranger repeating its last
    /// frame). Put it first in the chain, on the raw value. Flagged readings from the source do not count.
    /// </summary>
    public sealed class StuckFilter : IReadingFilter
    {
        private readonly int _repeats;
        private int _last;
        private int _run;

        /// <summary>Creates the detector; <paramref name="repeats"/> identical values in a row mean stuck (at least 2).</summary>
        public StuckFilter(int repeats)
        {
            _repeats = repeats < 2 ? 2 : repeats;
        }

        /// <inheritdoc />
        public bool TryApply(ref Reading reading)
        {
            if ((reading.Status & (ReadingStatus.NoEcho | ReadingStatus.LoopFault | ReadingStatus.BusError)) != 0)
            {
                return true;
            }

            if (_run > 0 && reading.Value == _last)
            {
                _run++;
            }
            else
            {
                _last = reading.Value;
                _run = 1;
            }

            if (_run >= _repeats)
            {
                reading.Status |= ReadingStatus.Stuck;
            }

            return true;
        }
    }
}
