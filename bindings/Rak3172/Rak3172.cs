using Gateway.Core.Time;
using Gateway.Core.Uplink;

namespace Gateway.Bindings.Rak3172
{
    /// <summary>
    /// Driver for the RAKwireless RAK3172 (STM32WLE5) LoRaWAN module running RUI3 firmware, over its AT command UART
    /// (115200 8N1). OTAA join with jittered retries on AS923-1, confirmed and unconfirmed uplinks with the payload
    /// limit of the current data rate known before every send, downlinks, link checks, network time requests, and the
    /// session kept in the module across the host's deep sleep (AT+NJS=? instead of a rejoin on every wake).
    /// </summary>
    /// <remarks>
    /// One command at a time: RUI3 requires waiting for each reply (and for the asynchronous +EVT: of a join or send)
    /// before the next command. Lines that arrive while waiting (downlinks, link checks) are kept, never lost.
    /// Allocation: command and line buffers are preallocated; a send allocates nothing.
    /// </remarks>
    public sealed partial class Rak3172
    {
        /// <summary>Longest line handled: "+EVT:RX_1:-120:-20:MULTICAST:223:" plus 242 bytes in hex, with margin.</summary>
        public const int LineCapacity = 600;

        /// <summary>Downlinks kept until taken; a further one replaces the oldest and is counted in <see cref="DownlinksDropped"/>.</summary>
        public const int DownlinkSlots = 4;

        private const int MaxLinesPerWait = 256;

        /// <summary>Marker kind returned by ReadOne when no line arrived before the deadline.</summary>
        private const AtLineKind TimedOut = (AtLineKind)255;

        private readonly ISerialLine _line;
        private readonly IClock _clock;
        private readonly Rak3172Settings _settings;
        private readonly DwellTimeBudget _budget;
        private readonly RetryBackoff _joinBackoff;
        private readonly AtResponseParser _parser = new AtResponseParser();
        private readonly AtResponse _response = new AtResponse();
        private readonly byte[] _rx = new byte[LineCapacity];
        private readonly AtCommand _cmd = new AtCommand(LineCapacity);

        // Result of the last query (AT+NAME=?).
        private readonly byte[] _queryHex = new byte[32];
        private int _queryHexLength;
        private int _queryNumber;
        private bool _queryHasNumber;
        private bool _queryHasValue;

        private bool _joined;
        private int _dataRate = -1;
        private int _confirmMode = -1;
        private bool _timeAnswered;

        /// <summary>Creates the driver. Nothing is sent until <see cref="Initialize"/>.</summary>
        /// <param name="line">The UART to the module.</param>
        /// <param name="clock">Uptime for timeouts; wall time (continuing across deep sleep) for the airtime ledger.</param>
        /// <param name="settings">Identity, band and timing.</param>
        /// <param name="random">Random source for the jitter between join attempts.</param>
        /// <param name="budget">Airtime ledger charged for every join request and uplink; null to not account (tests only).</param>
        public Rak3172(ISerialLine line, IClock clock, Rak3172Settings settings, IRandomSource random, DwellTimeBudget budget)
        {
            _line = line;
            _clock = clock;
            _settings = settings;
            _budget = budget;
            _joinBackoff = new RetryBackoff(settings.JoinBackoffBaseMs, settings.JoinBackoffCapMs, random);
            _downlinkData = new byte[DownlinkSlots][];
            for (int i = 0; i < DownlinkSlots; i++)
            {
                _downlinkData[i] = new byte[AtResponse.MaxPayload];
            }
        }

        /// <summary>The parser, with its counters of malformed lines by reason.</summary>
        public AtResponseParser Parser
        {
            get { return _parser; }
        }

        /// <summary>True when the module reports a LoRaWAN session (after a join, or AT+NJS=1 after a wake).</summary>
        public bool IsJoined
        {
            get { return _joined; }
        }

        /// <summary>Current uplink data rate (AS923 DR0..DR6), -1 until read from or set on the module.</summary>
        public int DataRate
        {
            get { return _dataRate; }
        }

        /// <summary>Largest application payload the next uplink may carry at <see cref="DataRate"/> (0 when unknown).</summary>
        public int MaxPayloadBytes
        {
            get { return _dataRate < 0 ? 0 : As923.MaxApplicationPayload(_dataRate, _settings.UplinkDwellLimit); }
        }

        /// <summary>The answer of the airtime ledger to the last send or join that it refused.</summary>
        public SendPermission LastRefusal;

        /// <summary>Milliseconds of uptime now.</summary>
        private long Now
        {
            get { return _clock.UptimeMs; }
        }

        // ---------------------------------------------------------------- command plumbing

        /// <summary>Sends the built command and waits for OK or an error; query values seen meanwhile are kept.</summary>
        private Rak3172Status Execute(int timeoutMs)
        {
            _queryHasValue = false;
            _queryHasNumber = false;
            _queryHexLength = 0;
            _cmd.SendTo(_line);
            long deadline = Now + timeoutMs;
            for (int lines = 0; lines < MaxLinesPerWait; lines++)
            {
                AtLineKind kind = ReadOne(deadline);
                if (kind == AtLineKind.Ok)
                {
                    return Rak3172Status.Ok;
                }

                if (kind == AtLineKind.Error)
                {
                    return MapError(_response.Error);
                }

                if (kind == TimedOut)
                {
                    return Rak3172Status.Timeout;
                }

                if (kind == AtLineKind.Value || kind == AtLineKind.Text)
                {
                    KeepQueryValue();
                }
            }

            return Rak3172Status.Timeout;
        }

        /// <summary>Waits for one of up to three events; other events are handled on the way. Returns None on timeout.</summary>
        private AtEvent WaitForEvent(AtEvent a, AtEvent b, AtEvent c, int timeoutMs)
        {
            long deadline = Now + timeoutMs;
            for (int lines = 0; lines < MaxLinesPerWait; lines++)
            {
                AtLineKind kind = ReadOne(deadline);
                if (kind == TimedOut)
                {
                    return AtEvent.None;
                }

                if (kind == AtLineKind.Event && (_response.Event == a || _response.Event == b || _response.Event == c))
                {
                    return _response.Event;
                }
            }

            return AtEvent.None;
        }

        /// <summary>Reads lines for <paramref name="ms"/> milliseconds, handling any events (a wait that loses nothing).</summary>
        private void Idle(long ms)
        {
            long deadline = Now + ms;
            for (int lines = 0; lines < MaxLinesPerWait; lines++)
            {
                AtLineKind kind = ReadOne(deadline);
                if (kind == TimedOut)
                {
                    return;
                }
            }
        }

        /// <summary>
        /// Reads and parses one line before <paramref name="deadline"/>, handling events; <see cref="TimedOut"/> when
        /// the deadline passed first.
        /// </summary>
        private AtLineKind ReadOne(long deadline)
        {
            long remaining = deadline - Now;
            if (remaining <= 0)
            {
                return TimedOut;
            }

            int n = _line.ReadLine(_rx, 0, LineCapacity, remaining > int.MaxValue ? int.MaxValue : (int)remaining);
            if (n == SerialLineStatus.Timeout)
            {
                return TimedOut;
            }

            AtLineKind kind;
            if (n < 0)
            {
                _parser.CountOverflow(_response);
                kind = _response.Kind;
            }
            else
            {
                kind = _parser.Parse(_rx, 0, n, _response);
            }

            if (kind == AtLineKind.Event)
            {
                HandleEvent();
            }

            return kind;
        }

        private void KeepQueryValue()
        {
            _queryHasValue = true;
            _queryHasNumber = _response.HasNumber;
            _queryNumber = _response.Number;
            _queryHexLength = 0;
            if (_response.PayloadLength > 0 && _response.PayloadLength <= _queryHex.Length)
            {
                for (int i = 0; i < _response.PayloadLength; i++)
                {
                    _queryHex[i] = _response.Payload[i];
                }

                _queryHexLength = _response.PayloadLength;
            }
        }

        private void HandleEvent()
        {
            switch (_response.Event)
            {
                case AtEvent.Joined:
                    _joined = true;
                    break;
                case AtEvent.Downlink:
                    KeepDownlink();
                    break;
                case AtEvent.LinkCheck:
                    KeepLinkCheck();
                    break;
                case AtEvent.TimeRequestOk:
                    _timeAnswered = true;
                    break;
            }
        }

        private static Rak3172Status MapError(AtError error)
        {
            switch (error)
            {
                case AtError.Busy:
                case AtError.Restricted:
                    return Rak3172Status.Busy;
                case AtError.NotJoined:
                    return Rak3172Status.NotJoined;
                default:
                    return Rak3172Status.Rejected;
            }
        }

        /// <summary>Queries AT+<paramref name="name"/>=? and returns its integer value, or -1 when unanswered or not a number.</summary>
        private int QueryNumber(string name)
        {
            _cmd.Begin("AT+");
            _cmd.Append(name);
            _cmd.Append("=?");
            if (Execute(_settings.CommandTimeoutMs) != Rak3172Status.Ok || !_queryHasValue || !_queryHasNumber)
            {
                return -1;
            }

            return _queryNumber;
        }

        /// <summary>Sets AT+<paramref name="name"/>=<paramref name="value"/>.</summary>
        private Rak3172Status SetNumber(string name, int value)
        {
            _cmd.Begin("AT+");
            _cmd.Append(name);
            _cmd.Append("=");
            _cmd.AppendInt(value);
            return Execute(_settings.CommandTimeoutMs);
        }
    }
}
