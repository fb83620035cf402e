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
        private bool _wake;

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

            if (!_wake && _stagedReadings >= _s.MaxReadingsAtRisk)
            {
                Commit();
            }

            return seq;
        }

        /// <summary>
        /// Starts a wake (one sampling instant): the readings appended until <see cref="EndWake"/> are staged together
        /// and committed as one frame, whatever <see cref="RecordLogSettings.MaxReadingsAtRisk"/> says. Anything staged
        /// before is committed first, so at most the one wake being sampled is ever at risk.
        /// </summary>
        public void BeginWake()
        {
            Commit();
            _wake = true;
        }

        /// <summary>Ends the wake: commits its readings in one journal append; durable when this returns.</summary>
        public void EndWake()
        {
            _wake = false;
            Commit();
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
                _journalFirst = _stage.FirstSequence;
                _journalT0 = _stagedT0;
                _journalT1 = _stagedT1;
                _journalAlarm = false;
            }

            WriteAppend(_journalId, len, _journalBytes);
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

        // ===================================================================== primitive flash operations

        /// <summary>Appends the finished frame of the stage (<paramref name="count"/> bytes) to a file.</summary>
        private void WriteAppend(uint id, int count, int currentLength)
        {
            _store.Append(id, _stage.Buffer, _stage.Start, count);
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
                if (avail < FrameFormat.MinFrameBytes)
                {
                    return -1;
                }

                int want = avail < _readBuf.Length ? avail : _readBuf.Length;
                int head = want < FrameFormat.MaxHeaderBytes ? want : FrameFormat.MaxHeaderBytes;
                if (_store.Read(id, pos, _readBuf, 0, head) != head)
                {
                    return -1;
                }

                uint first;
                long baseTime;
                int body;
                int len = FrameFormat.ParseHeader(_readBuf, 0, head, want, out first, out baseTime, out body);
                int rest = len - head;
                if (len > 0 && (rest <= 0 || _store.Read(id, pos + head, _readBuf, head, rest) == rest)
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
