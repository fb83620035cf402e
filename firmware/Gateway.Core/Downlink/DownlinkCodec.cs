using System;
using Gateway.Core.Security;
using Gateway.Core.Storage;

namespace Gateway.Core.Downlink
{
    /// <summary>
    /// Encodes (cloud side) and decodes and verifies (gateway side) downlink commands; the format is in README.md.
    /// The gateway's decoder allocates nothing: its buffers are made once, in the constructor.
    /// </summary>
    public sealed class DownlinkCodec
    {
        /// <summary>Format version this code reads and writes.</summary>
        public const int Version = 1;

        /// <summary>Bytes of the truncated tag.</summary>
        public const int TagBytes = 8;

        /// <summary>The longest downlink accepted, bytes.</summary>
        public const int MaxBytes = 1100;

        private static readonly byte[] Domain = { (byte)'G', (byte)'W', (byte)'D', (byte)'N' };

        private readonly IHmacSha256 _hmac;
        private readonly uint _deviceId;
        private readonly byte[] _scratch = new byte[4 + MaxBytes];
        private readonly byte[] _tag = new byte[32];
        private readonly int[] _refusals = new int[11];
        private int _pos;
        private int _end;
        private byte[] _buf;

        /// <summary>Creates the codec for one device and its key.</summary>
        public DownlinkCodec(uint deviceId, IHmacSha256 hmac)
        {
            if (hmac == null)
            {
                throw new ArgumentNullException("hmac");
            }

            _deviceId = deviceId;
            _hmac = hmac;
            _buf = _scratch;
        }

        /// <summary>The highest counter accepted so far; persist it, and restore it after a reboot.</summary>
        public uint LastCounter { get; set; }

        /// <summary>Downlinks accepted since start-up.</summary>
        public int Accepted { get; private set; }

        /// <summary>How many downlinks were refused for a reason since start-up.</summary>
        public int RefusedFor(DownlinkRefusal reason)
        {
            return _refusals[(int)reason];
        }

        /// <summary>Downlinks refused for any reason since start-up.</summary>
        public int Refused
        {
            get
            {
                int sum = 0;
                for (int i = 1; i < _refusals.Length; i++)
                {
                    sum += _refusals[i];
                }

                return sum;
            }
        }

        // ---------------------------------------------------------------------------------------------------------
        // Decoding (gateway)
        // ---------------------------------------------------------------------------------------------------------

        /// <summary>
        /// Decodes and verifies a downlink into <paramref name="result"/>. Returns <see cref="DownlinkRefusal.None"/>
        /// and advances <see cref="LastCounter"/> when accepted; otherwise the reason, counted, with nothing acted on.
        /// </summary>
        public DownlinkRefusal TryDecode(byte[] data, int offset, int count, DownlinkCommand result)
        {
            DownlinkRefusal r = Decode(data, offset, count, result);
            if (r == DownlinkRefusal.None)
            {
                LastCounter = result.Counter;
                Accepted++;
            }
            else
            {
                _refusals[(int)r]++;
                result.Clear();
            }

            return r;
        }

        private DownlinkRefusal Decode(byte[] data, int offset, int count, DownlinkCommand result)
        {
            result.Clear();
            if (data == null || offset < 0 || count < 0 || offset > data.Length - count)
            {
                return DownlinkRefusal.TooShort;
            }

            if (count < 4 + TagBytes)
            {
                return DownlinkRefusal.TooShort;
            }

            if (count > MaxBytes)
            {
                return DownlinkRefusal.BodyOutOfRange;
            }

            int head = data[offset];
            if ((head >> 4) != Version)
            {
                return DownlinkRefusal.WrongVersion;
            }

            int kind = head & 0x0F;
            if (kind < (int)DownlinkKind.Ack || kind > (int)DownlinkKind.Reboot)
            {
                return DownlinkRefusal.UnknownKind;
            }

            result.Kind = (DownlinkKind)kind;
            result.KeyId = data[offset + 1];
            _buf = data;
            _pos = offset + 2;
            _end = offset + count - TagBytes;

            uint device;
            uint counter;
            if (!ReadU32(out device) || !ReadU32(out counter))
            {
                return DownlinkRefusal.MalformedVarint;
            }

            result.DeviceId = device;
            result.Counter = counter;
            DownlinkRefusal body = DecodeBody(result);
            if (body != DownlinkRefusal.None)
            {
                return body;
            }

            if (_pos != _end)
            {
                return DownlinkRefusal.TrailingBytes;
            }

            // Identity and key before the tag is computed: a downlink for another gateway or key says so plainly.
            if (device != _deviceId)
            {
                return DownlinkRefusal.WrongDevice;
            }

            if (result.KeyId != _hmac.KeyId)
            {
                return DownlinkRefusal.UnknownKey;
            }

            ComputeTag(data, offset, count - TagBytes);
            int diff = 0;
            for (int i = 0; i < TagBytes; i++)
            {
                diff |= _tag[i] ^ data[offset + count - TagBytes + i];
            }

            if (diff != 0)
            {
                return DownlinkRefusal.BadTag;
            }

            // Replay is judged only on an authentic downlink, so a forged counter cannot push the window forward.
            if (counter <= LastCounter)
            {
                return DownlinkRefusal.Replay;
            }

            return DownlinkRefusal.None;
        }

        private DownlinkRefusal DecodeBody(DownlinkCommand c)
        {
            uint a;
            uint b;
            long t1;
            long t2;
            switch (c.Kind)
            {
                case DownlinkKind.Ack:
                    if (!ReadU32(out a))
                    {
                        return DownlinkRefusal.MalformedVarint;
                    }

                    if (a < 1 || a > DownlinkCommand.MaxAckRanges)
                    {
                        return DownlinkRefusal.BodyOutOfRange;
                    }

                    for (int i = 0; i < (int)a; i++)
                    {
                        if (!ReadU32(out c.AckFirst[i]) || !ReadU32(out c.AckCount[i]))
                        {
                            return DownlinkRefusal.MalformedVarint;
                        }

                        if (c.AckCount[i] < 1 || (ulong)c.AckFirst[i] + c.AckCount[i] - 1 > uint.MaxValue)
                        {
                            return DownlinkRefusal.BodyOutOfRange;
                        }
                    }

                    c.AckRangeCount = (int)a;
                    return DownlinkRefusal.None;

                case DownlinkKind.Time:
                    if (!ReadI64(out t1))
                    {
                        return DownlinkRefusal.MalformedVarint;
                    }

                    c.TimeMs = t1;
                    return DownlinkRefusal.None;

                case DownlinkKind.Config:
                    if (!ReadU32(out a))
                    {
                        return DownlinkRefusal.MalformedVarint;
                    }

                    if (a < 1 || a > DownlinkCommand.MaxConfigBytes || a > (uint)(_end - _pos))
                    {
                        return DownlinkRefusal.BodyOutOfRange;
                    }

                    Array.Copy(_buf, _pos, c.ConfigBytes, 0, (int)a);
                    c.ConfigLength = (int)a;
                    _pos += (int)a;
                    return DownlinkRefusal.None;

                case DownlinkKind.History:
                    if (!ReadI64(out t1) || !ReadI64(out t2))
                    {
                        return DownlinkRefusal.MalformedVarint;
                    }

                    if (t1 >= t2)
                    {
                        return DownlinkRefusal.BodyOutOfRange;
                    }

                    c.TimeMs = t1;
                    c.ToTimeMs = t2;
                    return DownlinkRefusal.None;

                case DownlinkKind.Cadence:
                    if (!ReadU32(out a) || !ReadU32(out b))
                    {
                        return DownlinkRefusal.MalformedVarint;
                    }

                    if (a < 60 || a > 3600 || b < 1 || b > 604800)
                    {
                        return DownlinkRefusal.BodyOutOfRange;
                    }

                    c.Seconds = a;
                    c.DurationSeconds = b;
                    return DownlinkRefusal.None;

                default: // Reboot
                    if (!ReadU32(out a))
                    {
                        return DownlinkRefusal.MalformedVarint;
                    }

                    if (a > 3600)
                    {
                        return DownlinkRefusal.BodyOutOfRange;
                    }

                    c.Seconds = a;
                    return DownlinkRefusal.None;
            }
        }

        private bool ReadU32(out uint value)
        {
            ulong v;
            bool ok = ReadVarint(5, out v);
            value = (uint)v;
            return ok && v <= uint.MaxValue;
        }

        private bool ReadI64(out long value)
        {
            ulong v;
            bool ok = ReadVarint(10, out v);
            value = (long)v;
            return ok && v <= long.MaxValue;
        }

        private bool ReadVarint(int maxBytes, out ulong value)
        {
            // The log's LEB128 reader, plus this format's rule: a varint longer than its field allows is malformed.
            int start = _pos;
            if (!Varint.TryReadUInt(_buf, ref _pos, _end, out value))
            {
                return false;
            }

            int used = _pos - start;
            return used <= maxBytes && (used < 10 || (_buf[_pos - 1] & 0x7E) == 0);
        }

        private void ComputeTag(byte[] data, int offset, int count)
        {
            Array.Copy(Domain, 0, _scratch, 0, 4);
            Array.Copy(data, offset, _scratch, 4, count);
            _hmac.Compute(_scratch, 0, 4 + count, _tag, 0);
        }

        // ---------------------------------------------------------------------------------------------------------
        // Encoding (cloud; also used by the tests and the simulator)
        // ---------------------------------------------------------------------------------------------------------

        /// <summary>
        /// Encodes a command for this codec's device with its key into <paramref name="output"/> (at least
        /// <see cref="MaxBytes"/> long) and returns the length. The caller chooses the counter (strictly increasing).
        /// </summary>
        public int Encode(DownlinkCommand c, byte[] output)
        {
            if (c == null || output == null)
            {
                throw new ArgumentNullException(c == null ? "c" : "output");
            }

            _buf = output;
            _pos = 0;
            _end = output.Length;
            output[_pos++] = (byte)((Version << 4) | (int)c.Kind);
            output[_pos++] = _hmac.KeyId;
            WriteVarint(_deviceId);
            WriteVarint(c.Counter);
            switch (c.Kind)
            {
                case DownlinkKind.Ack:
                    if (c.AckRangeCount < 1 || c.AckRangeCount > DownlinkCommand.MaxAckRanges)
                    {
                        throw new ArgumentException("an ack carries 1 to 16 ranges");
                    }

                    WriteVarint((ulong)c.AckRangeCount);
                    for (int i = 0; i < c.AckRangeCount; i++)
                    {
                        WriteVarint(c.AckFirst[i]);
                        WriteVarint(c.AckCount[i]);
                    }

                    break;
                case DownlinkKind.Time:
                    WriteVarint((ulong)c.TimeMs);
                    break;
                case DownlinkKind.Config:
                    WriteVarint((ulong)c.ConfigLength);
                    Array.Copy(c.ConfigBytes, 0, output, _pos, c.ConfigLength);
                    _pos += c.ConfigLength;
                    break;
                case DownlinkKind.History:
                    WriteVarint((ulong)c.TimeMs);
                    WriteVarint((ulong)c.ToTimeMs);
                    break;
                case DownlinkKind.Cadence:
                    WriteVarint(c.Seconds);
                    WriteVarint(c.DurationSeconds);
                    break;
                case DownlinkKind.Reboot:
                    WriteVarint(c.Seconds);
                    break;
                default:
                    throw new ArgumentException("unknown downlink kind");
            }

            ComputeTag(output, 0, _pos);
            Array.Copy(_tag, 0, output, _pos, TagBytes);
            _buf = _scratch;
            return _pos + TagBytes;
        }

        private void WriteVarint(ulong v)
        {
            _pos = Varint.WriteUInt(_buf, _pos, v);
        }
    }
}
