namespace Gateway.Core.Storage
{
    public sealed partial class RecordLog
    {
        // ===================================================================== capacity policy (never silent)

        private const int MaxThinMode = 15;
        private int _mInstant;
        private long _mInstantTime;
        private int _mMode;
        private bool _mGapEmitted;
        private uint _mFirstDropped;
        private uint _mLastDropped;
        private uint _mGapSpan;
        private long _mDroppedReadings;

        /// <summary>
        /// Keeps the sealed segments within the budget (one block kept free for the journal and one for a rewrite):
        /// merges the two oldest segments into one, thinning ordinary readings, with one gap record for all it drops.
        /// </summary>
        private void EnforceCapacity()
        {
            int limit = _s.BudgetBytes / _block;
            for (int guard = 0; guard < 64 && _segCount >= 2; guard++)
            {
                int sealedBlocks = 0;
                for (int i = 0; i < _segCount; i++)
                {
                    sealedBlocks += Blocks(_segBytes[i]);
                }

                if (sealedBlocks + 2 <= limit && _segCount < _segId.Length - 1)
                {
                    return;
                }

                MergeOldest();
            }
        }

        private void MergeOldest()
        {
            uint supFirst = _segFirst[0];
            uint supLast = _segLast[1];
            int limit = _s.SegmentBytes - FrameFormat.EndFrameBytes;
            int mode = 1;
            while (MergePass(true, mode, 0, supLast) > limit && mode < MaxThinMode)
            {
                mode++;
            }

            uint id = _nextSealedId++;
            MergePass(false, mode, id, supLast);
            int len = _stage.FinishEnd(supFirst, supLast);
            WriteAppend(id, len, _emitBytes);
            int bytes = _emitBytes + len;
            _stage.Begin(0);

            _store.Delete(_segId[0]);
            _store.Delete(_segId[1]);
            AddErase(0);
            AddErase(0);
            _segId[0] = id;
            _segLast[0] = supLast;
            _segT0[0] = _segT0[1] < _segT0[0] ? _segT0[1] : _segT0[0];
            _segT1[0] = _segT1[1] > _segT1[0] ? _segT1[1] : _segT1[0];
            _segBytes[0] = bytes;
            _segFlags[0] = (byte)(SegClosed | SegRewrite | (_mAlarmKept ? SegAlarm : 0));
            RemoveSegment(1);
            _rewrites++;
            _dropped += _mDroppedReadings;
        }

        private bool _mAlarmKept;

        /// <summary>One pass over the two oldest segments: counts (dry) or writes the thinned merge; returns bytes.</summary>
        private int MergePass(bool dry, int mode, uint target, uint supLast)
        {
            _emitDry = dry;
            _emitTarget = target;
            _emitIndex = -1;
            _emitBytes = 0;
            _emitFlags = FrameFormat.FlagRewrite;
            _emitFrameRecords = 0;
            _emitAlarm = false;
            _stage.Begin(FrameFormat.FlagRewrite);
            _mMode = mode;
            _mInstant = -1;
            _mInstantTime = long.MinValue;
            _mGapEmitted = false;
            _mDroppedReadings = 0;
            _mAlarmKept = false;
            if (dry)
            {
                _mFirstDropped = 0;
                _mLastDropped = 0;
            }

            for (int f = 0; f < 2; f++)
            {
                uint id = _segId[f];
                int len = _segBytes[f];
                int pos = 0;
                while (pos < len)
                {
                    int flen = LoadFrame(id, pos, len);
                    if (flen < 0)
                    {
                        break;
                    }

                    pos += flen;
                    _reader.Start(_readBuf, 0, flen);
                    LogRecord r;
                    while (_reader.Next(out r))
                    {
                        if (Keep(ref r))
                        {
                            _mAlarmKept |= r.Kind == RecordKind.Alarm;
                            Emit(ref r);
                            continue;
                        }

                        if (r.Kind == RecordKind.Reading)
                        {
                            _mDroppedReadings++;
                        }

                        if (!_mGapEmitted)
                        {
                            _mGapEmitted = true;
                            if (dry)
                            {
                                _mFirstDropped = r.Sequence;
                            }

                            LogRecord gap = new LogRecord();
                            gap.Sequence = r.Sequence;
                            gap.Kind = RecordKind.Gap;
                            gap.TimeMs = r.TimeMs;
                            gap.Span = dry ? supLast - r.Sequence + 1 : _mGapSpan;
                            Emit(ref gap);
                        }

                        if (dry && r.LastCovered > _mLastDropped)
                        {
                            _mLastDropped = r.LastCovered;
                        }
                    }
                }
            }

            FlushEmit();
            if (dry)
            {
                _mGapSpan = _mLastDropped - _mFirstDropped + 1;
            }

            _emitDry = false;
            return _emitBytes;
        }

        /// <summary>
        /// Thinning rule of a mode: 1–12 keep every 2^mode-th sampling instant of ordinary readings; 13 drop all
        /// readings; 14 also events and markers; 15 also alarms. Earlier gaps are always folded into the new gap.
        /// </summary>
        private bool Keep(ref LogRecord r)
        {
            switch (r.Kind)
            {
                case RecordKind.Reading:
                    if (_mMode >= 13)
                    {
                        return false;
                    }

                    if (r.TimeMs != _mInstantTime)
                    {
                        _mInstant++;
                        _mInstantTime = r.TimeMs;
                    }

                    return (_mInstant & ((1 << _mMode) - 1)) == 0;
                case RecordKind.Gap:
                    return false;
                case RecordKind.Alarm:
                    return _mMode < 15;
                default:
                    return _mMode < 14;
            }
        }
    }
}
