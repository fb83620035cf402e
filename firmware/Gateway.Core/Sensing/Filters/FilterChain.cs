namespace Gateway.Core.Sensing.Filters
{
    /// <summary>Raw value → small filters in order → output, as ESPHome's sensor filters; the first drop stops the chain.</summary>
    public sealed class FilterChain
    {
        private readonly IReadingFilter[] _filters;

        /// <summary>Creates a chain over the given steps, applied in array order (an empty array passes everything).</summary>
        public FilterChain(IReadingFilter[] filters)
        {
            _filters = filters == null ? new IReadingFilter[0] : filters;
        }

        /// <summary>Number of steps.</summary>
        public int Count
        {
            get { return _filters.Length; }
        }

        /// <summary>Readings dropped by a step since construction.</summary>
        public int Dropped { get; private set; }

        /// <summary>Runs every step; false when one dropped the reading.</summary>
        public bool TryApply(ref Reading reading)
        {
            for (int i = 0; i < _filters.Length; i++)
            {
                if (!_filters[i].TryApply(ref reading))
                {
                    Dropped++;
                    return false;
                }
            }

            return true;
        }
    }
}
