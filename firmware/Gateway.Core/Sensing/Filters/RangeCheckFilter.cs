namespace Gateway.Core.Sensing.Filters
{
    /// <summary>Flags values outside the site's plausible range as OutOfRange (kept, never dropped).</summary>
    public sealed class RangeCheckFilter : IReadingFilter
    {
        private readonly int _min;
        private readonly int _max;

        /// <summary>Creates the check for [<paramref name="min"/>, <paramref name="max"/>] in the channel's unit.</summary>
        public RangeCheckFilter(int min, int max)
        {
            _min = min;
            _max = max;
        }

        /// <inheritdoc />
        public bool TryApply(ref Reading reading)
        {
            if (reading.Status == ReadingStatus.Ok && (reading.Value < _min || reading.Value > _max))
            {
                reading.Status |= ReadingStatus.OutOfRange;
            }

            return true;
        }
    }
}
