namespace Gateway.Core.Uplink
{
    /// <summary>
    /// Exponential backoff with full jitter, capped: the n-th retry waits a uniform random time in
    /// [0, min(cap, base·2^n)] (AWS Architecture Blog, "Exponential Backoff And Jitter"). Full jitter spreads the
    /// reconnects of many gateways after a shared outage instead of letting them hammer the network in waves.
    /// </summary>
    public sealed class RetryBackoff
    {
        private readonly long _baseMs;
        private readonly long _capMs;
        private readonly IRandomSource _random;
        private int _attempt;

        /// <summary>Creates a backoff.</summary>
        /// <param name="baseDelayMs">Ceiling of the first wait, ms (e.g. 2,000).</param>
        /// <param name="capMs">Largest ceiling, ms (e.g. 900,000 for 15 minutes).</param>
        /// <param name="random">Random source (hardware RNG on the device, seeded in tests).</param>
        public RetryBackoff(long baseDelayMs, long capMs, IRandomSource random)
        {
            _baseMs = baseDelayMs < 1 ? 1 : baseDelayMs;
            _capMs = capMs < _baseMs ? _baseMs : capMs;
            _random = random;
        }

        /// <summary>Failed attempts since the last <see cref="Reset"/>.</summary>
        public int Attempts
        {
            get { return _attempt; }
        }

        /// <summary>Ceiling of the next wait, ms: min(cap, base·2^attempts).</summary>
        public long CurrentCeilingMs
        {
            get
            {
                long ceiling = _baseMs;
                for (int i = 0; i < _attempt && ceiling < _capMs; i++)
                {
                    ceiling <<= 1;
                }

                return ceiling > _capMs ? _capMs : ceiling;
            }
        }

        /// <summary>Records one failed attempt and returns how long to wait before the next, ms.</summary>
        public long NextDelayMs()
        {
            long ceiling = CurrentCeilingMs;
            if (_attempt < 62)
            {
                _attempt++;
            }

            return SeededRandom.NextInclusive(_random, ceiling);
        }

        /// <summary>Starts over after a success.</summary>
        public void Reset()
        {
            _attempt = 0;
        }
    }
}
