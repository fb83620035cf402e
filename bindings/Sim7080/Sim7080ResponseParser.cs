namespace Gateway.Bindings.Sim7080
{
    /// <summary>
    /// Classifies one line from a SIM7080G (without its CR LF) into a preallocated <see cref="Sim7080Response"/>: final
    /// results (OK, ERROR, +CME ERROR), the data prompt, the information lines and URCs the driver uses, other text,
    /// and malformed lines. It never throws and never allocates: every input, however broken, gets a kind, and a
    /// malformed line is counted by reason (<see cref="MalformedCount"/>).
    /// </summary>
    /// <remarks>
    /// Formats: SIM7080 Series AT Command Manual V1.02 (AT+CPIN?, AT+CSQ, AT+CPSI?, AT+CEREG?, AT+CGREG?, AT+CNACT?,
    /// "+APP PDP:", AT+SMSTATE?, "+SMSUB:", AT+CCLK?, "NORMAL POWER DOWN", "RDY") and 3GPP TS 27.007 for the +CME ERROR
    /// codes and registration states. The modem may omit the space after the colon; both forms are accepted.
    /// </remarks>
    public sealed class Sim7080ResponseParser
    {
        private const int ReasonCount = 8;

        private readonly int[] _malformed = new int[ReasonCount];
        private byte[] _line;
        private int _pos;
        private int _end;

        /// <summary>Lines parsed since creation.</summary>
        public int LinesParsed;

        /// <summary>Malformed lines since creation, all reasons.</summary>
        public int MalformedTotal;

        /// <summary>Malformed lines seen for <paramref name="reason"/>.</summary>
        public int MalformedCount(Sim7080MalformedReason reason)
        {
            int i = (int)reason;
            return i >= 0 && i < ReasonCount ? _malformed[i] : 0;
        }

        /// <summary>Records a line the serial line discarded as too long (it is classified malformed).</summary>
        public void CountOverflow(Sim7080Response response)
        {
            response.Clear();
            LinesParsed++;
            SetMalformed(response, Sim7080MalformedReason.TooLong);
        }

        /// <summary>Parses <paramref name="count"/> bytes at <paramref name="offset"/> into <paramref name="response"/>; returns its kind.</summary>
        public Sim7080LineKind Parse(byte[] line, int offset, int count, Sim7080Response response)
        {
            response.Clear();
            LinesParsed++;
            if (line == null || count <= 0 || offset < 0 || offset + count > line.Length)
            {
                return response.Kind;
            }

            for (int i = offset; i < offset + count; i++)
            {
                if (line[i] < 0x20 || line[i] > 0x7E)
                {
                    return SetMalformed(response, Sim7080MalformedReason.NonPrintable);
                }
            }

            _line = line;
            _pos = offset;
            _end = offset + count;
            while (_end > _pos && _line[_end - 1] == (byte)' ')
            {
                _end--;
            }

            if (_end == _pos)
            {
                return response.Kind;
            }

            if (_line[_pos] == (byte)'>' && _end == _pos + 1)
            {
                response.Kind = Sim7080LineKind.Prompt;
                return response.Kind;
            }

            if (Is("OK"))
            {
                response.Kind = Sim7080LineKind.Ok;
                return response.Kind;
            }

            if (Is("ERROR"))
            {
                response.Kind = Sim7080LineKind.Error;
                response.CmeError = Sim7080Response.PlainError;
                return response.Kind;
            }

            if (Is("RDY"))
            {
                return SetInfo(response, Sim7080Info.Ready);
            }

            if (Is("NORMAL POWER DOWN"))
            {
                return SetInfo(response, Sim7080Info.PowerDown);
            }

            if (Take("+CME ERROR:"))
            {
                return ParseCme(response);
            }

            if (Take("+CPIN:"))
            {
                return ParseCpin(response);
            }

            if (Take("+CSQ:"))
            {
                return ParseCsq(response);
            }

            if (Take("+CPSI:"))
            {
                return ParseCpsi(response);
            }

            if (Take("+CEREG:"))
            {
                return ParseRegistration(response, Sim7080Info.Cereg);
            }

            if (Take("+CGREG:"))
            {
                return ParseRegistration(response, Sim7080Info.Cgreg);
            }

            if (Take("+CNACT:"))
            {
                return ParseCnact(response);
            }

            if (Take("+APP PDP:"))
            {
                return ParseAppPdp(response);
            }

            if (Take("+SMSTATE:"))
            {
                return ParseSingle(response, Sim7080Info.SmState, 0, 2);
            }

            if (Take("+SMSUB:"))
            {
                return ParseSmSub(response);
            }

            if (Take("+CCLK:"))
            {
                return ParseCclk(response);
            }

            if (Take("+CFUN:"))
            {
                return ParseSingle(response, Sim7080Info.Cfun, 0, 7);
            }

            response.Kind = Sim7080LineKind.Text;
            return response.Kind;
        }

        // ---------------------------------------------------------------- line forms

        private Sim7080LineKind ParseCme(Sim7080Response r)
        {
            SkipSpaces();
            if (_pos >= _end)
            {
                return SetMalformed(r, Sim7080MalformedReason.MissingField);
            }

            r.Kind = Sim7080LineKind.Error;
            if (IsDigit(_line[_pos]))
            {
                int code;
                if (!NextInt(out code) || _pos < _end || code > 65535)
                {
                    return SetMalformed(r, Sim7080MalformedReason.BadNumber);
                }

                r.CmeError = code;
                return r.Kind;
            }

            r.CmeError = CmeTextToCode();
            return r.Kind;
        }

        private Sim7080LineKind ParseCpin(Sim7080Response r)
        {
            SkipSpaces();
            if (_pos >= _end)
            {
                return SetMalformed(r, Sim7080MalformedReason.MissingField);
            }

            r.SimReady = Rest("READY");
            return SetInfo(r, Sim7080Info.Cpin);
        }

        private Sim7080LineKind ParseCsq(Sim7080Response r)
        {
            int rssi;
            int ber;
            if (!NextInt(out rssi) || !Comma() || !NextInt(out ber))
            {
                return SetMalformed(r, _pos >= _end ? Sim7080MalformedReason.MissingField : Sim7080MalformedReason.BadNumber);
            }

            if (_pos < _end || !((rssi >= 0 && rssi <= 31) || rssi == 99) || !((ber >= 0 && ber <= 7) || ber == 99))
            {
                return SetMalformed(r, Sim7080MalformedReason.BadNumber);
            }

            r.Number = rssi;
            r.Number2 = ber;
            return SetInfo(r, Sim7080Info.Csq);
        }

        private Sim7080LineKind ParseCpsi(Sim7080Response r)
        {
            SkipSpaces();
            int modeStart = _pos;
            while (_pos < _end && _line[_pos] != (byte)',')
            {
                _pos++;
            }

            int modeLength = _pos - modeStart;
            if (modeLength == 0)
            {
                return SetMalformed(r, Sim7080MalformedReason.MissingField);
            }

            r.SystemMode = ModeOf(modeStart, modeLength);
            int fields = 1;
            while (_pos < _end && fields < 10)
            {
                _pos++; // the comma
                while (_pos < _end && _line[_pos] != (byte)',')
                {
                    _pos++;
                }

                fields++;
            }

            if (fields < 10 || _pos >= _end)
            {
                // "NO SERVICE,Online" and other short forms: no cell metrics.
                return SetInfo(r, Sim7080Info.Cpsi);
            }

            int rsrq;
            int rsrp;
            int rssi;
            int sinr;
            if (!Comma() || !NextInt(out rsrq) || !Comma() || !NextInt(out rsrp) || !Comma() || !NextInt(out rssi)
                || !Comma() || !NextInt(out sinr))
            {
                return SetMalformed(r, Sim7080MalformedReason.BadNumber);
            }

            if (rsrp < -160 || rsrp > -30 || rsrq < -40 || rsrq > 0 || rssi < -130 || rssi > 0 || sinr < -30 || sinr > 50)
            {
                return SetMalformed(r, Sim7080MalformedReason.BadNumber);
            }

            r.HasCellMetrics = true;
            r.RsrqDb = rsrq;
            r.RsrpDbm = rsrp;
            r.RssiDbm = rssi;
            r.SinrDb = sinr;
            return SetInfo(r, Sim7080Info.Cpsi);
        }

        private Sim7080LineKind ParseRegistration(Sim7080Response r, Sim7080Info info)
        {
            int first;
            if (!NextInt(out first))
            {
                return SetMalformed(r, _pos >= _end ? Sim7080MalformedReason.MissingField : Sim7080MalformedReason.BadNumber);
            }

            int stat = first;
            if (_pos < _end)
            {
                if (!Comma())
                {
                    return SetMalformed(r, Sim7080MalformedReason.BadNumber);
                }

                SkipSpaces();
                if (_pos < _end && _line[_pos] != (byte)'"')
                {
                    // Read form "+CEREG: <n>,<stat>[,...]": the second field is the state.
                    if (!NextInt(out stat) || first > 5)
                    {
                        return SetMalformed(r, Sim7080MalformedReason.BadNumber);
                    }
                }
            }

            if (stat < 0 || stat > 10)
            {
                return SetMalformed(r, Sim7080MalformedReason.BadNumber);
            }

            r.Number = stat;
            return SetInfo(r, info);
        }

        private Sim7080LineKind ParseCnact(Sim7080Response r)
        {
            int pdp;
            int status;
            if (!NextInt(out pdp) || !Comma() || !NextInt(out status))
            {
                return SetMalformed(r, _pos >= _end ? Sim7080MalformedReason.MissingField : Sim7080MalformedReason.BadNumber);
            }

            if (pdp < 0 || pdp > 3 || status < 0 || status > 2)
            {
                return SetMalformed(r, Sim7080MalformedReason.BadNumber);
            }

            if (_pos < _end)
            {
                int s;
                int n;
                if (!Comma() || !NextQuoted(out s, out n))
                {
                    return SetMalformed(r, Sim7080MalformedReason.BadQuote);
                }
            }

            r.Number = pdp;
            r.Number2 = status;
            return SetInfo(r, Sim7080Info.Cnact);
        }

        private Sim7080LineKind ParseAppPdp(Sim7080Response r)
        {
            int pdp;
            if (!NextInt(out pdp) || !Comma())
            {
                return SetMalformed(r, _pos >= _end ? Sim7080MalformedReason.MissingField : Sim7080MalformedReason.BadNumber);
            }

            SkipSpaces();
            if (Rest("ACTIVE"))
            {
                r.Number2 = 1;
            }
            else if (Rest("DEACTIVE"))
            {
                r.Number2 = 0;
            }
            else
            {
                return SetMalformed(r, Sim7080MalformedReason.BadState);
            }

            if (pdp < 0 || pdp > 3)
            {
                return SetMalformed(r, Sim7080MalformedReason.BadNumber);
            }

            r.Number = pdp;
            return SetInfo(r, Sim7080Info.AppPdp);
        }

        private Sim7080LineKind ParseSingle(Sim7080Response r, Sim7080Info info, int min, int max)
        {
            int value;
            if (!NextInt(out value))
            {
                return SetMalformed(r, _pos >= _end ? Sim7080MalformedReason.MissingField : Sim7080MalformedReason.BadNumber);
            }

            if (_pos < _end || value < min || value > max)
            {
                return SetMalformed(r, Sim7080MalformedReason.BadNumber);
            }

            r.Number = value;
            return SetInfo(r, info);
        }

        private Sim7080LineKind ParseSmSub(Sim7080Response r)
        {
            int topicStart;
            int topicLength;
            SkipSpaces();
            if (_pos >= _end)
            {
                return SetMalformed(r, Sim7080MalformedReason.MissingField);
            }

            if (!NextQuoted(out topicStart, out topicLength) || topicLength == 0)
            {
                return SetMalformed(r, Sim7080MalformedReason.BadQuote);
            }

            if (!Comma())
            {
                return SetMalformed(r, Sim7080MalformedReason.MissingField);
            }

            SkipSpaces();
            // The message runs from its opening quote to the last byte, which must be its closing quote (a text
            // message may itself hold quotes; with SUBHEX it is hex digits only).
            if (_pos >= _end || _line[_pos] != (byte)'"' || _end - _pos < 2 || _line[_end - 1] != (byte)'"')
            {
                return SetMalformed(r, Sim7080MalformedReason.BadQuote);
            }

            r.TopicStart = topicStart;
            r.TopicLength = topicLength;
            r.MessageStart = _pos + 1;
            r.MessageLength = _end - 1 - (_pos + 1);
            return SetInfo(r, Sim7080Info.SmSub);
        }

        private Sim7080LineKind ParseCclk(Sim7080Response r)
        {
            int start;
            int length;
            SkipSpaces();
            if (_pos >= _end)
            {
                return SetMalformed(r, Sim7080MalformedReason.MissingField);
            }

            if (!NextQuoted(out start, out length))
            {
                return SetMalformed(r, Sim7080MalformedReason.BadQuote);
            }

            // yy/MM/dd,hh:mm:ss±zz (zz in quarter hours)
            if (length != 20 || _pos < _end || _line[start + 2] != (byte)'/' || _line[start + 5] != (byte)'/'
                || _line[start + 8] != (byte)',' || _line[start + 11] != (byte)':' || _line[start + 14] != (byte)':'
                || (_line[start + 17] != (byte)'+' && _line[start + 17] != (byte)'-'))
            {
                return SetMalformed(r, Sim7080MalformedReason.BadTime);
            }

            int yy = Two(start);
            int month = Two(start + 3);
            int day = Two(start + 6);
            int hour = Two(start + 9);
            int minute = Two(start + 12);
            int second = Two(start + 15);
            int zone = Two(start + 18);
            if (yy < 0 || month < 1 || month > 12 || day < 1 || day > DaysInMonth(yy >= 80 ? 1900 + yy : 2000 + yy, month) || hour < 0 || hour > 23
                || minute < 0 || minute > 59 || second < 0 || second > 59 || zone < 0 || zone > 56)
            {
                return SetMalformed(r, Sim7080MalformedReason.BadTime);
            }

            if (_line[start + 17] == (byte)'-')
            {
                zone = -zone;
            }

            // The modem counts 2000..2079; 80..99 are 1980..1999 (its unset default is 80/01/06, the GPS epoch).
            long days = DaysFromCivil(yy >= 80 ? 1900 + yy : 2000 + yy, month, day);
            long localSeconds = days * 86400L + hour * 3600L + minute * 60L + second;
            r.TimeMs = (localSeconds - zone * 900L) * 1000L;
            return SetInfo(r, Sim7080Info.Cclk);
        }

        // ---------------------------------------------------------------- helpers

        private static Sim7080LineKind SetInfo(Sim7080Response r, Sim7080Info info)
        {
            r.Kind = Sim7080LineKind.Info;
            r.Info = info;
            return r.Kind;
        }

        private Sim7080LineKind SetMalformed(Sim7080Response r, Sim7080MalformedReason reason)
        {
            r.Clear();
            r.Kind = Sim7080LineKind.Malformed;
            r.Malformed = reason;
            _malformed[(int)reason]++;
            MalformedTotal++;
            return r.Kind;
        }

        private CellSystemMode ModeOf(int start, int length)
        {
            if (Span(start, length, "LTE CAT-M1"))
            {
                return CellSystemMode.CatM;
            }

            if (Span(start, length, "LTE NB-IOT"))
            {
                return CellSystemMode.NbIot;
            }

            if (Span(start, length, "NO SERVICE"))
            {
                return CellSystemMode.NoService;
            }

            return Span(start, length, "GSM") ? CellSystemMode.Gsm : CellSystemMode.Unknown;
        }

        /// <summary>Maps a "+CME ERROR: text" (AT+CMEE=2) to its 3GPP TS 27.007 §9.2 code.</summary>
        private int CmeTextToCode()
        {
            if (Rest("operation not allowed"))
            {
                return 3;
            }

            if (Rest("operation not supported"))
            {
                return 4;
            }

            if (Rest("SIM not inserted"))
            {
                return 10;
            }

            if (Rest("SIM PIN required"))
            {
                return 11;
            }

            if (Rest("SIM PUK required"))
            {
                return 12;
            }

            if (Rest("SIM failure"))
            {
                return 13;
            }

            if (Rest("SIM busy"))
            {
                return 14;
            }

            if (Rest("SIM wrong"))
            {
                return 15;
            }

            if (Rest("incorrect password"))
            {
                return 16;
            }

            if (Rest("not found"))
            {
                return 22;
            }

            if (Rest("no network service"))
            {
                return 30;
            }

            if (Rest("network timeout"))
            {
                return 31;
            }

            return Rest("unknown") ? 100 : Sim7080Response.UnmappedText;
        }

        private bool Is(string text)
        {
            return Span(_pos, _end - _pos, text);
        }

        /// <summary>True when the rest of the line equals <paramref name="text"/> (ASCII case-insensitive).</summary>
        private bool Rest(string text)
        {
            int length = _end - _pos;
            if (length != text.Length)
            {
                return false;
            }

            for (int i = 0; i < length; i++)
            {
                if (Lower(_line[_pos + i]) != Lower((byte)text[i]))
                {
                    return false;
                }
            }

            return true;
        }

        private static byte Lower(byte b)
        {
            return b >= (byte)'A' && b <= (byte)'Z' ? (byte)(b + 32) : b;
        }

        private bool Span(int start, int length, string text)
        {
            if (length != text.Length)
            {
                return false;
            }

            for (int i = 0; i < length; i++)
            {
                if (_line[start + i] != (byte)text[i])
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Consumes <paramref name="prefix"/> when the line starts with it.</summary>
        private bool Take(string prefix)
        {
            if (_end - _pos < prefix.Length)
            {
                return false;
            }

            for (int i = 0; i < prefix.Length; i++)
            {
                if (_line[_pos + i] != (byte)prefix[i])
                {
                    return false;
                }
            }

            _pos += prefix.Length;
            return true;
        }

        private void SkipSpaces()
        {
            while (_pos < _end && _line[_pos] == (byte)' ')
            {
                _pos++;
            }
        }

        private bool Comma()
        {
            SkipSpaces();
            if (_pos < _end && _line[_pos] == (byte)',')
            {
                _pos++;
                return true;
            }

            return false;
        }

        private static bool IsDigit(byte b)
        {
            return b >= (byte)'0' && b <= (byte)'9';
        }

        /// <summary>Reads an optionally negative decimal integer of at most 9 digits.</summary>
        private bool NextInt(out int value)
        {
            value = 0;
            SkipSpaces();
            bool negative = false;
            if (_pos < _end && _line[_pos] == (byte)'-')
            {
                negative = true;
                _pos++;
            }

            int digits = 0;
            while (_pos < _end && IsDigit(_line[_pos]))
            {
                if (digits == 9)
                {
                    return false;
                }

                value = value * 10 + (_line[_pos] - '0');
                digits++;
                _pos++;
            }

            SkipSpaces();
            if (digits == 0 || (_pos < _end && _line[_pos] != (byte)','))
            {
                return false;
            }

            if (negative)
            {
                value = -value;
            }

            return true;
        }

        /// <summary>Reads a "quoted" field without quotes inside it; start/length exclude the quotes.</summary>
        private bool NextQuoted(out int start, out int length)
        {
            start = 0;
            length = 0;
            SkipSpaces();
            if (_pos >= _end || _line[_pos] != (byte)'"')
            {
                return false;
            }

            _pos++;
            start = _pos;
            while (_pos < _end && _line[_pos] != (byte)'"')
            {
                _pos++;
            }

            if (_pos >= _end)
            {
                return false;
            }

            length = _pos - start;
            _pos++;
            SkipSpaces();
            return true;
        }

        private int Two(int at)
        {
            byte a = _line[at];
            byte b = _line[at + 1];
            if (!IsDigit(a) || !IsDigit(b))
            {
                return -1;
            }

            return (a - '0') * 10 + (b - '0');
        }

        private static int DaysInMonth(int year, int month)
        {
            if (month == 2)
            {
                bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
                return leap ? 29 : 28;
            }

            return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
        }

        /// <summary>Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).</summary>
        internal static long DaysFromCivil(int year, int month, int day)
        {
            int y = month <= 2 ? year - 1 : year;
            int era = (y >= 0 ? y : y - 399) / 400;
            int yoe = y - era * 400;
            int mp = (month + 9) % 12;
            int doy = (153 * mp + 2) / 5 + day - 1;
            int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
            return era * 146097L + doe - 719468L;
        }
    }
}
