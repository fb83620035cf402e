using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Threading;
using Gateway.Virtual.LoRa;

namespace Gateway.Virtual.Cellular
{
    /// <summary>
    /// Emulates a SIMCom SIM7080G on a <see cref="VirtualSerialLine"/>, in virtual time: the AT subset the
    /// <c>Sim7080</c> driver uses (see bindings/Sim7080/README.md) with the modem's replies and URCs, and an MQTT side
    /// that is pluggable (<see cref="IModemMqttSide"/>): by default a real libmosquitto client
    /// (<see cref="MosquittoMqttSide"/>), or an in-process broker and cloud in virtual time (<see cref="InProcessMqttSide"/>).
    /// AT+SMCONN connects to the broker named by AT+SMCONF="URL", AT+SMPUB publishes the raw bytes written after the
    /// '&gt;' prompt (OK only after the broker's PUBACK), AT+SMSUB subscribes, and every message the broker delivers
    /// becomes a "+SMSUB:" URC (hex when SUBHEX is on).
    /// Faults: no SIM, no coverage (also on a schedule: <see cref="CoverageSchedule"/>), slow registration, denied
    /// registration, +CME ERROR for chosen commands, garbage and partial lines, a dropped MQTT connection (+SMSTATE: 0),
    /// a hang until a PWRKEY power cycle, no SUBHEX.
    /// </summary>
    /// <remarks>TLS commands are accepted and recorded, but the broker connection stays plain (tests run a plain broker).</remarks>
    public sealed class VirtualSim7080 : IDisposable
    {
        /// <summary>Reply latency to a command, ms (virtual).</summary>
        public const int ReplyMs = 5;

        /// <summary>PDP activation time after AT+CNACT=0,1, ms (virtual).</summary>
        public const int PdpActivationMs = 800;

        /// <summary>Boot time from PWRKEY to "RDY", ms (virtual).</summary>
        public const int BootMs = 4000;

        /// <summary>Shortest PWRKEY press the modem acts on, ms.</summary>
        public const int MinPowerKeyMs = 1000;

        private readonly VirtualSerialLine _line;
        private readonly Random _random;
        private readonly object _sync = new();
        private readonly Dictionary<string, string> _mqttConfig = new(StringComparer.OrdinalIgnoreCase);

        // Topics unsubscribed with AT+SMUNSUB: their messages no longer reach the UART (see Unsubscribe).
        private readonly HashSet<string> _unsubscribed = new(StringComparer.Ordinal);
        private readonly Dictionary<string, (int code, int times)> _failures = new(StringComparer.Ordinal);
        private readonly IModemMqttSide _side;
        private IModemMqttSession? _client;
        private bool _attachCounted;
        private bool _on = true;
        private long _readyAtMs;
        private bool _echo = true;
        private bool _radioOn = true;
        private long _radioOnSinceMs;
        private bool _pdpActive;
        private int _urcsQueued;

        /// <summary>
        /// Attaches a powered, booted modem to <paramref name="line"/>; <paramref name="seed"/> drives the garbage;
        /// <paramref name="mqttSide"/> is the network and broker behind its MQTT client (null: a real broker through libmosquitto).
        /// </summary>
        public VirtualSim7080(VirtualSerialLine line, int seed = 1, IModemMqttSide? mqttSide = null)
        {
            _line = line;
            _side = mqttSide ?? new MosquittoMqttSide();
            _random = new Random(seed);
            _line.Module = OnCommand;
            _radioOnSinceMs = Now;
        }

        /// <summary>False: AT+CPIN? answers "+CME ERROR: SIM not inserted".</summary>
        public bool SimInserted { get; set; } = true;

        /// <summary>False: the modem searches for ever (+CEREG stat 2), AT+CPSI? says NO SERVICE.</summary>
        public bool Coverage { get; set; } = true;

        /// <summary>
        /// When set: coverage at a wall time (Unix ms), looked at whenever a command arrives. Losing it ends the PDP
        /// context and the MQTT session as the network drops them ("+SMSTATE: 0", "+APP PDP: 0,DEACTIVE"); when it
        /// returns the modem registers again after <see cref="RegistrationDelayMs"/> (see <see cref="LoseCoverage"/>).
        /// </summary>
        public Func<long, bool>? CoverageSchedule { get; set; }

        /// <summary>The MQTT side behind the modem.</summary>
        public IModemMqttSide MqttSide => _side;

        /// <summary>Registrations the driver saw (AT+CEREG? answering registered for the first time since the radio came on or coverage returned).</summary>
        public int Attaches { get; private set; }

        /// <summary>PDP activations (AT+CNACT=0,1 accepted).</summary>
        public int PdpActivations { get; private set; }

        /// <summary>MQTT sessions opened (AT+SMCONN answered OK).</summary>
        public int MqttSessions { get; private set; }

        /// <summary>Times coverage was lost (<see cref="LoseCoverage"/>).</summary>
        public int CoverageLosses { get; private set; }

        /// <summary>Commands received while answering (a counter; <see cref="Commands"/> keeps them only while <see cref="RecordCommands"/> is on).</summary>
        public long CommandCount { get; private set; }

        /// <summary>False: <see cref="Commands"/> and <see cref="Published"/> are not kept (long simulations); the counters still run.</summary>
        public bool RecordCommands { get; set; } = true;

        /// <summary>Publishes the broker acknowledged (AT+SMPUB answered OK).</summary>
        public int Publishes { get; private set; }

        /// <summary>Payload bytes the broker acknowledged.</summary>
        public long BytesPublished { get; private set; }

        /// <summary>True: the network refuses registration (+CEREG stat 3).</summary>
        public bool RegistrationDenied { get; set; }

        /// <summary>Time from radio on (AT+CFUN=1 or boot) to registered, ms (virtual).</summary>
        public long RegistrationDelayMs { get; set; } = 3000;

        /// <summary>
        /// False: AT+SMCONF="SUBHEX" is refused (older firmware) and messages arrive as text (Latin-1, cut at CR/LF into
        /// further lines as on the real UART). May change between sessions (a firmware update gaining or losing it).
        /// </summary>
        public bool SubHexSupported { get; set; } = true;

        /// <summary>True: "RDY" after boot (fixed baud rate set with AT+IPR); false: silent until the first "AT" (autobaud).</summary>
        public bool AnnounceReady { get; set; } = true;

        /// <summary>Longest AT+SMPUB content length accepted (a longer one is answered ERROR), bytes.</summary>
        public int MaxPublishLength { get; set; } = 512;

        /// <summary>Probability that a garbage line (noise, cut-off URC) precedes each reply.</summary>
        public double GarbageProbability { get; set; }

        /// <summary>Probability that bytes without a line end precede each reply (closed by the reply's leading CR LF).</summary>
        public double PartialLineProbability { get; set; }

        /// <summary>True while the modem answers nothing (firmware hang); cleared only by a PWRKEY power cycle.</summary>
        public bool Hung { get; private set; }

        /// <summary>True while powered (and not in NORMAL POWER DOWN).</summary>
        public bool PoweredOn => _on;

        /// <summary>Every command line received while answering.</summary>
        public List<string> Commands { get; } = new();

        /// <summary>Every message published to the broker: topic and payload.</summary>
        public List<(string topic, byte[] payload)> Published { get; } = new();

        /// <summary>Every +SMSUB URC as the modem put it on the line (topic, line text without the final CR LF), in order.</summary>
        public System.Collections.Concurrent.ConcurrentQueue<(string Topic, string Line)> SubscriptionUrcs { get; } = new();

        /// <summary>+SMSUB URCs queued on the line so far (thread-safe read).</summary>
        public int UrcsQueued => Volatile.Read(ref _urcsQueued);

        /// <summary>PWRKEY presses acted on.</summary>
        public int PowerKeyPresses { get; private set; }

        /// <summary>
        /// The network drops the modem: coverage gone, the PDP context and the MQTT session with it (URCs
        /// "+SMSTATE: 0" and "+APP PDP: 0,DEACTIVE" when they were up); the modem searches until <see cref="RestoreCoverage"/>.
        /// </summary>
        public void LoseCoverage()
        {
            if (!Coverage)
            {
                return;
            }

            Coverage = false;
            CoverageLosses++;
            _attachCounted = false;
            if (!_on || Hung)
            {
                return;
            }

            bool session = MqttConnected;
            bool pdp = _pdpActive;
            _pdpActive = false;
            CloseClient();
            if (session)
            {
                Emit("+SMSTATE: 0", 0);
            }

            if (pdp)
            {
                Emit("+APP PDP: 0,DEACTIVE", 0);
            }
        }

        /// <summary>Coverage is back: the modem registers again <see cref="RegistrationDelayMs"/> from now.</summary>
        public void RestoreCoverage()
        {
            if (Coverage)
            {
                return;
            }

            Coverage = true;
            _radioOnSinceMs = Math.Max(_radioOnSinceMs, Now);
        }

        /// <summary>True while the MQTT client is connected to the broker.</summary>
        public bool MqttConnected => _client?.IsConnected == true;

        /// <summary>Value of an AT+SMCONF parameter as the driver set it (null when never set).</summary>
        public string? MqttConfig(string tag) => _mqttConfig.TryGetValue(tag, out var v) ? v : null;

        /// <summary>Makes every command starting with <paramref name="commandPrefix"/> answer "+CME ERROR: code" (times: -1 for ever).</summary>
        public void Fail(string commandPrefix, int cmeCode, int times = -1) => _failures[commandPrefix] = (cmeCode, times);

        /// <summary>The broker connection drops: the client disconnects and the modem reports "+SMSTATE: 0".</summary>
        public void DropMqtt()
        {
            CloseClient();
            Emit("+SMSTATE: 0", 0);
        }

        /// <summary>
        /// The firmware hangs: no replies, no URCs, the broker connection dies, until a PWRKEY power cycle. A modem that
        /// is switched off hangs right after its next power-on instead (an off modem has no firmware running to hang).
        /// </summary>
        public void Hang()
        {
            if (!_on)
            {
                _hangAfterPowerOn = true;
                return;
            }

            Hung = true;
            CloseClient();
            _line.CancelRaw();
        }

        /// <summary>
        /// PWRKEY held for <paramref name="holdMs"/> (the caller has already advanced the clock by it): switches a
        /// running modem off ("NORMAL POWER DOWN" unless hung) and an off modem on ("RDY" after <see cref="BootMs"/>).
        /// </summary>
        public void PressPowerKey(int holdMs)
        {
            if (holdMs < MinPowerKeyMs)
            {
                return;
            }

            PowerKeyPresses++;
            if (_on)
            {
                bool wasHung = Hung;
                PowerOff();
                if (!wasHung)
                {
                    Emit("NORMAL POWER DOWN", 300);
                }

                return;
            }

            _on = true;
            Hung = false;
            if (_hangAfterPowerOn)
            {
                _hangAfterPowerOn = false;
                Hang();
                return;
            }

            _echo = true;
            _radioOn = true;
            _readyAtMs = Now + BootMs;
            _radioOnSinceMs = _readyAtMs;
            if (AnnounceReady)
            {
                _line.Emit("RDY", _readyAtMs);
            }

            _line.Emit("+CFUN: 1", _readyAtMs + 50);
            _line.Emit(SimInserted ? "+CPIN: READY" : "+CPIN: NOT INSERTED", _readyAtMs + 100);
            _line.Emit("SMS Ready", _readyAtMs + 1500);
        }

        /// <summary>Disconnects the MQTT client.</summary>
        public void Dispose() => CloseClient();

        private long Now => _line.Clock.WallTimeMs;

        private bool _hangAfterPowerOn;

        private bool Registered => _on && _radioOn && Coverage && !RegistrationDenied && Now >= _radioOnSinceMs + RegistrationDelayMs;

        private void PowerOff()
        {
            _on = false;
            Hung = false;
            _pdpActive = false;
            _attachCounted = false;
            _radioOn = false;
            _line.CancelRaw();
            CloseClient();
        }

        private void CloseClient()
        {
            IModemMqttSession? client;
            lock (_sync)
            {
                client = _client;
                _client = null;
            }

            client?.Dispose();
        }

        private void Emit(string text, long afterMs) => _line.Emit(text, Now + afterMs);

        private void Reply(params string[] lines) => Reply(0, lines);

        private void Reply(long extraMs, params string[] lines)
        {
            long at = Now + ReplyMs + extraMs;
            lock (_sync)
            {
                if (GarbageProbability > 0 && _random.NextDouble() < GarbageProbability)
                {
                    _line.EmitRaw(Garbage(), at);
                }

                if (PartialLineProbability > 0 && _random.NextDouble() < PartialLineProbability)
                {
                    _line.EmitRaw(Encoding.ASCII.GetBytes("+SMSU"), at);
                }
            }

            foreach (var l in lines)
            {
                _line.EmitRaw(Encoding.ASCII.GetBytes("\r\n" + l + "\r\n"), at);
            }
        }

        private byte[] Garbage()
        {
            int kind = _random.Next(4);
            switch (kind)
            {
                case 0:
                    var noise = new byte[_random.Next(1, 40)];
                    _random.NextBytes(noise);
                    for (int i = 0; i < noise.Length; i++)
                    {
                        if (noise[i] == (byte)'\n' || noise[i] == (byte)'\r')
                        {
                            noise[i] = 0xFF;
                        }
                    }

                    return Concat(noise, "\r\n");
                case 1:
                    return Encoding.ASCII.GetBytes("\r\n+CSQ: 4\r\n");
                case 2:
                    return Encoding.ASCII.GetBytes("\r\n+SMSUB: \"gw/\r\n");
                default:
                    return Encoding.ASCII.GetBytes("\r\n+CCLK: \"99/13/45,25:61:61+99\"\r\n");
            }
        }

        private static byte[] Concat(byte[] a, string tail)
        {
            var t = Encoding.ASCII.GetBytes(tail);
            var r = new byte[a.Length + t.Length];
            a.CopyTo(r, 0);
            t.CopyTo(r, a.Length);
            return r;
        }

        private void Ok() => Reply("OK");

        private void Error() => Reply("ERROR");

        private void Cme(int code) => Reply("+CME ERROR: " + CmeText(code));

        private static string CmeText(int code) => code switch
        {
            3 => "operation not allowed",
            4 => "operation not supported",
            10 => "SIM not inserted",
            13 => "SIM failure",
            14 => "SIM busy",
            30 => "no network service",
            _ => code.ToString(CultureInfo.InvariantCulture),
        };

        private void OnCommand(string raw)
        {
            ApplyCoverageSchedule();
            if (!_on || Hung || Now < _readyAtMs)
            {
                return;
            }

            string cmd = raw.Trim();
            if (cmd.Length == 0)
            {
                return;
            }

            CommandCount++;
            if (RecordCommands)
            {
                Commands.Add(cmd);
            }

            if (_echo)
            {
                Emit(cmd, 1);
            }

            foreach (var (prefix, (code, times)) in _failures)
            {
                if (cmd.StartsWith(prefix, StringComparison.Ordinal) && times != 0)
                {
                    _failures[prefix] = (code, times > 0 ? times - 1 : times);
                    Cme(code);
                    return;
                }
            }

            string upper = cmd.ToUpperInvariant();
            switch (upper)
            {
                case "AT":
                case "AT+CMEE=2":
                case "AT+CNMP=38":
                case "AT+CLTS=1":
                    Ok();
                    return;
                case "ATE0":
                    _echo = false;
                    Ok();
                    return;
                case "ATE1":
                    _echo = true;
                    Ok();
                    return;
                case "AT+CPIN?":
                    if (SimInserted)
                    {
                        Reply("+CPIN: READY", "OK");
                    }
                    else
                    {
                        Cme(10);
                    }

                    return;
                case "AT+CFUN=0":
                    _radioOn = false;
                    _pdpActive = false;
                    _attachCounted = false;
                    Ok();
                    return;
                case "AT+CFUN=1":
                    if (!_radioOn)
                    {
                        _radioOn = true;
                        _radioOnSinceMs = Now;
                    }

                    Ok();
                    return;
                case "AT+CEREG?":
                    if (Registered && !_attachCounted)
                    {
                        _attachCounted = true;
                        Attaches++;
                    }

                    Reply("+CEREG: 0," + RegistrationState(), "OK");
                    return;
                case "AT+CSQ":
                    Reply(Registered ? "+CSQ: 18,99" : "+CSQ: 99,99", "OK");
                    return;
                case "AT+CPSI?":
                    Reply(Registered
                        ? "+CPSI: LTE CAT-M1,Online,440-10,0x1A2B,27447553,257,EUTRAN-BAND19,6150,3,3,-10,-97,-68,9"
                        : "+CPSI: NO SERVICE,Online", "OK");
                    return;
                case "AT+CCLK?":
                    Reply("+CCLK: \"" + ClockText() + "\"", "OK");
                    return;
                case "AT+CNACT?":
                    Reply("+CNACT: 0," + (_pdpActive ? "1,\"10.160.3.27\"" : "0,\"0.0.0.0\""), "+CNACT: 1,0,\"0.0.0.0\"",
                        "+CNACT: 2,0,\"0.0.0.0\"", "+CNACT: 3,0,\"0.0.0.0\"", "OK");
                    return;
                case "AT+CNACT=0,1":
                    if (!Registered || _pdpActive)
                    {
                        Error();
                        return;
                    }

                    Ok();
                    _pdpActive = true;
                    PdpActivations++;
                    Emit("+APP PDP: 0,ACTIVE", PdpActivationMs);
                    return;
                case "AT+CNACT=0,0":
                    _pdpActive = false;
                    CloseClient();
                    Ok();
                    Emit("+APP PDP: 0,DEACTIVE", 200);
                    return;
                case "AT+SMSTATE?":
                    Reply("+SMSTATE: " + (MqttConnected ? "1" : "0"), "OK");
                    return;
                case "AT+SMCONN":
                    Connect();
                    return;
                case "AT+SMDISC":
                    CloseClient();
                    Ok();
                    return;
                case "AT+CPOWD=1":
                    Ok();
                    PowerOff();
                    Emit("NORMAL POWER DOWN", 1000);
                    return;
            }

            if (upper.StartsWith("AT+CMNB=", StringComparison.Ordinal) || upper.StartsWith("AT+CGDCONT=", StringComparison.Ordinal)
                || upper.StartsWith("AT+CNCFG=", StringComparison.Ordinal) || upper.StartsWith("AT+CSSLCFG=", StringComparison.Ordinal)
                || upper.StartsWith("AT+SMSSL=", StringComparison.Ordinal))
            {
                Ok();
                return;
            }

            if (upper.StartsWith("AT+SMCONF=", StringComparison.Ordinal))
            {
                SetMqttConfig(cmd.Substring(10));
                return;
            }

            if (upper.StartsWith("AT+SMSUB=", StringComparison.Ordinal))
            {
                var args = SplitArgs(cmd.Substring(9));
                var client = _client;
                if (client == null || !client.IsConnected || args.Count < 2)
                {
                    Error();
                    return;
                }

                lock (_sync)
                {
                    _unsubscribed.Remove(args[0]);
                }

                client.Subscribe(args[0], int.Parse(args[1], CultureInfo.InvariantCulture));
                Ok();
                return;
            }

            if (upper.StartsWith("AT+SMUNSUB=", StringComparison.Ordinal))
            {
                Unsubscribe(SplitArgs(cmd.Substring(11)));
                return;
            }

            if (upper.StartsWith("AT+SMPUB=", StringComparison.Ordinal))
            {
                Publish(SplitArgs(cmd.Substring(9)));
                return;
            }

            Error();
        }

        private void ApplyCoverageSchedule()
        {
            if (CoverageSchedule == null)
            {
                return;
            }

            bool covered = CoverageSchedule(Now);
            if (covered && !Coverage)
            {
                RestoreCoverage();
            }
            else if (!covered && Coverage)
            {
                LoseCoverage();
            }
        }

        private int RegistrationState()
        {
            if (!_radioOn)
            {
                return 0;
            }

            if (RegistrationDenied)
            {
                return 3;
            }

            return Registered ? 1 : 2;
        }

        private string ClockText()
        {
            if (!Registered)
            {
                return "80/01/06,00:00:07+00"; // the modem's default until the network sets it
            }

            // Japan standard time, as a Japanese network sends it: +36 quarter hours.
            var local = DateTimeOffset.FromUnixTimeMilliseconds(Now).ToOffset(TimeSpan.FromHours(9));
            return local.ToString("yy/MM/dd,HH:mm:ss", CultureInfo.InvariantCulture) + "+36";
        }

        private void SetMqttConfig(string body)
        {
            var args = SplitArgs(body);
            if (args.Count < 2)
            {
                Error();
                return;
            }

            string tag = args[0].ToUpperInvariant();
            if (tag == "SUBHEX" && !SubHexSupported)
            {
                // A firmware without the tag (possibly after an update that removed it): nothing of it is kept.
                _mqttConfig.Remove(tag);
                Error();
                return;
            }

            _mqttConfig[tag] = tag == "URL" && args.Count > 2 ? args[1] + ":" + args[2] : args[1];
            Ok();
        }

        private void Connect()
        {
            var url = MqttConfig("URL");
            if (!_pdpActive || url == null || MqttConnected)
            {
                Error();
                return;
            }

            int colon = url.LastIndexOf(':');
            string host = colon < 0 ? url : url[..colon];
            int port = colon < 0 ? 1883 : int.Parse(url[(colon + 1)..], CultureInfo.InvariantCulture);
            var user = MqttConfig("USERNAME");
            int keep = int.TryParse(MqttConfig("KEEPTIME"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var k) ? k : 60;
            var parameters = new ModemMqttConnect(host, port, MqttConfig("CLIENTID") ?? "sim7080", string.IsNullOrEmpty(user) ? null : user,
                string.IsNullOrEmpty(user) ? null : MqttConfig("PASSWORD") ?? "", MqttConfig("CLEANSS") == "1", keep);
            bool hex = MqttConfig("SUBHEX") == "1";
            IModemMqttSession? client = null;
            client = _side.Create(parameters, m => OnBrokerMessage(client!, m, hex));

            // The session is current before it connects: a persistent session's queued messages arrive at once.
            lock (_sync)
            {
                _client = client;
            }

            if (!client.Connect())
            {
                CloseClient();
                Error();
                return;
            }

            MqttSessions++;
            Ok();
        }

        /// <summary>
        /// AT+SMUNSUB="topic": OK while connected. Modelled at the modem: the topic's messages stop reaching the UART from
        /// now on, across sessions, until it is subscribed again (the host MQTT client has no UNSUBSCRIBE, so the
        /// broker still sends them to the emulator, which drops them as the real broker would not send them).
        /// </summary>
        private void Unsubscribe(List<string> args)
        {
            var client = _client;
            if (client == null || !client.IsConnected || args.Count != 1 || args[0].Length == 0)
            {
                Error();
                return;
            }

            lock (_sync)
            {
                _unsubscribed.Add(args[0]);
            }

            client.Unsubscribe(args[0]);
            Ok();
        }

        private void OnBrokerMessage(IModemMqttSession from, ModemMqttMessage m, bool hex)
        {
            lock (_sync)
            {
                if (!ReferenceEquals(from, _client) || Hung || !_on || _unsubscribed.Contains(m.Topic))
                {
                    return;
                }

                string body = hex ? Convert.ToHexString(m.Payload) : Encoding.Latin1.GetString(m.Payload);
                // Due at once: a message from the broker is on the UART by the time the host looks (virtual time does
                // not move while the test waits for the real broker).
                string urc = "+SMSUB: \"" + m.Topic + "\",\"" + body + "\"";
                SubscriptionUrcs.Enqueue((m.Topic, urc));
                _line.Emit(urc, Now + m.DelayMs);
                Interlocked.Increment(ref _urcsQueued);
            }
        }

        private void Publish(List<string> args)
        {
            var client = _client;
            if (client == null || !client.IsConnected || args.Count < 4
                || !int.TryParse(args[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int length)
                || length < 0 || length > MaxPublishLength)
            {
                Error();
                return;
            }

            string topic = args[0];
            int qos = int.Parse(args[2], CultureInfo.InvariantCulture);
            bool retain = args[3] == "1";
            _line.EmitRaw(Encoding.ASCII.GetBytes("\r\n> "), Now + ReplyMs);
            _line.ExpectRaw(length, data =>
            {
                if (Hung || !_on)
                {
                    return;
                }

                var c = _client;
                long ackDelayMs = 0;
                if (c != null && c.IsConnected && c.Publish(topic, data, qos, retain, out ackDelayMs))
                {
                    if (RecordCommands)
                    {
                        Published.Add((topic, data));
                    }

                    BytesPublished += data.Length;
                    Publishes++;
                    Reply(ackDelayMs, "OK");
                }
                else if (c != null && !c.IsConnected)
                {
                    // The connection broke under the publish: no PUBACK; the modem gives up, says so and reports the session closed.
                    CloseClient();
                    Reply(ackDelayMs, "ERROR");
                    Emit("+SMSTATE: 0", ackDelayMs + ReplyMs + 1);
                }
                else
                {
                    Error();
                }
            });
        }

        /// <summary>Splits "a","b",3 into its arguments, quotes removed (commas inside quotes kept).</summary>
        private static List<string> SplitArgs(string text)
        {
            var list = new List<string>();
            var current = new StringBuilder();
            bool quoted = false;
            foreach (char c in text)
            {
                if (c == '"')
                {
                    quoted = !quoted;
                }
                else if (c == ',' && !quoted)
                {
                    list.Add(current.ToString().Trim());
                    current.Clear();
                }
                else
                {
                    current.Append(c);
                }
            }

            list.Add(current.ToString().Trim());
            return list;
        }
    }
}
