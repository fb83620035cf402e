using Gateway.Core.Sensing;

namespace Gateway.Bindings.Ultrasonic
{
    /// <summary>
    /// Median of N pings with a spread check. Pings further than the inlier tolerance from the median are rejected
    /// (false echoes from a spider's web, a pier, rain drops); too few inliers or an inlier spread above the limit
    /// flags the reading Noisy. Preallocated: no allocation per measurement.
    /// </summary>
    public sealed class PingAggregator
    {
        private readonly int[] _pings;
        private int _count;

        /// <summary>Creates an aggregator for at most <paramref name="capacity"/> pings.</summary>
        public PingAggregator(int capacity)
        {
            _pings = new int[capacity < 1 ? 1 : capacity];
        }

        /// <summary>Pings added since the last <see cref="Clear"/>.</summary>
        public int Count
        {
            get { return _count; }
        }

        /// <summary>Pings rejected by the last <see cref="TryEvaluate"/> as outliers.</summary>
        public int LastRejected { get; private set; }

        /// <summary>Max − min of the inliers in the last evaluation, millimetres.</summary>
        public int LastSpread { get; private set; }

        /// <summary>Starts a new measurement.</summary>
        public void Clear()
        {
            _count = 0;
        }

        /// <summary>Adds one valid ping in millimetres (ignored when full).</summary>
        public void Add(int millimeters)
        {
            if (_count < _pings.Length)
            {
                _pings[_count++] = millimeters;
            }
        }

        /// <summary>
        /// The median of the inliers, and Noisy when fewer than <paramref name="quorum"/> pings agree within
        /// <paramref name="inlierToleranceMm"/> of the median or their spread exceeds <paramref name="spreadLimitMm"/>.
        /// False when no ping was added.
        /// </summary>
        public bool TryEvaluate(int inlierToleranceMm, int spreadLimitMm, int quorum, out int millimeters, out ReadingStatus status)
        {
            millimeters = 0;
            status = ReadingStatus.Ok;
            LastRejected = 0;
            LastSpread = 0;
            if (_count == 0)
            {
                return false;
            }

            // Insertion sort: N is small (3 .. 15).
            for (int i = 1; i < _count; i++)
            {
                int v = _pings[i];
                int j = i - 1;
                while (j >= 0 && _pings[j] > v)
                {
                    _pings[j + 1] = _pings[j];
                    j--;
                }

                _pings[j + 1] = v;
            }

            int median = _pings[_count / 2];
            int first = -1;
            int last = -1;
            for (int i = 0; i < _count; i++)
            {
                int d = _pings[i] - median;
                if (d < 0)
                {
                    d = -d;
                }

                if (d <= inlierToleranceMm)
                {
                    if (first < 0)
                    {
                        first = i;
                    }

                    last = i;
                }
            }

            int inliers = last - first + 1;
            LastRejected = _count - inliers;
            LastSpread = _pings[last] - _pings[first];
            // The median of the inliers (sorted, contiguous).
            millimeters = (_pings[first + (inliers - 1) / 2] + _pings[first + inliers / 2] + 1) / 2;
            if (inliers < quorum || LastSpread > spreadLimitMm)
            {
                status = ReadingStatus.Noisy;
            }

            return true;
        }
    }
}
