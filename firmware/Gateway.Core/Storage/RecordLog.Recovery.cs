using System;

namespace Gateway.Core.Storage
{
    public sealed partial class RecordLog
    {
        // ===================================================================== recovery

        private const uint StateLostMargin = 65536;
        private readonly uint[] _list;
        private uint _parseFirst;
        private uint _parseLast;
        private long _parseT0;
        private long _parseT1;
        private bool _parseAlarm;
        private bool _parseEnd;
        private bool _parseRewrite;
        private uint _parseSupFirst;
        private uint _parseSupLast;
        private int _parseValid;
        private int _parseFrames;

        /// <summary>
        /// Opens the log: scans every file, drops torn tails and corrupt files (counted), resolves rewrites and
        /// duplicates, seals what the journal holds, restores sequence and acknowledgement state, counts the boot.
        /// Safe to call again after a power cut at any point, including during an earlier recovery.
        /// </summary>
        public void Open()
        {
            _open = false;
            _segCount = 0;
            _journalId = 0;
            _journalBytes = 0;
            _sealedMax = 0;
            _stagedRecords = 0;
            _stagedReadings = 0;
            _stage.Begin(0);
            _tornAtRecovery = 0;
            _tornBytesAtRecovery = 0;
            _corruptFiles = 0;
            _duplicateFiles = 0;
            _nextSealedId = 1;
            _nextJournalId = FirstJournalId;
            InvalidateReadCache();
            int n = _store.List(_list);
            if (n > _list.Length)
            {
                n = _list.Length;
            }

            _journalCount = 0;
            bool anyLogFile = false;
            for (int i = 0; i < n; i++)
            {
                uint id = _list[i];
                if (DurableState.IsStateFile(id) || id == 0 || id >= 0x80000000)
                {
                    continue;
                }

                anyLogFile = true;
                bool isJournal = id >= FirstJournalId;
                if (isJournal && id >= _nextJournalId)
                {
                    _nextJournalId = id + 1;
                }
                else if (!isJournal && id >= _nextSealedId)
                {
                    _nextSealedId = id + 1;
                }

                int len = _store.Length(id);
                ParseFile(id, len);
                if (_parseFrames == 0 || (_parseRewrite && !_parseEnd && _parseValid == 0))
                {
                    if (len > 0)
                    {
                        _corruptFiles++;
                    }

                    _store.Delete(id);
                    continue;
                }

                if (_parseValid < len)
                {
                    _tornAtRecovery++;
                    _tornBytesAtRecovery += len - _parseValid;
                }

                if (isJournal)
                {
                    if (_journalCount < _journals.Length)
                    {
                        _journals[_journalCount++] = id;
                    }

                    continue;
                }

                if (_parseRewrite && !_parseEnd)
                {
                    _store.Delete(id);
                    continue;
                }

                if (_segCount >= _segId.Length)
                {
                    continue;
                }

                int k = _segCount++;
                _segId[k] = id;
                _segFirst[k] = _parseRewrite ? _parseSupFirst : _parseFirst;
                _segLast[k] = _parseRewrite ? _parseSupLast : _parseLast;
                _segT0[k] = _parseT0;
                _segT1[k] = _parseT1;
                _segBytes[k] = len;
                _segFlags[k] = (byte)((_parseAlarm ? SegAlarm : 0) | (_parseRewrite ? SegRewrite | SegClosed : 0) | (_parseValid < len ? SegClosed : 0));
            }

            ResolveRewrites();
            SortAndDeduplicate();
            for (int i = 0; i < _segCount; i++)
            {
                if (_segLast[i] > _sealedMax)
                {
                    _sealedMax = _segLast[i];
                }
            }

            // Journals (normally one; two when a cut fell between sealing and deleting), oldest first.
            for (int i = 0; i < _journalCount; i++)
            {
                uint oldest = 0xFFFFFFFF;
                int at = 0;
                for (int j = 0; j < _journalCount; j++)
                {
                    if (_journals[j] != 0 && _journals[j] < oldest)
                    {
                        oldest = _journals[j];
                        at = j;
                    }
                }

                _journals[at] = 0;
                _journalId = oldest;
                _journalBytes = _store.Length(oldest);
                Seal();
            }

            RestoreState(anyLogFile);
            _open = true;
            Reclaim();
            EnforceCapacity();
            TrackHighWater();
        }

        private readonly uint[] _journals = new uint[4];
        private int _journalCount;

        private void ParseFile(uint id, int len)
        {
            _parseFrames = 0;
            _parseValid = 0;
            _parseEnd = false;
            _parseRewrite = false;
            _parseAlarm = false;
            _parseFirst = 0;
            _parseLast = 0;
            _parseT0 = long.MaxValue;
            _parseT1 = long.MinValue;
            int pos = 0;
            uint prevLast = 0;
            while (pos < len)
            {
                int flen = LoadFrame(id, pos, len);
                if (flen < 0)
                {
                    break;
                }

                _reader.Start(_readBuf, 0, flen);
                if ((_reader.Flags & FrameFormat.FlagEnd) != 0)
                {
                    _parseSupFirst = LittleEndian.ReadUInt32(_readBuf, _reader.BodyStart);
                    _parseSupLast = LittleEndian.ReadUInt32(_readBuf, _reader.BodyStart + 4);
                    _parseEnd = true;
                    _parseRewrite = true;
                    pos += flen;
                    _parseValid = pos;
                    break;
                }

                if (_parseFrames > 0 && _reader.FirstSequence <= prevLast)
                {
                    break;
                }

                if ((_reader.Flags & FrameFormat.FlagRewrite) != 0)
                {
                    _parseRewrite = true;
                }

                LogRecord r;
                while (_reader.Next(out r))
                {
                    if (_parseFrames == 0 && _parseFirst == 0)
                    {
                        _parseFirst = r.Sequence;
                    }

                    prevLast = r.LastCovered;
                    _parseAlarm |= r.Kind == RecordKind.Alarm;
                    _parseT0 = r.TimeMs < _parseT0 ? r.TimeMs : _parseT0;
                    _parseT1 = r.TimeMs > _parseT1 ? r.TimeMs : _parseT1;
                }

                _parseLast = prevLast;
                _parseFrames++;
                pos += flen;
                _parseValid = pos;
            }
        }

        /// <summary>A complete rewrite supersedes older segments inside its range; an incomplete one was deleted at parse.</summary>
        private void ResolveRewrites()
        {
            for (int i = 0; i < _segCount; i++)
            {
                if ((_segFlags[i] & SegRewrite) == 0)
                {
                    continue;
                }

                for (int j = 0; j < _segCount; j++)
                {
                    if (j != i && _segId[j] < _segId[i] && _segFirst[j] >= _segFirst[i] && _segLast[j] <= _segLast[i])
                    {
                        _store.Delete(_segId[j]);
                        _duplicateFiles++;
                        RemoveSegment(j);
                        if (j < i)
                        {
                            i--;
                        }

                        j--;
                    }
                }
            }
        }

        private void SortAndDeduplicate()
        {
            for (int i = 1; i < _segCount; i++)
            {
                for (int j = i; j > 0 && _segFirst[j] < _segFirst[j - 1]; j--)
                {
                    SwapSegments(j, j - 1);
                }
            }

            for (int i = 1; i < _segCount; i++)
            {
                if (_segFirst[i] <= _segLast[i - 1])
                {
                    // Overlap: a copy or a stray; keep the lower id (the original), delete the other.
                    int drop = _segId[i] > _segId[i - 1] ? i : i - 1;
                    _store.Delete(_segId[drop]);
                    _duplicateFiles++;
                    RemoveSegment(drop);
                    i--;
                }
            }
        }

        private void SwapSegments(int a, int b)
        {
            uint u = _segId[a]; _segId[a] = _segId[b]; _segId[b] = u;
            u = _segFirst[a]; _segFirst[a] = _segFirst[b]; _segFirst[b] = u;
            u = _segLast[a]; _segLast[a] = _segLast[b]; _segLast[b] = u;
            long l = _segT0[a]; _segT0[a] = _segT0[b]; _segT0[b] = l;
            l = _segT1[a]; _segT1[a] = _segT1[b]; _segT1[b] = l;
            int x = _segBytes[a]; _segBytes[a] = _segBytes[b]; _segBytes[b] = x;
            byte f = _segFlags[a]; _segFlags[a] = _segFlags[b]; _segFlags[b] = f;
        }

        private void RemoveSegment(int k)
        {
            for (int i = k; i < _segCount - 1; i++)
            {
                _segId[i] = _segId[i + 1];
                _segFirst[i] = _segFirst[i + 1];
                _segLast[i] = _segLast[i + 1];
                _segT0[i] = _segT0[i + 1];
                _segT1[i] = _segT1[i + 1];
                _segBytes[i] = _segBytes[i + 1];
                _segFlags[i] = _segFlags[i + 1];
            }

            _segCount--;
            InvalidateReadCache();
        }

        // ===================================================================== durable log state

        private void RestoreState(bool anyLogFile)
        {
            int len;
            uint newest = _sealedMax;
            bool loaded = _state.TryLoad(0, _stateBuf, 0, out len) && len >= 17;
            if (loaded)
            {
                _format = FormatEvidence.Intact;
                DecodeState(len);
            }
            else
            {
                _ackCount = 0;
                _ackedBelow = 0;
                bool mirrored = _mirror != null && _mirror.TryLoad(1, _stateBuf, 0, out len) && len >= 17;
                if (!anyLogFile && mirrored)
                {
                    _format = FormatEvidence.ReformatDetected;
                    DecodeState(len);
                    _ackCount = 0;
                }
                else
                {
                    _format = anyLogFile ? FormatEvidence.StateLost : FormatEvidence.FreshOrUnknown;
                    _bootCount = 0;
                    Random random = _s.EpochSeed != 0 ? new Random(_s.EpochSeed) : new Random();
                    _epoch = (uint)random.Next();
                    _reserved = anyLogFile ? newest + StateLostMargin : 1;
                }
            }

            _nextSeq = _reserved;
            if (newest + 1 > _nextSeq)
            {
                _nextSeq = newest + 1;
            }

            if (_nextSeq == 0)
            {
                _nextSeq = 1;
            }

            _bootCount++;
            _reserved = _nextSeq + (uint)_s.ReserveBlock;
            SaveState();
        }

        private void DecodeState(int len)
        {
            _reserved = LittleEndian.ReadUInt32(_stateBuf, 0);
            _bootCount = LittleEndian.ReadUInt32(_stateBuf, 4);
            _epoch = LittleEndian.ReadUInt32(_stateBuf, 8);
            _ackedBelow = LittleEndian.ReadUInt32(_stateBuf, 12);
            int n = _stateBuf[16];
            _ackCount = 0;
            for (int i = 0; i < n && i < _ackFirst.Length && 17 + 8 * i + 8 <= len; i++)
            {
                _ackFirst[_ackCount] = LittleEndian.ReadUInt32(_stateBuf, 17 + 8 * i);
                _ackLast[_ackCount] = LittleEndian.ReadUInt32(_stateBuf, 21 + 8 * i);
                _ackCount++;
            }
        }

        private void SaveState()
        {
            LittleEndian.WriteUInt32(_stateBuf, 0, _reserved);
            LittleEndian.WriteUInt32(_stateBuf, 4, _bootCount);
            LittleEndian.WriteUInt32(_stateBuf, 8, _epoch);
            LittleEndian.WriteUInt32(_stateBuf, 12, _ackedBelow);
            _stateBuf[16] = (byte)_ackCount;
            for (int i = 0; i < _ackCount; i++)
            {
                LittleEndian.WriteUInt32(_stateBuf, 17 + 8 * i, _ackFirst[i]);
                LittleEndian.WriteUInt32(_stateBuf, 21 + 8 * i, _ackLast[i]);
            }

            int len = 17 + 8 * _ackCount;
            _state.Save(0, _stateBuf, 0, len);
            _bytesWritten += len + 12;
            AddErase(1);
            if (_mirror != null)
            {
                _mirror.Save(1, _stateBuf, 0, 17);
            }
        }
    }
}
