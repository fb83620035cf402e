using System;

namespace Gateway.Core.Storage
{
    /// <content>Sealing: the journal's records re-encoded densely into the sealed segments.</content>
    public sealed partial class RecordLog
    {
        // ===================================================================== sealing

        private uint _emitTarget;
        private int _emitIndex;
        private int _emitBytes;
        private bool _emitDry;
        private long _emitT0;
        private long _emitT1;
        private bool _emitAlarm;
        private byte _emitFlags;

        /// <summary>Moves the journal's records into the dense sealed segments, then deletes the journal.</summary>
        private void Seal()
        {
            if (_journalId == 0)
            {
                return;
            }

            _emitDry = false;
            _emitTarget = 0;
            _emitIndex = -1;
            _emitFlags = 0;
            _emitFrameRecords = 0;
            _emitAlarm = false;
            if (_segCount > 0 && (_segFlags[_segCount - 1] & SegClosed) == 0)
            {
                _emitIndex = _segCount - 1;
                _emitTarget = _segId[_emitIndex];
                _emitBytes = _segBytes[_emitIndex];
            }

            _stage.Begin(0);
            int len = _store.Length(_journalId);
            int pos = 0;
            while (pos < len)
            {
                int flen = LoadFrame(_journalId, pos, len);
                if (flen < 0)
                {
                    break;
                }

                pos += flen;
                _reader.Start(_readBuf, 0, flen);
                LogRecord r;
                while (_reader.Next(out r))
                {
                    if (r.Sequence > _sealedMax)
                    {
                        Emit(ref r);
                    }
                }
            }

            FlushEmit();
            _stage.Begin(0);
            _store.Delete(_journalId);
            AddErase(0);
            _journalId = 0;
            _journalBytes = 0;
            InvalidateReadCache();
        }

        private void Emit(ref LogRecord r)
        {
            int room = EmitRoom();
            if (!_stage.HasRoom(room))
            {
                if (_stage.Count > 0)
                {
                    FlushEmit();
                    room = EmitRoom();
                }

                if (!_stage.HasRoom(room) && !_emitDry && _emitIndex >= 0 && _emitTarget != 0)
                {
                    // The current segment is full: the next frame starts a new one.
                    _segFlags[_emitIndex] |= SegClosed;
                    _emitTarget = 0;
                }
            }

            if (!_stage.TryAdd(ref r))
            {
                FlushEmit();
                _stage.TryAdd(ref r);
            }

            if (_emitFrameRecords == 0)
            {
                _emitT0 = r.TimeMs;
                _emitT1 = r.TimeMs;
            }

            _emitFrameRecords++;
            _emitAlarm |= r.Kind == RecordKind.Alarm;
            _emitT0 = r.TimeMs < _emitT0 ? r.TimeMs : _emitT0;
            _emitT1 = r.TimeMs > _emitT1 ? r.TimeMs : _emitT1;
        }

        private int _emitFrameRecords;

        private int EmitRoom()
        {
            int end = _emitFlags != 0 ? FrameFormat.EndFrameBytes : 0;
            if (_emitTarget == 0 && !_emitDry)
            {
                return _s.SegmentBytes - end;
            }

            return _s.SegmentBytes - _emitBytes - end;
        }

        private void FlushEmit()
        {
            if (_stage.Count == 0)
            {
                return;
            }

            int len = _stage.Finish();
            uint first = _stage.FirstSequence;
            _emitFrameRecords = 0;
            if (_emitDry)
            {
                _emitBytes += len;
                _stage.Begin(_emitFlags);
                return;
            }

            if (_emitTarget == 0)
            {
                if (_segCount >= _segId.Length)
                {
                    throw new InvalidOperationException("segment index full");
                }

                _emitTarget = _nextSealedId++;
                _emitIndex = _segCount++;
                _emitBytes = 0;
                _segId[_emitIndex] = _emitTarget;
                _segFirst[_emitIndex] = first;
                _segT0[_emitIndex] = _emitT0;
                _segT1[_emitIndex] = _emitT1;
                _segBytes[_emitIndex] = 0;
                _segFlags[_emitIndex] = 0;
            }

            WriteAppend(_emitTarget, len, _emitBytes);
            _emitBytes += len;
            if (_emitIndex >= 0)
            {
                _segBytes[_emitIndex] = _emitBytes;
                _segLast[_emitIndex] = _stage.LastSequence;
                if (_emitT0 < _segT0[_emitIndex])
                {
                    _segT0[_emitIndex] = _emitT0;
                }

                if (_emitT1 > _segT1[_emitIndex])
                {
                    _segT1[_emitIndex] = _emitT1;
                }

                if (_emitAlarm)
                {
                    _segFlags[_emitIndex] |= SegAlarm;
                }

                if (_stage.LastSequence > _sealedMax)
                {
                    _sealedMax = _stage.LastSequence;
                }
            }

            _emitAlarm = false;
            _stage.Begin(_emitFlags);
        }
    }
}
