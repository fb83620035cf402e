using Gateway.Core.Sensing;

namespace Gateway.Core.Storage
{
    /// <summary>
    /// Decodes the records of one frame (version 1 or 2) already checked by <see cref="FrameFormat"/>. Allocates nothing.
    /// </summary>
    public sealed class FrameReader
    {
        private readonly int[] _last = new int[32];
        private byte[] _buf;
        private int _pos;
        private int _end;
        private uint _prev;
        private long _time;
        private int _group;

        /// <summary>Sequence of the frame's first record.</summary>
        public uint FirstSequence;

        /// <summary>Frame flags (rewrite, end).</summary>
        public byte Flags;

        /// <summary>Offset of the body in the buffer (an end frame's superseded range is there).</summary>
        public int BodyStart;

        /// <summary>True when decoding stopped at a tag or field this version does not know.</summary>
        public bool Malformed;

        /// <summary>Starts decoding the frame at <paramref name="o"/> of length <paramref name="len"/> (CRC already checked).</summary>
        public void Start(byte[] b, int o, int len)
        {
            _buf = b;
            Flags = (byte)(b[o + 1] & 0xF0);
            int body;
            FrameFormat.ParseHeader(b, o, len, len, out FirstSequence, out _time, out body);
            _prev = FirstSequence - 1;
            _pos = o + body;
            BodyStart = _pos;
            _end = o + len - 4;
            Malformed = false;
            _group = 0;
            for (int i = 0; i < _last.Length; i++)
            {
                _last[i] = 0;
            }

            if ((Flags & FrameFormat.FlagEnd) != 0)
            {
                _pos = _end;
            }
        }

        /// <summary>Decodes the next record; false at the end of the frame or when malformed.</summary>
        public bool Next(out LogRecord r)
        {
            r = new LogRecord();
            if (_group != 0)
            {
                return NextInGroup(ref r);
            }

            while (_pos < _end)
            {
                byte tag = _buf[_pos++];
                ulong u;
                long z;
                if (tag == FrameFormat.TagSkip)
                {
                    if (!Varint.TryReadUInt(_buf, ref _pos, _end, out u) || u > 0xFFFFFFFF)
                    {
                        return Fail();
                    }

                    _prev += (uint)u;
                    continue;
                }

                if (tag == FrameFormat.TagGroup || tag == FrameFormat.TagGroupTimed)
                {
                    if (tag == FrameFormat.TagGroupTimed)
                    {
                        if (!Varint.TryReadZigZag(_buf, ref _pos, _end, out z))
                        {
                            return Fail();
                        }

                        _time += z;
                    }

                    if (_pos >= _end || _buf[_pos] == 0)
                    {
                        return Fail();
                    }

                    _group = _buf[_pos++];
                    return NextInGroup(ref r);
                }

                r.Sequence = _prev + 1;
                r.Span = 1;
                if ((tag & 0x80) == 0)
                {
                    int ch = tag & 0x1F;
                    r.Kind = RecordKind.Reading;
                    r.Channel = (ChannelId)ch;
                    if ((tag & 0x40) != 0)
                    {
                        if (!Varint.TryReadZigZag(_buf, ref _pos, _end, out z))
                        {
                            return Fail();
                        }

                        _time += z;
                    }

                    if (!Varint.TryReadZigZag(_buf, ref _pos, _end, out z))
                    {
                        return Fail();
                    }

                    r.Value = (int)(_last[ch] + z);
                    _last[ch] = r.Value;
                    if ((tag & 0x20) != 0)
                    {
                        if (!Varint.TryReadUInt(_buf, ref _pos, _end, out u))
                        {
                            return Fail();
                        }

                        r.Status = (ReadingStatus)(ushort)u;
                    }
                }
                else if (tag == FrameFormat.TagGap)
                {
                    r.Kind = RecordKind.Gap;
                    if (!Varint.TryReadZigZag(_buf, ref _pos, _end, out z) || !Varint.TryReadUInt(_buf, ref _pos, _end, out u) || u == 0 || u > 0xFFFFFFFF)
                    {
                        return Fail();
                    }

                    _time += z;
                    r.Span = (uint)u;
                }
                else if (tag >= FrameFormat.TagEvent && tag <= FrameFormat.TagEvent + 2 && _pos < _end)
                {
                    r.Kind = (RecordKind)((int)RecordKind.Event + tag - FrameFormat.TagEvent);
                    r.Channel = (ChannelId)_buf[_pos++];
                    if (!Varint.TryReadZigZag(_buf, ref _pos, _end, out z) || !Varint.TryReadUInt(_buf, ref _pos, _end, out u))
                    {
                        return Fail();
                    }

                    _time += z;
                    r.Code = (ushort)u;
                    if (!Varint.TryReadZigZag(_buf, ref _pos, _end, out z))
                    {
                        return Fail();
                    }

                    r.Value = (int)z;
                }
                else
                {
                    return Fail();
                }

                r.TimeMs = _time;
                _prev = r.Sequence;
                return true;
            }

            return false;
        }

        /// <summary>The next reading of the open group: the lowest channel left in its mask.</summary>
        private bool NextInGroup(ref LogRecord r)
        {
            int bit = 0;
            while ((_group & (1 << bit)) == 0)
            {
                bit++;
            }

            _group &= ~(1 << bit);
            ulong u;
            if (!Varint.TryReadUInt(_buf, ref _pos, _end, out u))
            {
                return Fail();
            }

            int ch = bit + 1;
            ulong zz = u >> 1;
            r.Sequence = _prev + 1;
            r.Span = 1;
            r.Kind = RecordKind.Reading;
            r.Channel = (ChannelId)ch;
            r.Value = (int)(_last[ch] + ((long)(zz >> 1) ^ -(long)(zz & 1)));
            _last[ch] = r.Value;
            if ((u & 1) != 0)
            {
                if (!Varint.TryReadUInt(_buf, ref _pos, _end, out u))
                {
                    return Fail();
                }

                r.Status = (ReadingStatus)(ushort)u;
            }

            r.TimeMs = _time;
            _prev = r.Sequence;
            return true;
        }

        private bool Fail()
        {
            _group = 0;
            Malformed = true;
            _pos = _end;
            return false;
        }
    }
}
