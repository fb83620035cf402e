namespace Gateway.Core.Storage
{
    public sealed partial class RecordLog
    {
        // ===================================================================== reading back

        private const int FilterUnacknowledged = 1;
        private const int FilterAlarms = 2;
        private const int FilterTime = 4;
        private const int DirSize = 16;
        private readonly int[] _dirPos = new int[DirSize];
        private readonly uint[] _dirFirst = new uint[DirSize];
        private uint _dirFile;
        private int _dirCount;

        /// <summary>Reads the committed record with exactly this sequence; false when absent (never stored, dropped or reclaimed).</summary>
        public bool TryRead(uint sequence, out LogRecord record)
        {
            return Scan(sequence, 0, 0, 0, out record) && record.Sequence == sequence;
        }

        /// <summary>Reads the first committed record with a sequence at or above <paramref name="fromSequence"/>.</summary>
        public bool TryReadNext(uint fromSequence, out LogRecord record)
        {
            return Scan(fromSequence, 0, 0, 0, out record);
        }

        /// <summary>
        /// Reads the first unacknowledged committed record at or above <paramref name="fromSequence"/>; with
        /// <paramref name="alarmsOnly"/> only alarms (send them first). Iterate with fromSequence = record.Sequence + 1.
        /// </summary>
        public bool TryReadNextUnacknowledged(uint fromSequence, bool alarmsOnly, out LogRecord record)
        {
            return Scan(fromSequence, FilterUnacknowledged | (alarmsOnly ? FilterAlarms : 0), 0, 0, out record);
        }

        /// <summary>Reads the first committed record at or above <paramref name="fromSequence"/> measured in [fromMs, toMs].</summary>
        public bool TryReadNextInTime(uint fromSequence, long fromMs, long toMs, out LogRecord record)
        {
            return Scan(fromSequence, FilterTime, fromMs, toMs, out record);
        }

        /// <summary>The oldest unacknowledged committed sequence; false when everything is acknowledged.</summary>
        public bool TryGetOldestUnacknowledged(out uint sequence)
        {
            LogRecord r;
            bool found = Scan(0, FilterUnacknowledged, 0, 0, out r);
            sequence = r.Sequence;
            return found;
        }

        /// <summary>The newest unacknowledged committed sequence; false when everything is acknowledged.</summary>
        public bool TryGetNewestUnacknowledged(out uint sequence)
        {
            sequence = 0;
            _iterValid = false;
            for (int f = _segCount; f >= 0; f--)
            {
                uint first = f == _segCount ? _journalFirst : _segFirst[f];
                if (f == _segCount && _journalId == 0)
                {
                    continue;
                }

                bool found = false;
                LogRecord r;
                uint from = first;
                _iterValid = false;
                while (ScanFile(f, from, FilterUnacknowledged, 0, 0, false, out r))
                {
                    sequence = r.Sequence;
                    found = true;
                    from = r.Sequence + 1;
                }

                if (found)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The oldest sequence the log still holds, staged records included (the next one to be handed out when empty).</summary>
        public uint OldestSequence
        {
            get
            {
                if (_segCount > 0)
                {
                    return _segFirst[0];
                }

                return _journalId != 0 ? _journalFirst : _nextSeq - (uint)_stagedRecords;
            }
        }

        // Sequential reading resumes the frame being decoded instead of starting over (no re-read, no re-decode).
        private bool _iterValid;
        private uint _iterNext;
        private int _iterF;
        private uint _iterFileId;
        private int _iterFramePos;
        private int _iterPos;

        private bool Scan(uint from, int filter, long fromMs, long toMs, out LogRecord r)
        {
            bool resume = _iterValid && from == _iterNext && _cacheLen > 0 && _cacheFile == _iterFileId && _cachePos == _iterFramePos;
            _iterValid = false;
            for (int f = resume ? _iterF : 0; f <= _segCount; f++)
            {
                if (ScanFile(f, from, filter, fromMs, toMs, resume, out r))
                {
                    _iterValid = true;
                    _iterNext = r.Sequence + 1;
                    _iterF = f;
                    return true;
                }

                resume = false;
            }

            r = new LogRecord();
            return false;
        }

        /// <summary>Looks in file f (index, or _segCount for the journal) for the first match at or above from.</summary>
        private bool ScanFile(int f, uint from, int filter, long fromMs, long toMs, bool resume, out LogRecord r)
        {
            r = new LogRecord();
            uint id;
            uint last;
            int len;
            bool alarm;
            long t0;
            long t1;
            uint first;
            if (f == _segCount)
            {
                if (_journalId == 0)
                {
                    return false;
                }

                id = _journalId;
                first = _journalFirst;
                last = _journalLast;
                len = _journalBytes;
                alarm = _journalAlarm;
                t0 = _journalT0;
                t1 = _journalT1;
            }
            else
            {
                id = _segId[f];
                first = _segFirst[f];
                last = _segLast[f];
                len = _segBytes[f];
                alarm = (_segFlags[f] & SegAlarm) != 0;
                t0 = _segT0[f];
                t1 = _segT1[f];
            }

            if (last < from || ((filter & FilterAlarms) != 0 && !alarm) || ((filter & FilterTime) != 0 && (t1 < fromMs || t0 > toMs)))
            {
                return false;
            }

            if ((filter & FilterUnacknowledged) != 0 && IsRangeAcknowledged(first > from ? first : from, last))
            {
                return false;
            }

            int pos;
            bool decoding = false;
            if (resume && id == _iterFileId)
            {
                pos = _iterPos;
                decoding = true;
            }
            else
            {
                pos = StartPosition(id, len, from);
            }

            while (true)
            {
                if (!decoding)
                {
                    if (pos >= len)
                    {
                        return false;
                    }

                    int flen = LoadFrame(id, pos, len);
                    if (flen < 0)
                    {
                        _readErrors++;
                        return false;
                    }

                    _iterFileId = id;
                    _iterFramePos = pos;
                    pos += flen;
                    _iterPos = pos;
                    _reader.Start(_readBuf, 0, flen);
                }

                decoding = false;
                while (_reader.Next(out r))
                {
                    if (r.Sequence < from)
                    {
                        continue;
                    }

                    if ((filter & FilterAlarms) != 0 && r.Kind != RecordKind.Alarm)
                    {
                        continue;
                    }

                    if ((filter & FilterTime) != 0 && (r.TimeMs < fromMs || r.TimeMs > toMs))
                    {
                        continue;
                    }

                    if ((filter & FilterUnacknowledged) != 0 && IsAcknowledged(r.Sequence))
                    {
                        continue;
                    }

                    return true;
                }
            }
        }

        /// <summary>Position of the last frame of the file whose first sequence is at or below from (frame directory).</summary>
        private int StartPosition(uint id, int len, uint from)
        {
            if (_dirFile != id)
            {
                _dirCount = 0;
                int pos = 0;
                while (pos < len && _dirCount < DirSize)
                {
                    int flen = LoadFrame(id, pos, len);
                    if (flen < 0)
                    {
                        break;
                    }

                    _dirPos[_dirCount] = pos;
                    uint first;
                    long baseTime;
                    int body;
                    FrameFormat.ParseHeader(_readBuf, 0, flen, flen, out first, out baseTime, out body);
                    _dirFirst[_dirCount] = first;
                    if ((_readBuf[1] & FrameFormat.FlagEnd) != 0)
                    {
                        _dirFirst[_dirCount] = 0xFFFFFFFF;
                    }

                    _dirCount++;
                    pos += flen;
                }

                _dirFile = id;
            }

            int start = 0;
            for (int i = 0; i < _dirCount; i++)
            {
                if (_dirFirst[i] <= from)
                {
                    start = _dirPos[i];
                }
            }

            return start;
        }
    }
}
