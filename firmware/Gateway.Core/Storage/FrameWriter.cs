using System;

namespace Gateway.Core.Storage
{
    /// <summary>
    /// Builds one frame in a preallocated buffer: records are delta-coded against the frame's base and the last value
    /// of each channel. Allocates nothing after construction.
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

        /// <summary>The buffer holding the frame (valid from 0 to the length <see cref="Finish"/> returned).</summary>
        public byte[] Buffer
        {
            get { return _buf; }
        }

        /// <summary>Records in the frame being built.</summary>
        public int Count
        {
            get { return _count; }
        }

        /// <summary>Bytes the frame would take if finished now.</summary>
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
            _pos = FrameFormat.HeaderBytes;
            _count = 0;
            _flags = flags;
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
                        bool flagged = r.Status != 0;
                        _buf[p++] = (byte)(ch | (flagged ? 0x20 : 0) | (timed ? 0x40 : 0));
                        if (timed)
                        {
                            p = Varint.WriteZigZag(_buf, p, r.TimeMs - _time);
                        }

                        p = Varint.WriteZigZag(_buf, p, (long)r.Value - _last[ch]);
                        if (flagged)
                        {
                            p = Varint.WriteUInt(_buf, p, (ushort)r.Status);
                        }

                        _last[ch] = r.Value;
                        break;
                    }

                case RecordKind.Gap:
                    _buf[p++] = FrameFormat.TagGap;
                    p = Varint.WriteZigZag(_buf, p, r.TimeMs - _time);
                    p = Varint.WriteUInt(_buf, p, r.Span < 1 ? 1u : r.Span);
                    break;

                default:
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

        /// <summary>Writes the header and CRC; returns the frame length in bytes.</summary>
        public int Finish()
        {
            _buf[0] = FrameFormat.Sync;
            _buf[1] = (byte)(FrameFormat.Version | _flags);
            LittleEndian.WriteUInt16(_buf, 2, _pos - FrameFormat.HeaderBytes);
            LittleEndian.WriteUInt32(_buf, 4, _first);
            LittleEndian.WriteInt64(_buf, 8, _base);
            LittleEndian.WriteUInt32(_buf, _pos, Crc32.Compute(_buf, 0, _pos));
            return _pos + 4;
        }

        /// <summary>Builds an end frame (rewrite complete) superseding [first, last]; returns its length.</summary>
        public int FinishEnd(uint first, uint last)
        {
            Begin(FrameFormat.FlagRewrite | FrameFormat.FlagEnd);
            _first = first;
            _base = 0;
            LittleEndian.WriteUInt32(_buf, FrameFormat.HeaderBytes, first);
            LittleEndian.WriteUInt32(_buf, FrameFormat.HeaderBytes + 4, last);
            _pos = FrameFormat.HeaderBytes + 8;
            return Finish();
        }
    }
}
