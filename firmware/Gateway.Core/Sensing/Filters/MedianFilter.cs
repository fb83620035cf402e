namespace Gateway.Core.Sensing.Filters
{
    /// <summary>
    /// Replaces a valid value by the median of the last <c>window</c> valid values (a sliding median across
    /// readings; the ranger's median of pings works within one reading). Flagged readings pass unchanged.
    /// </summary>
    public sealed class MedianFilter : IReadingFilter
    {
        private readonly int[] _history;
        private readonly int[] _sorted;
        private int _count;
        private int _next;

        /// <summary>Creates the filter over an odd window (3, 5, 7 ...).</summary>
        public MedianFilter(int window)
        {
            if (window < 1)
            {
                window = 1;
            }

            _history = new int[window];
            _sorted = new int[window];
        }

        /// <inheritdoc />
        public bool TryApply(ref Reading reading)
        {
            if (reading.Status != ReadingStatus.Ok)
            {
                return true;
            }

            _history[_next] = reading.Value;
            _next = (_next + 1) % _history.Length;
            if (_count < _history.Length)
            {
                _count++;
            }

            for (int i = 0; i < _count; i++)
            {
                int v = _history[i];
                int j = i - 1;
                while (j >= 0 && _sorted[j] > v)
                {
                    _sorted[j + 1] = _sorted[j];
                    j--;
                }

                _sorted[j + 1] = v;
            }

            reading.Value = _sorted[_count / 2];
            return true;
        }
    }
}
