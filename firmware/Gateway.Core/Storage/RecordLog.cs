using System;
using Gateway.Core.Sensing;

namespace Gateway.Core.Storage
{
    /// <summary>
    /// The flash record log: readings, gaps, events, alarms and markers with strictly increasing sequence numbers,
    /// committed in frames to a journal, sealed densely into segment files, read back by sequence or time,
    /// acknowledged by range and reclaimed, thinned (never silently) when full, and recovered after any power cut.
    /// The on-flash format is in README.md beside this file. After <see cref="Open"/>, nothing here allocates.
    /// </summary>
    public sealed partial class RecordLog
    {
        // ===================================================================== state

        private const byte SegClosed = 1;
        private const byte SegAlarm = 2;
        private const byte SegRewrite = 4;
        private const uint FirstJournalId = 0x40000000;

        private readonly IFlashStore _store;
        private readonly RecordLogSettings _s;
        private readonly DurableState _state;
        private readonly DurableState _mirror;
        private readonly int _block;

        // Index of sealed segments, ascending by sequence.
        private readonly uint[] _segId;
        private readonly uint[] _segFirst;
        private readonly uint[] _segLast;
        private readonly long[] _segT0;
        private readonly long[] _segT1;
        private readonly int[] _segBytes;
        private readonly byte[] _segFlags;
        private int _segCount;
        private uint _nextSealedId = 1;
        private uint _sealedMax;

        // The journal (0 when none).
        private uint _journalId;
        private uint _nextJournalId = FirstJournalId;
        private int _journalBytes;
        private uint _journalFirst;
        private uint _journalLast;
        private long _journalT0;
        private long _journalT1;
        private bool _journalAlarm;

        // Staging (uncommitted records) and the frame buffer for reads.
        private readonly FrameWriter _stage;
        private readonly FrameReader _reader = new FrameReader();
        private readonly byte[] _readBuf;
        private int _stagedRecords;
        private int _stagedReadings;
        private bool _stagedAlarm;
        private long _stagedT0;
        private long _stagedT1;

        // Sequences and acknowledgements.
        private uint _nextSeq = 1;
        private uint _reserved = 1;
        private uint _bootCount;
        private uint _epoch;
        private uint _ackedBelow;
        private readonly uint[] _ackFirst;
        private readonly uint[] _ackLast;
        private int _ackCount;
        private readonly byte[] _stateBuf;

        // Health.
        private int _highWater;
        private long _bytesWritten;
        private long _commits;
        private long _eraseMilli;
        private int _tornAtRecovery;
        private int _tornBytesAtRecovery;
        private int _corruptFiles;
        private int _duplicateFiles;
        private int _readErrors;
        private int _rewrites;
        private long _dropped;
        private int _atRiskHighWater;
        private FormatEvidence _format;
        private bool _open;

        /// <summary>Creates a log over a store; call <see cref="Open"/> before anything else.</summary>
        public RecordLog(IFlashStore store, RecordLogSettings settings)
        {
            if (store == null || settings == null)
            {
                throw new ArgumentNullException("store");
            }

            if (settings.MaxFrameBytes + FrameFormat.EndFrameBytes > settings.SegmentBytes || settings.MaxReadingsAtRisk < 1)
            {
                throw new ArgumentException("frames must fit in a segment and at least one reading may be at risk");
            }

            _store = store;
            _s = settings;
            _block = store.BlockSize;
            int n = settings.MaxSegments;
            _segId = new uint[n];
            _segFirst = new uint[n];
            _segLast = new uint[n];
            _segT0 = new long[n];
            _segT1 = new long[n];
            _segBytes = new int[n];
            _segFlags = new byte[n];
            _stage = new FrameWriter(settings.MaxFrameBytes);
            _readBuf = new byte[settings.MaxFrameBytes];
            _ackFirst = new uint[settings.MaxAckRanges];
            _ackLast = new uint[settings.MaxAckRanges];
            _stateBuf = new byte[17 + 8 * settings.MaxAckRanges];
            _state = new DurableState(store, _stateBuf.Length);
            _list = new uint[n + 16];
            if (settings.Mirror != null)
            {
                _mirror = new DurableState(settings.Mirror, _stateBuf.Length);
            }
        }

        /// <summary>The next sequence number the log will hand out.</summary>
        public uint NextSequence
        {
            get { return _nextSeq; }
        }

        /// <summary>Readings staged in RAM and not yet committed.</summary>
        public int StagedReadings
        {
            get { return _stagedReadings; }
        }

        /// <summary>The durable key/value store the log keeps its own state in (keys 0–15 belong to the log).</summary>
        public DurableState State
        {
            get { return _state; }
        }

        /// <summary>RAM the log holds (index, frame buffers, acknowledgement ranges, state), bytes.</summary>
        public int RamBytes
        {
            get
            {
                int n = _segId.Length;
                int index = n * (4 + 4 + 4 + 8 + 8 + 4 + 1);
                int frames = _stage.Buffer.Length + _readBuf.Length + 2 * 32 * 4;
                int other = _ackFirst.Length * 8 + _stateBuf.Length + _state.RamBytes + _list.Length * 4 + _dirPos.Length * 8 + _journals.Length * 4;
                return index + frames + other + 200;
            }
        }

        // ===================================================================== appending

        /// <summary>
        /// Stages a reading and returns its sequence number; commits when the staged readings reach
        /// <see cref="RecordLogSettings.MaxReadingsAtRisk"/>.
        /// </summary>
        public uint Append(ref Reading reading)
        {
            RequireOpen();
            LogRecord r = new LogRecord();
            r.Kind = RecordKind.Reading;
            r.Channel = reading.Channel;
            r.TimeMs = reading.TimeMs;
            r.Value = reading.Value;
            r.Status = reading.Status;
            r.Span = 1;
            uint seq = Stage(ref r);
            _stagedReadings++;
            if (_stagedReadings > _atRiskHighWater)
            {
                _atRiskHighWater = _stagedReadings;
            }

            if (_stagedReadings >= _s.MaxReadingsAtRisk)
            {
                Commit();
            }

            return seq;
        }

        /// <summary>Appends and commits at once an event, alarm or marker; returns its sequence number.</summary>
        public uint AppendEvent(RecordKind kind, ChannelId channel, long timeMs, ushort code, int value)
        {
            RequireOpen();
            if (kind != RecordKind.Event && kind != RecordKind.Alarm && kind != RecordKind.Marker)
            {
                throw new ArgumentException("kind");
            }

            LogRecord r = new LogRecord();
            r.Kind = kind;
            r.Channel = channel;
            r.TimeMs = timeMs;
            r.Code = code;
            r.Value = value;
            r.Span = 1;
            uint seq = Stage(ref r);
            Commit();
            return seq;
        }

        /// <summary>Commits every staged record (one journal append); durable when this returns.</summary>
        public void Commit()
        {
            RequireOpen();
            if (_stagedRecords == 0)
            {
                return;
            }

            int len = _stage.Finish();
            if (_journalId == 0)
            {
                _journalId = _nextJournalId++;
                _journalBytes = 0;
                _journalFirst = LittleEndian.ReadUInt32(_stage.Buffer, 4);
                _journalT0 = _stagedT0;
                _journalT1 = _stagedT1;
                _journalAlarm = false;
            }

            WriteAppend(_journalId, _stage.Buffer, len, _journalBytes);
            _commits++;
            _journalBytes += len;
            _journalLast = _stage.LastSequence;
            _journalT0 = _stagedT0 < _journalT0 ? _stagedT0 : _journalT0;
            _journalT1 = _stagedT1 > _journalT1 ? _stagedT1 : _journalT1;
            _journalAlarm |= _stagedAlarm;
            _stagedRecords = 0;
            _stagedReadings = 0;
            _stagedAlarm = false;
            _stage.Begin(0);
            InvalidateReadCache();
            if (_journalBytes >= _s.JournalSealBytes)
            {
                Seal();
                EnforceCapacity();
            }

            TrackHighWater();
        }

        /// <summary>
        /// The supply is failing: commits everything staged, writes a power-failing marker and records the exact
        /// sequence reservation, so the next boot skips no number.
        /// </summary>
        public uint PowerFailing(long timeMs)
        {
            RequireOpen();
            uint seq = AppendEvent(RecordKind.Marker, 0, timeMs, MarkerCode.PowerFailing, 0);
            _reserved = _nextSeq;
            SaveState();
            return seq;
        }

        /// <summary>Before deep sleep: commits everything staged and records the exact sequence reservation.</summary>
        public void Suspend()
        {
            RequireOpen();
            Commit();
            if (_reserved != _nextSeq)
            {
                _reserved = _nextSeq;
                SaveState();
            }
        }

        private uint Stage(ref LogRecord r)
        {
            if (_nextSeq >= _reserved)
            {
                _reserved = _nextSeq + (uint)_s.ReserveBlock;
                SaveState();
            }

            r.Sequence = _nextSeq;
            if (!_stage.TryAdd(ref r))
            {
                Commit();
                if (!_stage.TryAdd(ref r))
                {
                    throw new InvalidOperationException("record does not fit an empty frame");
                }
            }

            _nextSeq++;
            if (_stagedRecords == 0)
            {
                _stagedT0 = r.TimeMs;
                _stagedT1 = r.TimeMs;
            }

            _stagedT0 = r.TimeMs < _stagedT0 ? r.TimeMs : _stagedT0;
            _stagedT1 = r.TimeMs > _stagedT1 ? r.TimeMs : _stagedT1;
            _stagedAlarm |= r.Kind == RecordKind.Alarm;
            _stagedRecords++;
            return r.Sequence;
        }

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
            uint first = LittleEndian.ReadUInt32(_stage.Buffer, 4);
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

            WriteAppend(_emitTarget, _stage.Buffer, len, _emitBytes);
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

        // ===================================================================== primitive flash operations

        private void WriteAppend(uint id, byte[] data, int count, int currentLength)
        {
            _store.Append(id, data, 0, count);
            _bytesWritten += count;
            AddErase((currentLength + count - 1) / _block - currentLength / _block + 1);
        }

        /// <summary>littlefs model: the tail block and new blocks are erased, plus a share of a metadata-pair compaction.</summary>
        private void AddErase(int dataBlocks)
        {
            _eraseMilli += dataBlocks * 1000L + 64000L / _block * 2;
        }

        /// <summary>
        /// Reads the frame at <paramref name="pos"/> into the read buffer and checks it (three tries against read
        /// errors); returns its length or -1.
        /// </summary>
        private int LoadFrame(uint id, int pos, int fileLen)
        {
            if (id == _cacheFile && pos == _cachePos && _cacheLen > 0)
            {
                return _cacheLen;
            }

            for (int attempt = 0; attempt < 3; attempt++)
            {
                int avail = fileLen - pos;
                if (avail < FrameFormat.OverheadBytes)
                {
                    return -1;
                }

                int want = avail < _readBuf.Length ? avail : _readBuf.Length;
                int got = _store.Read(id, pos, _readBuf, 0, FrameFormat.HeaderBytes);
                if (got != FrameFormat.HeaderBytes)
                {
                    return -1;
                }

                int len = FrameFormat.FrameLength(_readBuf, 0, want);
                if (len > 0 && _store.Read(id, pos + FrameFormat.HeaderBytes, _readBuf, FrameFormat.HeaderBytes, len - FrameFormat.HeaderBytes) == len - FrameFormat.HeaderBytes
                    && FrameFormat.CrcMatches(_readBuf, 0, len))
                {
                    _cacheFile = id;
                    _cachePos = pos;
                    _cacheLen = len;
                    return len;
                }
            }

            _cacheLen = 0;
            return -1;
        }

        private uint _cacheFile;
        private int _cachePos;
        private int _cacheLen;

        private void InvalidateReadCache()
        {
            _cacheLen = 0;
            _cacheFile = 0;
            _dirFile = 0;
            _iterValid = false;
        }

        private int UsedBytes()
        {
            int used = 0;
            for (int i = 0; i < _segCount; i++)
            {
                used += Blocks(_segBytes[i]) * _block;
            }

            return used + Blocks(_journalBytes) * _block;
        }

        private int Blocks(int bytes)
        {
            return (bytes + _block - 1) / _block;
        }

        private void TrackHighWater()
        {
            int used = UsedBytes();
            if (used > _highWater)
            {
                _highWater = used;
            }
        }

        private void RequireOpen()
        {
            if (!_open)
            {
                throw new InvalidOperationException("open the log first");
            }
        }
    }
}
