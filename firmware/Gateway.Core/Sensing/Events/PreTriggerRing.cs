namespace Gateway.Core.Sensing.Events
{
    /// <summary>
    /// The last N internal samples in RAM (a fixed ring of <see cref="Reading"/> structs, no allocation), committed
    /// to the sink when a trigger fires so that the record shows how the event began.
    /// </summary>
    public sealed class PreTriggerRing
    {
        private readonly Reading[] _items;
        private readonly bool[] _committed;
        private int _next;
        private int _count;

        /// <summary>Creates a ring of <paramref name="capacity"/> readings.</summary>
        public PreTriggerRing(int capacity)
        {
            if (capacity < 1)
            {
                capacity = 1;
            }

            _items = new Reading[capacity];
            _committed = new bool[capacity];
        }

        /// <summary>Capacity in readings.</summary>
        public int Capacity
        {
            get { return _items.Length; }
        }

        /// <summary>Readings held.</summary>
        public int Count
        {
            get { return _count; }
        }

        /// <summary>Adds a reading, overwriting the oldest when full.</summary>
        public void Add(ref Reading reading, bool alreadyCommitted)
        {
            _items[_next] = reading;
            _committed[_next] = alreadyCommitted;
            _next = (_next + 1) % _items.Length;
            if (_count < _items.Length)
            {
                _count++;
            }
        }

        /// <summary>Marks the newest reading as committed (it went to the sink directly).</summary>
        public void MarkNewestCommitted()
        {
            if (_count > 0)
            {
                _committed[(_next - 1 + _items.Length) % _items.Length] = true;
            }
        }

        /// <summary>Hands every uncommitted reading to the sink, oldest first; returns how many.</summary>
        public int CommitTo(IReadingSink sink)
        {
            int committed = 0;
            int start = (_next - _count + _items.Length) % _items.Length;
            for (int k = 0; k < _count; k++)
            {
                int i = (start + k) % _items.Length;
                if (!_committed[i])
                {
                    _committed[i] = true;
                    sink.Accept(ref _items[i]);
                    committed++;
                }
            }

            return committed;
        }

        /// <summary>Copies the reading at age <paramref name="index"/> (0 = oldest) into <paramref name="reading"/>.</summary>
        public bool TryGet(int index, out Reading reading)
        {
            if (index < 0 || index >= _count)
            {
                reading = new Reading();
                return false;
            }

            reading = _items[(_next - _count + index + _items.Length * 2) % _items.Length];
            return true;
        }
    }
}
