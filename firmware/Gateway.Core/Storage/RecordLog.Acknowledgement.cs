namespace Gateway.Core.Storage
{
    public sealed partial class RecordLog
    {
        // ===================================================================== acknowledgement and reclaim

        /// <summary>
        /// The cloud acknowledged every record the log holds in [first, last] (holes included). Persists the
        /// acknowledgement, then deletes every segment wholly acknowledged. Forgetting an acknowledgement is safe
        /// (the records are sent again); deleting unacknowledged data never happens.
        /// </summary>
        public void Acknowledge(uint first, uint last)
        {
            RequireOpen();

            // Nothing above the newest committed record can have been sent: an acknowledgement beyond it is clamped.
            uint newestCommitted = _nextSeq - 1 - (uint)_stagedRecords;
            if (last > newestCommitted)
            {
                last = newestCommitted;
            }

            if (last < first)
            {
                return;
            }

            AddAckRange(first, last);
            SaveState();
            Reclaim();
        }

        /// <summary>True when the sequence was acknowledged (or lies below everything the log holds).</summary>
        public bool IsAcknowledged(uint sequence)
        {
            if (sequence < _ackedBelow)
            {
                return true;
            }

            for (int i = 0; i < _ackCount; i++)
            {
                if (sequence >= _ackFirst[i] && sequence <= _ackLast[i])
                {
                    return true;
                }
            }

            return false;
        }

        private bool IsRangeAcknowledged(uint a, uint b)
        {
            if (b < _ackedBelow)
            {
                return true;
            }

            if (a < _ackedBelow)
            {
                a = _ackedBelow;
            }

            for (int i = 0; i < _ackCount; i++)
            {
                if (a >= _ackFirst[i] && b <= _ackLast[i])
                {
                    return true;
                }
            }

            return false;
        }

        private void AddAckRange(uint first, uint last)
        {
            // Merge with every overlapping or adjacent range.
            for (int i = 0; i < _ackCount; i++)
            {
                bool touches = first <= (_ackLast[i] == 0xFFFFFFFF ? _ackLast[i] : _ackLast[i] + 1) && _ackFirst[i] <= (last == 0xFFFFFFFF ? last : last + 1);
                if (touches)
                {
                    first = _ackFirst[i] < first ? _ackFirst[i] : first;
                    last = _ackLast[i] > last ? _ackLast[i] : last;
                    RemoveAck(i);
                    i--;
                }
            }

            if (first <= _ackedBelow)
            {
                if (last >= _ackedBelow)
                {
                    _ackedBelow = last + 1;
                }

                PruneAcks();
                return;
            }

            if (_ackCount == _ackFirst.Length)
            {
                int smallest = 0;
                for (int i = 1; i < _ackCount; i++)
                {
                    if (_ackLast[i] - _ackFirst[i] < _ackLast[smallest] - _ackFirst[smallest])
                    {
                        smallest = i;
                    }
                }

                if (_ackLast[smallest] - _ackFirst[smallest] > last - first)
                {
                    return;
                }

                RemoveAck(smallest);
            }

            _ackFirst[_ackCount] = first;
            _ackLast[_ackCount] = last;
            _ackCount++;
        }

        private void RemoveAck(int i)
        {
            _ackCount--;
            _ackFirst[i] = _ackFirst[_ackCount];
            _ackLast[i] = _ackLast[_ackCount];
        }

        private void PruneAcks()
        {
            for (int i = 0; i < _ackCount; i++)
            {
                if (_ackFirst[i] <= _ackedBelow)
                {
                    if (_ackLast[i] >= _ackedBelow)
                    {
                        _ackedBelow = _ackLast[i] + 1;
                    }

                    RemoveAck(i);
                    i = -1;
                }
            }
        }

        /// <summary>Deletes wholly acknowledged segments (the acknowledgement is durable before this runs).</summary>
        private void Reclaim()
        {
            for (int i = 0; i < _segCount; i++)
            {
                if (IsRangeAcknowledged(_segFirst[i], _segLast[i]))
                {
                    _store.Delete(_segId[i]);
                    AddErase(0);
                    RemoveSegment(i);
                    i--;
                }
            }

            // Everything below the oldest record held is gone (acknowledged or covered by a gap): forget it.
            uint oldest = OldestSequence;
            if (oldest > _ackedBelow)
            {
                _ackedBelow = oldest;
                PruneAcks();
            }
        }
    }
}
