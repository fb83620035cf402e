using Gateway.Core.Codec;

namespace Gateway.Bindings.Rak3172
{
    /// <summary>
    /// Classifies lines from a RUI3 module (RAK3172): OK, AT_*_ERROR statuses, +EVT: events (join, send, downlink,
    /// link check, time), "AT+NAME=value" query replies and plain text. Never throws, reads each byte at most a few
    /// times (no backtracking, no loops without a bound), allocates nothing, and counts every rejected line by reason.
    /// </summary>
    public sealed partial class AtResponseParser
    {
        private readonly int[] _malformed = new int[13];
        private int _parsed;

        /// <summary>Lines parsed since creation.</summary>
        public int ParsedCount
        {
            get { return _parsed; }
        }

        /// <summary>Lines rejected for <paramref name="reason"/> since creation.</summary>
        public int MalformedCount(AtMalformedReason reason)
        {
            int i = (int)reason;
            return i >= 0 && i < _malformed.Length ? _malformed[i] : 0;
        }

        /// <summary>Lines rejected for any reason since creation.</summary>
        public int MalformedTotal
        {
            get
            {
                int sum = 0;
                for (int i = 1; i < _malformed.Length; i++)
                {
                    sum += _malformed[i];
                }

                return sum;
            }
        }

        /// <summary>Counts a line the serial layer discarded as too long (it never reaches <see cref="Parse"/>).</summary>
        public void CountOverflow(AtResponse into)
        {
            _parsed++;
            into.Clear();
            Reject(into, AtMalformedReason.TooLong);
        }

        /// <summary>
        /// Parses <paramref name="length"/> bytes of <paramref name="line"/> from <paramref name="offset"/> (CR/LF
        /// already removed) into <paramref name="into"/>; returns its <see cref="AtResponse.Kind"/>.
        /// </summary>
        public AtLineKind Parse(byte[] line, int offset, int length, AtResponse into)
        {
            _parsed++;
            into.Clear();
            if (line == null || offset < 0 || length < 0 || offset > line.Length - length)
            {
                return Reject(into, AtMalformedReason.TooLong);
            }

            int end = offset + length;

            // Trim spaces and stray CRs at both ends.
            while (offset < end && (line[offset] == (byte)' ' || line[offset] == (byte)'\r'))
            {
                offset++;
            }

            while (end > offset && (line[end - 1] == (byte)' ' || line[end - 1] == (byte)'\r'))
            {
                end--;
            }

            for (int i = offset; i < end; i++)
            {
                byte b = line[i];
                if (b < 0x20 || b > 0x7E)
                {
                    return Reject(into, AtMalformedReason.NonPrintable);
                }
            }

            if (offset == end)
            {
                into.Kind = AtLineKind.Empty;
                return into.Kind;
            }

            if (TextIs(line, offset, end, "OK"))
            {
                into.Kind = AtLineKind.Ok;
                return into.Kind;
            }

            if (StartsWith(line, offset, end, "+EVT:"))
            {
                return ParseEvent(line, offset + 5, end, into);
            }

            if (StartsWith(line, offset, end, "AT_"))
            {
                into.Kind = AtLineKind.Error;
                into.Error = ClassifyError(line, offset, end);
                return into.Kind;
            }

            if (StartsWith(line, offset, end, "AT+"))
            {
                return ParseValue(line, offset + 3, end, into);
            }

            into.Kind = AtLineKind.Text;
            into.ValueStart = offset;
            into.ValueLength = end - offset;
            ParseDecimal(line, offset, end, into);
            DecodeHexValue(line, offset, end, into);
            return into.Kind;
        }

        // ---------------------------------------------------------------- events

        private AtLineKind ParseEvent(byte[] line, int start, int end, AtResponse into)
        {
            while (start < end && line[start] == (byte)' ')
            {
                start++;
            }

            if (start >= end)
            {
                return Reject(into, AtMalformedReason.EmptyEvent);
            }

            if (NameIs(line, start, end, "JOINED"))
            {
                return Event(into, AtEvent.Joined);
            }

            if (NamePrefix(line, start, end, "JOIN_FAILED") || NamePrefix(line, start, end, "JOIN FAILED"))
            {
                return Event(into, AtEvent.JoinFailed);
            }

            if (NameIs(line, start, end, "TX_DONE"))
            {
                return Event(into, AtEvent.TxDone);
            }

            if (NameIs(line, start, end, "SEND_CONFIRMED_OK"))
            {
                return Event(into, AtEvent.SendConfirmedOk);
            }

            if (NamePrefix(line, start, end, "SEND_CONFIRMED_FAILED"))
            {
                int p = start + 21;
                if (p < end)
                {
                    // Optional "(n)" code.
                    if (line[p] != (byte)'(' || line[end - 1] != (byte)')' || !TryParseInt(line, p + 1, end - 1, 0, 255, out int code))
                    {
                        return Reject(into, AtMalformedReason.BadStatusCode);
                    }

                    into.Port = code;
                }

                return Event(into, AtEvent.SendConfirmedFailed);
            }

            if (NameIs(line, start, end, "TIMEREQ_OK"))
            {
                return Event(into, AtEvent.TimeRequestOk);
            }

            if (NamePrefix(line, start, end, "TIMEREQ_FAILED"))
            {
                return Event(into, AtEvent.TimeRequestFailed);
            }

            if (NamePrefix(line, start, end, "LINKCHECK:"))
            {
                return ParseLinkCheck(line, start + 10, end, into);
            }

            if (NamePrefix(line, start, end, "RX_") && end - start >= 4)
            {
                return ParseDownlink(line, start + 3, end, into);
            }

            return Event(into, AtEvent.Other);
        }

        private AtLineKind ParseLinkCheck(byte[] line, int p, int end, AtResponse into)
        {
            // Y0:Y1:Y2:Y3:Y4 (RUI3 3.2+) or Y0,Y1,Y2,Y3,Y4 (earlier).
            int[] bounds = _fieldBounds;
            int n = Split(line, p, end, bounds, 5, true);
            if (n < 5)
            {
                return Reject(into, n < 0 ? AtMalformedReason.ExtraField : AtMalformedReason.MissingField);
            }

            if (!TryParseInt(line, bounds[0], bounds[1], 0, 255, out into.LinkResult)
                || !TryParseInt(line, bounds[2], bounds[3], 0, 255, out into.LinkMargin)
                || !TryParseInt(line, bounds[4], bounds[5], 0, 255, out into.LinkGateways)
                || !TryParseInt(line, bounds[6], bounds[7], -200, 50, out into.Rssi)
                || !TryParseInt(line, bounds[8], bounds[9], -50, 50, out into.Snr))
            {
                return Reject(into, AtMalformedReason.BadNumber);
            }

            return Event(into, AtEvent.LinkCheck);
        }

        private AtLineKind ParseDownlink(byte[] line, int p, int end, AtResponse into)
        {
            // RX_<w>:<rssi>:<snr>:<UNICAST|MULTICAST>:<port>:<hex>; the hex part may be empty or absent (MAC-only).
            byte w = line[p];
            if (w == (byte)'1' || w == (byte)'2')
            {
                into.Window = w - (byte)'0';
            }
            else if (w == (byte)'B' || w == (byte)'C')
            {
                into.Window = w;
            }
            else
            {
                return Reject(into, AtMalformedReason.BadDownlinkKind);
            }

            p++;
            if (p >= end || line[p] != (byte)':')
            {
                return Reject(into, AtMalformedReason.MissingField);
            }

            int[] b = _fieldBounds;
            int n = Split(line, p + 1, end, b, 5, false);
            if (n < 0)
            {
                return Reject(into, AtMalformedReason.ExtraField);
            }

            if (n < 4)
            {
                return Reject(into, AtMalformedReason.MissingField);
            }

            if (!TryParseInt(line, b[0], b[1], -200, 50, out into.Rssi) || !TryParseInt(line, b[2], b[3], -50, 50, out into.Snr))
            {
                return Reject(into, AtMalformedReason.BadNumber);
            }

            if (SpanIs(line, b[4], b[5], "UNICAST"))
            {
                into.Multicast = false;
            }
            else if (SpanIs(line, b[4], b[5], "MULTICAST"))
            {
                into.Multicast = true;
            }
            else
            {
                return Reject(into, AtMalformedReason.BadDownlinkKind);
            }

            if (!TryParseInt(line, b[6], b[7], 0, 255, out into.Port))
            {
                return Reject(into, AtMalformedReason.BadNumber);
            }

            if (n == 5)
            {
                AtMalformedReason hex = DecodeHex(line, b[8], b[9], into.Payload, out into.PayloadLength);
                if (hex != AtMalformedReason.None)
                {
                    return Reject(into, hex);
                }
            }

            return Event(into, AtEvent.Downlink);
        }

        // ---------------------------------------------------------------- query values

        private AtLineKind ParseValue(byte[] line, int p, int end, AtResponse into)
        {
            int nameStart = p;
            while (p < end && line[p] != (byte)'=' && line[p] != (byte)':')
            {
                byte c = line[p];
                bool nameChar = (c >= (byte)'A' && c <= (byte)'Z') || (c >= (byte)'a' && c <= (byte)'z') || (c >= (byte)'0' && c <= (byte)'9') || c == (byte)'_';
                if (!nameChar)
                {
                    return Reject(into, AtMalformedReason.BadValue);
                }

                p++;
            }

            if (p == nameStart || p >= end)
            {
                return Reject(into, AtMalformedReason.BadValue);
            }

            into.Kind = AtLineKind.Value;
            into.NameStart = nameStart;
            into.NameLength = p - nameStart;
            p++;
            while (p < end && line[p] == (byte)' ')
            {
                p++;
            }

            into.ValueStart = p;
            into.ValueLength = end - p;
            ParseDecimal(line, p, end, into);
            DecodeHexValue(line, p, end, into);
            return into.Kind;
        }

        // ---------------------------------------------------------------- primitives

        private readonly int[] _fieldBounds = new int[10];

        private static AtError ClassifyError(byte[] line, int p, int end)
        {
            if (TextIs(line, p, end, "AT_ERROR"))
            {
                return AtError.Generic;
            }

            if (TextIs(line, p, end, "AT_PARAM_ERROR"))
            {
                return AtError.Param;
            }

            if (TextIs(line, p, end, "AT_BUSY_ERROR"))
            {
                return AtError.Busy;
            }

            if (TextIs(line, p, end, "AT_TEST_PARAM_OVERFLOW"))
            {
                return AtError.ParamOverflow;
            }

            if (TextIs(line, p, end, "AT_NO_CLASSB_ENABLE"))
            {
                return AtError.NoClassB;
            }

            if (TextIs(line, p, end, "AT_NO_NETWORK_JOINED"))
            {
                return AtError.NotJoined;
            }

            if (TextIs(line, p, end, "AT_RX_ERROR"))
            {
                return AtError.Rx;
            }

            if (TextIs(line, p, end, "AT_MODE_NO_SUPPORT"))
            {
                return AtError.ModeNotSupported;
            }

            if (TextIs(line, p, end, "AT_COMMAND_NOT_FOUND"))
            {
                return AtError.CommandNotFound;
            }

            if (StartsWith(line, p, end, "AT_DUTYCYCLE"))
            {
                return AtError.Restricted;
            }

            return AtError.Unknown;
        }

        private static AtLineKind Event(AtResponse into, AtEvent e)
        {
            into.Kind = AtLineKind.Event;
            into.Event = e;
            return into.Kind;
        }

        private AtLineKind Reject(AtResponse into, AtMalformedReason reason)
        {
            into.Clear();
            into.Kind = AtLineKind.Malformed;
            into.Malformed = reason;
            _malformed[(int)reason]++;
            return into.Kind;
        }

    }
}
