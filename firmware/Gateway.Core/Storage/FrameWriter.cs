using System;
using Gateway.Core.Sensing;

namespace Gateway.Core.Storage
{
    /// <summary>
    /// Builds one frame (format version 2) in a preallocated buffer: records are delta-coded against the frame's base
    /// and the last value of each channel. The body is built at <see cref="FrameFormat.MaxHeaderBytes"/>; finishing
    /// writes the compact header just before it, so the frame is <see cref="Buffer"/> from <see cref="Start"/>.
    /// Allocates nothing after construction.
    /// </summary>
    public sealed class FrameWriter
    {
        private const int MaxRecordBytes = 40;
        private readonly byte[] _buf;
        private readonly int[] _last = new int[32];
        private readonly int _max;
        private int _pos;
        private int _count;
        private uint _first;
        private uint _prev;
        private long _base;
        private long _time;
        private byte _flags;
        private int _start;

        // The last record, when it is a plain reading a same-instant group may start from (channel 1-8), and the
        // position of the open group's mask byte (-1: none).
        private int _runAt;
        private int _runCh;
        private bool _runTimed;
        private long _runDt;
        private long _runDv;
        private ReadingStatus _runStatus;
        private int _groupAt;

        /// <summary>Creates a writer for frames of at most <paramref name="maxFrameBytes"/> bytes.</summary>
        public FrameWriter(int maxFrameBytes)
        {
            if (maxFrameBytes < FrameFormat.OverheadBytes + MaxRecordBytes * 2)
            {
                throw new ArgumentOutOfRangeException("maxFrameBytes");
            }

            _max = maxFrameBytes;
            _buf = new byte[maxFrameBytes];
            Begin(0);
        }

        /// <summary>The buffer holding the frame (valid from <see cref="Start"/> for the length <see cref="Finish"/> returned).</summary>
        public byte[] Buffer
        {
            get { return _buf; }
        }

        /// <summary>Offset of the finished frame in <see cref="Buffer"/> (set by <see cref="Finish"/>).</summary>
        public int Start
        {
            get { return _start; }
        }

        /// <summary>Sequence of the frame's first record.</summary>
        public uint FirstSequence
        {
            get { return _first; }
        }

        /// <summary>Records in the frame being built.</summary>
        public int Count
        {
            get { return _count; }
        }

        /// <summary>Bytes the frame would take if finished now, at most (the header is counted at its longest).</summary>
        public int Length
        {
            get { return _pos + 4; }
        }

        /// <summary>Sequence of the last record added.</summary>
        public uint LastSequence
        {
            get { return _prev; }
        }

        /// <summary>Starts an empty frame with the given flags (0, or <see cref="FrameFormat.FlagRewrite"/>).</summary>
        public void Begin(byte flags)
        {
            _pos = FrameFormat.MaxHeaderBytes;
            _count = 0;
            _flags = flags;
            _runCh = 0;
            _groupAt = -1;
            for (int i = 0; i < _last.Length; i++)
            {
                _last[i] = 0;
            }
        }

        /// <summary>True when a record of any kind still fits in a frame limited to <paramref name="limit"/> bytes.</summary>
        public bool HasRoom(int limit)
        {
            int cap = limit < _max ? limit : _max;
            return _pos + MaxRecordBytes + 4 <= cap;
        }

        /// <summary>
        /// Adds a record; false when it does not fit or its sequence is not above the previous one.
        /// </summary>
        public bool TryAdd(ref LogRecord r)
        {
            if (!HasRoom(_max))
            {
                return false;
            }

            if (_count == 0)
            {
                _first = r.Sequence;
                _prev = r.Sequence - 1;
                _base = r.TimeMs;
                _time = r.TimeMs;
            }
            else if (r.Sequence <= _prev)
            {
                return false;
            }

            int p = _pos;
            if (r.Sequence != _prev + 1)
            {
                _buf[p++] = FrameFormat.TagSkip;
                p = Varint.WriteUInt(_buf, p, r.Sequence - _prev - 1);
            }

            switch (r.Kind)
            {
                case RecordKind.Reading:
                    {
                        int ch = (int)r.Channel;
                        if (ch > 31)
                        {
                            throw new ArgumentException("channel above 31 cannot be stored");
                        }

                        bool timed = r.TimeMs != _time;
                        long dv = (long)r.Value - _last[ch];
                        _last[ch] = r.Value;
                        if (!timed && p == _pos && _runCh > 0 && ch > _runCh && ch <= 8)
                        {
                            // Same instant, next sequence, a higher channel: one group record holds them all.
                            if (_groupAt < 0)
                            {
                                p = _runAt;
                                _buf[p++] = _runTimed ? FrameFormat.TagGroupTimed : FrameFormat.TagGroup;
                                if (_runTimed)
                                {
                                    p = Varint.WriteZigZag(_buf, p, _runDt);
                                }

                                _groupAt = p;
                                _buf[p++] = (byte)(1 << (_runCh - 1));
                                p = WriteGroupValue(p, _runDv, _runStatus);
                            }

                            _buf[_groupAt] |= (byte)(1 << (ch - 1));
                            p = WriteGroupValue(p, dv, r.Status);
                            _runCh = ch;
                            break;
                        }

                        bool flagged = r.Status != 0;
                        _runAt = p;
                        _runCh = ch >= 1 && ch <= 8 ? ch : 0;
                        _runTimed = timed;
                        _runDt = r.TimeMs - _time;
                        _runDv = dv;
                        _runStatus = r.Status;
                        _groupAt = -1;
                        _buf[p++] = (byte)(ch | (flagged ? 0x20 : 0) | (timed ? 0x40 : 0));
                        if (timed)
                        {
                            p = Varint.WriteZigZag(_buf, p, _runDt);
                        }

                        p = Varint.WriteZigZag(_buf, p, dv);
                        if (flagged)
                        {
                            p = Varint.WriteUInt(_buf, p, (ushort)r.Status);
                        }

                        break;
                    }

                case RecordKind.Gap:
                    _runCh = 0;
                    _buf[p++] = FrameFormat.TagGap;
                    p = Varint.WriteZigZag(_buf, p, r.TimeMs - _time);
                    p = Varint.WriteUInt(_buf, p, r.Span < 1 ? 1u : r.Span);
                    break;

                default:
                    _runCh = 0;
                    _buf[p++] = (byte)(FrameFormat.TagEvent + (int)r.Kind - (int)RecordKind.Event);
                    _buf[p++] = (byte)r.Channel;
                    p = Varint.WriteZigZag(_buf, p, r.TimeMs - _time);
                    p = Varint.WriteUInt(_buf, p, r.Code);
                    p = Varint.WriteZigZag(_buf, p, r.Value);
                    break;
            }

            _time = r.TimeMs;
            _prev = r.Sequence;
            _pos = p;
            _count++;
            return true;
        }

        /// <summary>A value inside a group: <c>uv</c> of (zigzag delta × 2 + flagged), then <c>uv</c> status if flagged.</summary>
        private int WriteGroupValue(int p, long dv, ReadingStatus status)
        {
            p = Varint.WriteUInt(_buf, p, (Varint.ZigZag(dv) << 1) | (status != 0 ? 1UL : 0UL));
            if (status != 0)
            {
                p = Varint.WriteUInt(_buf, p, (ushort)status);
            }

            return p;
        }

        /// <summary>
        /// Writes the compact header just before the body, then the CRC; returns the frame length in bytes (the frame
        /// starts at <see cref="Start"/>). Finishing again gives the same frame.
        /// </summary>
        public int Finish()
        {
            int body = _pos - FrameFormat.MaxHeaderBytes;
            int hlen = 2 + Varint.UIntBytes((ulong)body) + Varint.UIntBytes(_first) + Varint.UIntBytes(Varint.ZigZag(_base));
            int s = FrameFormat.MaxHeaderBytes - hlen;
            _buf[s] = FrameFormat.Sync;
            _buf[s + 1] = (byte)(FrameFormat.Version | _flags);
            int p = Varint.WriteUInt(_buf, s + 2, (ulong)body);
            p = Varint.WriteUInt(_buf, p, _first);
            Varint.WriteZigZag(_buf, p, _base);
            LittleEndian.WriteUInt32(_buf, _pos, Crc32.Compute(_buf, s, _pos - s));
            _start = s;
            return _pos + 4 - s;
        }

        /// <summary>Builds an end frame (rewrite complete) superseding [first, last]; returns its length.</summary>
        public int FinishEnd(uint first, uint last)
        {
            Begin(FrameFormat.FlagRewrite | FrameFormat.FlagEnd);
            _first = first;
            _base = 0;
            LittleEndian.WriteUInt32(_buf, FrameFormat.MaxHeaderBytes, first);
            LittleEndian.WriteUInt32(_buf, FrameFormat.MaxHeaderBytes + 4, last);
            _pos = FrameFormat.MaxHeaderBytes + 8;
            return Finish();
        }
    }
}
