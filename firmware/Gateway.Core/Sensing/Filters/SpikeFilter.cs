namespace Gateway.Core.Sensing.Filters
{
    /// <summary>
    /// Rejects a jump larger than <c>maxStep</c> from the last accepted value: the reading keeps the last accepted
    /// value and is flagged SpikeRejected. A jump confirmed by <c>confirmCount</c> readings in a row that agree with
    /// each other is a real step and is accepted.
    /// </summary>
    public sealed class SpikeFilter : IReadingFilter
    {
        private readonly int _maxStep;
        private readonly int _confirmCount;
        private bool _primed;
        private int _accepted;
        private int _pending;
        private int _pendingValue;

        /// <summary>Creates the filter; <paramref name="maxStep"/> in the channel's unit per reading.</summary>
        public SpikeFilter(int maxStep, int confirmCount)
        {
            _maxStep = maxStep;
            _confirmCount = confirmCount < 1 ? 1 : confirmCount;
        }

        /// <summary>Spikes rejected since construction.</summary>
        public int Rejected { get; private set; }

        /// <inheritdoc />
        public bool TryApply(ref Reading reading)
        {
            if ((reading.Status & (ReadingStatus.NoEcho | ReadingStatus.LoopFault | ReadingStatus.BusError | ReadingStatus.Stuck)) != 0)
            {
                return true;
            }

            if (!_primed)
            {
                _primed = true;
                _accepted = reading.Value;
                return true;
            }

            int step = reading.Value - _accepted;
            if (step < 0)
            {
                step = -step;
            }

            if (step <= _maxStep)
            {
                _accepted = reading.Value;
                _pending = 0;
                return true;
            }

            int fromPending = reading.Value - _pendingValue;
            if (fromPending < 0)
            {
                fromPending = -fromPending;
            }

            if (_pending > 0 && fromPending <= _maxStep)
            {
                _pending++;
            }
            else
            {
                _pending = 1;
            }

            _pendingValue = reading.Value;
            if (_pending > _confirmCount)
            {
                _accepted = reading.Value;
                _pending = 0;
                return true;
            }

            Rejected++;
            reading.Value = _accepted;
            reading.Status |= ReadingStatus.SpikeRejected;
            return true;
        }
    }
}
