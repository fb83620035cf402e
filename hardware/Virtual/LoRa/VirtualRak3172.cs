using System;
using System.Collections.Generic;
using System.Globalization;
using Gateway.Core.Uplink;

namespace Gateway.Virtual.LoRa
{
    /// <summary>
    /// Emulates a RAK3172 running RUI3 on a <see cref="VirtualSerialLine"/>: the AT command subset the driver uses
    /// (AT, ATZ, AT+NWM, AT+BAND, AT+NJM, AT+DEVEUI, AT+APPEUI, AT+APPKEY, AT+CLASS, AT+ADR, AT+DR, AT+CFM, AT+RETY,
    /// AT+NJS, AT+JOIN, AT+SEND, AT+LINKCHECK, AT+TIMEREQ, AT+RECV) with RUI3's replies ("AT+NAME=value", OK,
    /// AT_PARAM_ERROR, AT_BUSY_ERROR, AT_NO_NETWORK_JOINED, AT_COMMAND_NOT_FOUND) and events (+EVT:JOINED,
    /// +EVT:JOIN_FAILED_RX_TIMEOUT, +EVT:TX_DONE, +EVT:SEND_CONFIRMED_OK/FAILED, +EVT:RX_1:..., +EVT:LINKCHECK:...,
    /// +EVT:TIMEREQ_OK), timed in virtual time from the frame's airtime and the LoRaWAN receive windows.
    /// </summary>
    public sealed class VirtualRak3172
    {
        /// <summary>Reply latency of the module to a command, ms.</summary>
        public const int ReplyMs = 3;

        private readonly VirtualSerialLine _line;
        private readonly VirtualLoRaNetwork _network;
        private readonly Dictionary<string, int> _numbers = new(StringComparer.Ordinal)
        {
            ["NWM"] = 0, ["BAND"] = 4, ["NJM"] = 1, ["ADR"] = 1, ["DR"] = 0, ["CFM"] = 0, ["RETY"] = 0, ["LINKCHECK"] = 0,
        };
        private readonly Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal)
        {
            ["DEVEUI"] = new byte[8], ["APPEUI"] = new byte[8], ["APPKEY"] = new byte[16],
        };
        private string _class = "A";
        private string? _devAddr;
        private int _fCnt;
        private long _busyUntilMs;
        private bool _timeRequest;
        private (int port, byte[] data) _lastReceived = (0, Array.Empty<byte>());

        /// <summary>Attaches the emulator to <paramref name="line"/> and <paramref name="network"/>.</summary>
        public VirtualRak3172(VirtualSerialLine line, VirtualLoRaNetwork network)
        {
            _line = line;
            _network = network;
            _line.Module = OnCommand;
        }

        /// <summary>True when the module keeps its LoRaWAN session in flash across a reset (RUI3 behaviour).</summary>
        public bool SessionSurvivesReset { get; set; } = true;

        /// <summary>When true the module answers nothing (unpowered, asleep, broken wire).</summary>
        public bool Unresponsive { get; set; }

        /// <summary>Settings written to the module's flash (a wake that rewrites settings shows up here).</summary>
        public int FlashWrites { get; private set; }

        /// <summary>Join requests transmitted.</summary>
        public int JoinRequests { get; private set; }

        /// <summary>Uplink frames transmitted.</summary>
        public int UplinksSent { get; private set; }

        /// <summary>Application payload bytes of every uplink frame transmitted (resends included).</summary>
        public long PayloadBytesSent { get; private set; }

        /// <summary>Total time on air of everything transmitted, microseconds.</summary>
        public long TotalAirtimeUs { get; private set; }

        /// <summary>Longest single transmission, microseconds.</summary>
        public long LongestTransmissionUs { get; private set; }

        /// <summary>Every transmission: wall start time (ms) and airtime (µs).</summary>
        public List<(long wallMs, long airtimeUs)> Transmissions { get; } = new();

        /// <summary>True while the module holds a session (AT+NJS=1).</summary>
        public bool Joined => _devAddr != null;

        /// <summary>Power cycle or reset: volatile state is lost; settings (and the session, if kept) survive.</summary>
        public void Reset()
        {
            _busyUntilMs = 0;
            _timeRequest = false;
            if (!SessionSurvivesReset)
            {
                _devAddr = null;
            }

            Emit("Current Work Mode: LoRaWAN.", 50);
        }

        private long Now => _line.Clock.WallTimeMs;

        private string DevEuiHex => Convert.ToHexString(_keys["DEVEUI"]);

        private void Emit(string text, long afterMs) => _line.Emit(text, Now + afterMs);

        private void Reply(string text) => Emit(text, ReplyMs);

        private void OnCommand(string raw)
        {
            if (Unresponsive)
            {
                return;
            }

            string cmd = raw.Trim();
            if (cmd.Length == 0)
            {
                return;
            }

            if (cmd == "AT")
            {
                Reply("OK");
                return;
            }

            if (cmd == "ATZ")
            {
                Reset();
                return;
            }

            if (!cmd.StartsWith("AT+", StringComparison.Ordinal))
            {
                Reply("AT_COMMAND_NOT_FOUND");
                return;
            }

            string body = cmd.Substring(3);
            int eq = body.IndexOf('=');
            string name = eq < 0 ? body : body.Substring(0, eq);
            string? arg = eq < 0 ? null : body.Substring(eq + 1);

            if (arg == "?")
            {
                Query(name);
                return;
            }

            switch (name)
            {
                case "JOIN":
                    DoJoin();
                    return;
                case "SEND":
                    DoSend(arg ?? "");
                    return;
                case "TIMEREQ":
                    _timeRequest = arg == "1";
                    Reply(arg == "1" || arg == "0" ? "OK" : "AT_PARAM_ERROR");
                    return;
                case "CLASS":
                    if (arg is "A" or "B" or "C")
                    {
                        _class = arg;
                        FlashWrites++;
                        Reply("OK");
                    }
                    else
                    {
                        Reply("AT_PARAM_ERROR");
                    }

                    return;
            }

            if (_keys.TryGetValue(name, out var key))
            {
                if (arg == null || arg.Length != key.Length * 2 || !TryHex(arg, out var bytes))
                {
                    Reply("AT_PARAM_ERROR");
                    return;
                }

                _keys[name] = bytes;
                FlashWrites++;
                Reply("OK");
                return;
            }

            if (_numbers.ContainsKey(name))
            {
                if (arg == null || !int.TryParse(arg, NumberStyles.None, CultureInfo.InvariantCulture, out int v) || !Valid(name, v))
                {
                    Reply("AT_PARAM_ERROR");
                    return;
                }

                if (IsBusy() && name is "DR" or "BAND" or "NWM")
                {
                    Reply("AT_BUSY_ERROR");
                    return;
                }

                _numbers[name] = v;
                if (name != "LINKCHECK" && name != "CFM")
                {
                    FlashWrites++;
                }

                Reply("OK");
                if (name == "NWM")
                {
                    Emit("Current Work Mode: LoRaWAN.", 500); // RUI3 restarts on a work mode change
                }

                return;
            }

            Reply("AT_COMMAND_NOT_FOUND");
        }

        private static bool Valid(string name, int v) => name switch
        {
            "NWM" => v is 0 or 1 or 2,
            "BAND" => v is >= 0 and <= 12,
            "DR" => v is >= 0 and <= 7,
            "RETY" => v is >= 0 and <= 7,
            "LINKCHECK" => v is >= 0 and <= 2,
            _ => v is 0 or 1,
        };

        private void Query(string name)
        {
            if (_numbers.TryGetValue(name, out int v))
            {
                Reply($"AT+{name}={v}");
                Reply("OK");
            }
            else if (_keys.TryGetValue(name, out var key))
            {
                Reply($"AT+{name}={Convert.ToHexString(key)}");
                Reply("OK");
            }
            else if (name == "NJS")
            {
                Reply($"AT+NJS={(Joined ? 1 : 0)}");
                Reply("OK");
            }
            else if (name == "CLASS")
            {
                Reply($"AT+CLASS={_class}");
                Reply("OK");
            }
            else if (name == "RECV")
            {
                Reply($"AT+RECV={_lastReceived.port}:{Convert.ToHexString(_lastReceived.data)}");
                Reply("OK");
                _lastReceived = (0, Array.Empty<byte>());
            }
            else
            {
                Reply("AT_COMMAND_NOT_FOUND");
            }
        }

        private bool IsBusy() => Now < _busyUntilMs;

        private void DoJoin()
        {
            if (_numbers["NWM"] != 1)
            {
                Reply("AT_MODE_NO_SUPPORT");
                return;
            }

            if (IsBusy())
            {
                Reply("AT_BUSY_ERROR");
                return;
            }

            Reply("OK");
            long airtimeUs = Transmit(As923.UplinkMicroseconds(2, 23 - As923.LoRaWanOverheadBytes));
            JoinRequests++;
            long airMs = (airtimeUs + 999) / 1000;
            string? addr = _network.Join(DevEuiHex, Convert.ToHexString(_keys["APPEUI"]), _keys["APPKEY"], Now + airMs);
            if (addr != null)
            {
                _devAddr = addr;
                _fCnt = 0;
                _busyUntilMs = Now + airMs + 5_100;
                Emit("+EVT:JOINED", airMs + 5_100);
            }
            else
            {
                _busyUntilMs = Now + airMs + 6_100;
                Emit("+EVT:JOIN_FAILED_RX_TIMEOUT", airMs + 6_100);
            }
        }

        private void DoSend(string arg)
        {
            int colon = arg.IndexOf(':');
            if (colon <= 0 || !int.TryParse(arg.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out int port)
                || port < 1 || port > 223 || !TryHex(arg.Substring(colon + 1), out var data))
            {
                Reply("AT_PARAM_ERROR");
                return;
            }

            if (!Joined)
            {
                Reply("AT_NO_NETWORK_JOINED");
                return;
            }

            if (IsBusy())
            {
                Reply("AT_BUSY_ERROR");
                return;
            }

            int dr = _numbers["DR"];
            if (data.Length > As923.MaxApplicationPayload(dr, uplinkDwellLimit: true))
            {
                Reply("AT_PARAM_ERROR");
                return;
            }

            bool confirmed = _numbers["CFM"] == 1;
            bool linkCheck = _numbers["LINKCHECK"] != 0;
            if (_numbers["LINKCHECK"] == 1)
            {
                _numbers["LINKCHECK"] = 0;
            }

            Reply("OK");
            long airMs = (Transmit(As923.UplinkMicroseconds(dr, data.Length)) + 999) / 1000;
            UplinksSent++;
            PayloadBytesSent += data.Length;
            int fCnt = _fCnt++;
            // The network hears the frame when its transmission ends: that is the time it stamps the event with.
            var outcome = _network.Uplink(DevEuiHex.ToLowerInvariant(), _devAddr!, fCnt, port, data, confirmed, dr, linkCheck || _timeRequest, Now + airMs);

            // RX1 opens 1 s after the end of the uplink (RECEIVE_DELAY1), RX2 at 2 s.
            long rx1 = airMs + 1_000 + 50;
            long done = airMs + 2_000 + 200;
            if (outcome.Downlink is { } dl)
            {
                _lastReceived = dl;
                Emit($"+EVT:RX_1:{outcome.Rssi}:{outcome.Snr}:UNICAST:{dl.port}:{Convert.ToHexString(dl.data)}", rx1);
            }

            if (linkCheck)
            {
                bool answered = outcome.Delivered && (outcome.Acknowledged || outcome.Downlink != null || !confirmed);
                Emit(answered ? $"+EVT:LINKCHECK:0:{Math.Max(0, outcome.Snr + 20)}:{outcome.Gateways}:{outcome.Rssi}:{outcome.Snr}" : "+EVT:LINKCHECK:1:0:0:0:0", rx1 + 1);
            }

            if (_timeRequest)
            {
                Emit(outcome.Delivered ? "+EVT:TIMEREQ_OK" : "+EVT:TIMEREQ_FAILED", rx1 + 2);
                _timeRequest = false;
            }

            if (confirmed)
            {
                Emit(outcome.Acknowledged ? "+EVT:SEND_CONFIRMED_OK" : "+EVT:SEND_CONFIRMED_FAILED(4)", done);
            }
            else
            {
                Emit("+EVT:TX_DONE", done);
            }

            _busyUntilMs = Now + done;
        }

        private long Transmit(long airtimeUs)
        {
            TotalAirtimeUs += airtimeUs;
            LongestTransmissionUs = Math.Max(LongestTransmissionUs, airtimeUs);
            Transmissions.Add((_line.Clock.WallTimeMs, airtimeUs));
            return airtimeUs;
        }

        private static bool TryHex(string hex, out byte[] bytes)
        {
            bytes = Array.Empty<byte>();
            if (hex.Length % 2 != 0)
            {
                return false;
            }

            try
            {
                bytes = Convert.FromHexString(hex);
                return true;
            }
            catch (FormatException)
            {
                return false;
            }
        }
    }
}
