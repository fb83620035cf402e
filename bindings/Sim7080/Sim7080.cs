using Gateway.Core.Time;
using Gateway.Core.Uplink;

namespace Gateway.Bindings.Sim7080
{
    /// <summary>
    /// Driver for the SIMCom SIM7080G LTE-M / NB-IoT modem over its AT command UART (115200 8N1): power-on handshake,
    /// SIM check, radio mode and APN, attach with a deadline, the application PDP context, and MQTT through the modem's
    /// own client (AT+SM*): publish of binary batches after the '&gt;' prompt, subscriptions whose messages arrive as
    /// +SMSUB URCs (hex-encoded by the modem with SUBHEX; without it the driver subscribes to the cloud's hex twins of
    /// the downlink topics), signal and network time for commissioning, clean power-down, and a PWRKEY
    /// power cycle when the modem stops answering. The command sequence and every timeout are in README.md.
    /// </summary>
    /// <remarks>
    /// One command at a time; URCs that arrive while waiting for a reply (+SMSUB, +SMSTATE, +APP PDP, NORMAL POWER DOWN)
    /// are handled on the way and never lost. Every wait ends by its deadline: a missing or garbled reply is a status,
    /// never a hang or an exception. Buffers are allocated in the constructor; publishing allocates nothing.
    /// </remarks>
    public sealed partial class Sim7080
    {
        /// <summary>Longest line handled: "+SMSUB: " + topic + a <see cref="MaxDownlinkBytes"/> message in hex, with margin.</summary>
        public const int LineCapacity = 1200;

        /// <summary>Largest downlink kept, bytes (acknowledgements and commands are far smaller).</summary>
        public const int MaxDownlinkBytes = 512;

        /// <summary>Downlinks kept until taken; a further one replaces the oldest and is counted in <see cref="DownlinksDropped"/>.</summary>
        public const int DownlinkSlots = 8;

        /// <summary>The data prompt after AT+SMPUB.</summary>
        public const byte PromptByte = (byte)'>';

        private const int MaxLinesPerWait = 512;

        /// <summary>Marker kind returned by ReadOne when the deadline passed first.</summary>
        private const Sim7080LineKind TimedOut = (Sim7080LineKind)255;

        /// <summary>Marker kind returned by ReadOne when the data prompt arrived.</summary>
        private const Sim7080LineKind PromptSeen = (Sim7080LineKind)254;

        private readonly ISerialLine _line;
        private readonly ISerialPromptLine _promptLine;
        private readonly IClock _clock;
        private readonly Sim7080Settings _settings;
        private readonly IModemPowerKey _powerKey;
        private readonly Sim7080ResponseParser _parser = new Sim7080ResponseParser();
        private readonly Sim7080Response _response = new Sim7080Response();
        private readonly byte[] _rx = new byte[LineCapacity];
        private readonly AtCommand _cmd = new AtCommand(LineCapacity);

        private readonly string _upTopic;
        private readonly string _commissionTopic;
        private readonly string _ackTopic;
        private readonly string _downTopic;
        private readonly string _ackHexTopic;
        private readonly string _downHexTopic;

        // State learned from replies and URCs.
        private bool _echoOffAndVerbose;
        private bool _simReady;
        private bool _radioConfigured;
        private bool _existingChecked;
        private int _registration = -1;
        private bool _pdpActive;
        private bool _mqttConnected;
        private bool _subscribed;
        private bool _hexDownlinks;
        private bool _subscribedHexTwins;
        private bool _poweredDown;
        private bool _bootSeen;
        private long _networkTimeMs;
        private readonly Sim7080Signal _lastSignal = new Sim7080Signal();

        /// <summary>Creates the driver. Nothing is sent until <see cref="Connect"/>.</summary>
        /// <param name="line">The UART to the modem; if it implements <see cref="ISerialPromptLine"/> the '&gt;' prompt is detected without a line end.</param>
        /// <param name="clock">Uptime for deadlines.</param>
        /// <param name="settings">Access point, broker, identity, mode and timeouts.</param>
        /// <param name="powerKey">The modem's PWRKEY, to power it on and to power-cycle it when hung; null when not wired.</param>
        public Sim7080(ISerialLine line, IClock clock, Sim7080Settings settings, IModemPowerKey powerKey)
        {
            _line = line;
            _promptLine = line as ISerialPromptLine;
            _clock = clock;
            _settings = settings;
            _powerKey = powerKey;
            _upTopic = MqttTopics.Up(settings.DeviceId);
            _commissionTopic = MqttTopics.Commission(settings.DeviceId);
            _ackTopic = MqttTopics.Ack(settings.DeviceId);
            _downTopic = MqttTopics.Down(settings.DeviceId);
            _ackHexTopic = MqttTopics.AckHex(settings.DeviceId);
            _downHexTopic = MqttTopics.DownHex(settings.DeviceId);
            _downlinkData = new byte[DownlinkSlots][];
            for (int i = 0; i < DownlinkSlots; i++)
            {
                _downlinkData[i] = new byte[MaxDownlinkBytes];
            }
        }

        /// <summary>The parser, with its counters of malformed lines by reason.</summary>
        public Sim7080ResponseParser Parser
        {
            get { return _parser; }
        }

        /// <summary>The settings in use.</summary>
        public Sim7080Settings Settings
        {
            get { return _settings; }
        }

        /// <summary>True while the modem's MQTT client holds a session (until +SMSTATE: 0 or a failed command says otherwise).</summary>
        public bool IsMqttConnected
        {
            get { return _mqttConnected && _subscribed; }
        }

        /// <summary>True when the last registration query or URC said registered (home or roaming).</summary>
        public bool IsRegistered
        {
            get { return _registration == 1 || _registration == 5; }
        }

        /// <summary>True while the application PDP context 0 is active.</summary>
        public bool IsPdpActive
        {
            get { return _pdpActive; }
        }

        /// <summary>
        /// True when the modem accepted AT+SMCONF="SUBHEX",1: the driver subscribes to the binary downlink topics, whose
        /// messages the modem hex-encodes, so any byte is safe. False when it refused (older firmware): the driver
        /// subscribes to the cloud's hex twins instead (MqttTopics.AckHex/DownHex), whose payload is already hex text.
        /// </summary>
        public bool HexDownlinks
        {
            get { return _hexDownlinks; }
        }

        /// <summary>
        /// True while the session's subscriptions are the hex twins (gw/{id}/ack/hex, gw/{id}/down/hex), i.e. the
        /// modem refused SUBHEX; false for the binary topics.
        /// </summary>
        public bool SubscribedToHexTwins
        {
            get { return _subscribedHexTwins; }
        }

        /// <summary>The CME code of the last ERROR reply (<see cref="Sim7080Response.PlainError"/> for plain ERROR), 0 if none yet.</summary>
        public int LastCmeError;

        /// <summary>The outcome of the last <see cref="Connect"/> that failed, <see cref="Sim7080Status.Ok"/> after a success.</summary>
        public Sim7080Status LastFailure;

        /// <summary>PWRKEY power cycles done because the modem stopped answering.</summary>
        public int PowerCycles;

        /// <summary>PWRKEY presses that switched on a modem switched off for a deep sleep.</summary>
        public int PowerOns;

        /// <summary>Times the MQTT session was found lost (+SMSTATE: 0 or a refused publish) and had to be reconnected.</summary>
        public int SessionsLost;

        /// <summary>Commands that got no final reply before their timeout.</summary>
        public int CommandTimeouts;

        /// <summary>Milliseconds of uptime now.</summary>
        private long Now
        {
            get { return _clock.UptimeMs; }
        }

        // ---------------------------------------------------------------- command plumbing

        private void SendCommand()
        {
            _cmd.SendTo(_line);
        }

        /// <summary>Sends the built command and waits for its final result (OK, ERROR, +CME ERROR); URCs are handled meanwhile.</summary>
        private Sim7080Status Execute(int timeoutMs)
        {
            SendCommand();
            return WaitFinal(timeoutMs);
        }

        private Sim7080Status WaitFinal(int timeoutMs)
        {
            long deadline = Now + timeoutMs;
            for (int lines = 0; lines < MaxLinesPerWait; lines++)
            {
                Sim7080LineKind kind = ReadOne(deadline, false);
                if (kind == Sim7080LineKind.Ok)
                {
                    return Sim7080Status.Ok;
                }

                if (kind == Sim7080LineKind.Error)
                {
                    LastCmeError = _response.CmeError;
                    return Sim7080Status.Rejected;
                }

                if (kind == TimedOut)
                {
                    CommandTimeouts++;
                    return Sim7080Status.Timeout;
                }
            }

            CommandTimeouts++;
            return Sim7080Status.Timeout;
        }

        /// <summary>Reads lines until <paramref name="ms"/> have passed, handling URCs (a wait that loses nothing).</summary>
        private void Idle(long ms)
        {
            long deadline = Now + ms;
            for (int lines = 0; lines < MaxLinesPerWait; lines++)
            {
                if (ReadOne(deadline, false) == TimedOut)
                {
                    return;
                }
            }
        }

        /// <summary>
        /// Reads and parses one line before <paramref name="deadline"/> and applies what it says to the driver's state;
        /// <see cref="TimedOut"/> when the deadline passed first, <see cref="PromptSeen"/> for the data prompt when
        /// <paramref name="acceptPrompt"/>.
        /// </summary>
        private Sim7080LineKind ReadOne(long deadline, bool acceptPrompt)
        {
            long remaining = deadline - Now;
            if (remaining < 0)
            {
                return TimedOut;
            }

            int timeout = remaining > int.MaxValue ? int.MaxValue : (int)remaining;
            int n = acceptPrompt && _promptLine != null
                ? _promptLine.ReadLineOrPrompt(_rx, 0, LineCapacity, timeout, PromptByte)
                : _line.ReadLine(_rx, 0, LineCapacity, timeout);
            if (n == SerialLineStatus.Timeout)
            {
                return TimedOut;
            }

            if (n == PromptLineStatus.Prompt)
            {
                return PromptSeen;
            }

            Sim7080LineKind kind;
            if (n < 0)
            {
                _parser.CountOverflow(_response);
                kind = _response.Kind;
            }
            else
            {
                kind = _parser.Parse(_rx, 0, n, _response);
                if (kind == Sim7080LineKind.Malformed)
                {
                    NoteMangledFragment(n);
                }
            }

            if (kind == Sim7080LineKind.Prompt && acceptPrompt)
            {
                return PromptSeen;
            }

            if (kind == Sim7080LineKind.Info)
            {
                Apply();
            }

            return kind;
        }

        /// <summary>Applies an information line or URC to the driver's state.</summary>
        private void Apply()
        {
            switch (_response.Info)
            {
                case Sim7080Info.Cpin:
                    _simReady = _response.SimReady;
                    break;
                case Sim7080Info.Csq:
                    _lastSignal.CsqRssi = _response.Number;
                    break;
                case Sim7080Info.Cpsi:
                    _lastSignal.Mode = _response.SystemMode;
                    _lastSignal.HasCellMetrics = _response.HasCellMetrics;
                    _lastSignal.RsrpDbm = _response.RsrpDbm;
                    _lastSignal.RsrqDb = _response.RsrqDb;
                    _lastSignal.SinrDb = _response.SinrDb;
                    break;
                case Sim7080Info.Cereg:
                case Sim7080Info.Cgreg:
                    _registration = _response.Number;
                    _lastSignal.Registration = _response.Number;
                    if (!IsRegistered)
                    {
                        _pdpActive = false;
                        MarkSessionLost();
                    }

                    break;
                case Sim7080Info.Cnact:
                case Sim7080Info.AppPdp:
                    if (_response.Number == 0)
                    {
                        _pdpActive = _response.Number2 == 1;
                        if (!_pdpActive)
                        {
                            MarkSessionLost();
                        }
                    }

                    break;
                case Sim7080Info.SmState:
                    if (_response.Number == 0)
                    {
                        MarkSessionLost();
                    }
                    else
                    {
                        _mqttConnected = true;
                    }

                    break;
                case Sim7080Info.SmSub:
                    KeepDownlink();
                    break;
                case Sim7080Info.Cclk:
                    _networkTimeMs = _response.TimeMs;
                    break;
                case Sim7080Info.PowerDown:
                    ForgetModemState();
                    _poweredDown = true;
                    break;
                case Sim7080Info.Ready:
                    // A (re)boot: echo is back on and every setting made since power-on is gone.
                    ForgetModemState();
                    _poweredDown = false;
                    _bootSeen = true;
                    break;
            }
        }

        private void MarkSessionLost()
        {
            if (_mqttConnected)
            {
                SessionsLost++;
            }

            _mqttConnected = false;
            _subscribed = false;
        }

        private void ForgetModemState()
        {
            MarkSessionLost();
            _echoOffAndVerbose = false;
            _simReady = false;
            _radioConfigured = false;
            _registration = -1;
            _pdpActive = false;
            _hexDownlinks = false;
            _sessionConfigured = false;
        }
    }
}
