using System;
using System.Collections;
using System.IO.Ports;
using System.Text;
using System.Threading;
using Gateway.Bindings.Rak3172;
using Gateway.Bindings.Sim7080;
using Gateway.Core.Codec;
using Gateway.Control;
using Gateway.Control.Commissioning;
using Gateway.Control.Config;
using Gateway.Control.Technician;
using Gateway.Core.Node;
using Gateway.Core.Sensing;
using Gateway.Core.Storage;
using Gateway.Core.Time;
using Gateway.Core.Uplink;
using Gateway.Hardware.Esp32.Board;
using Gateway.Hardware.Esp32.Security;
using nanoFramework.M2Mqtt.Messages;

namespace Gateway.Firmware
{
    /// <summary>
    /// The technician console's line port on COM3 (header J3), 115200 8N1, CRLF. COM3 is shared with the ultrasonic
    /// sensor: <see cref="Release"/> closes the port so a measurement can take the UART, <see cref="Reopen"/> maps the
    /// console pins again and reopens it.
    /// </summary>
    public sealed class SerialConsolePort : IConsolePort
    {
        private const int PollMs = 10;
        private readonly BoardSetup _board;
        private readonly byte[] _line = new byte[ConsoleInterpreter.MaxLineChars + 2];
        private readonly byte[] _one = new byte[1];
        private SerialPort _port;
        private int _length;

        /// <summary>Maps the console pins and opens COM3.</summary>
        public SerialConsolePort(BoardSetup board)
        {
            _board = board;
            Reopen();
        }

        /// <summary>Closes COM3 (before another user of the UART).</summary>
        public void Release()
        {
            if (_port != null)
            {
                _port.Dispose();
                _port = null;
            }
        }

        /// <summary>Maps the console pins and opens COM3 again.</summary>
        public void Reopen()
        {
            Release();
            _board.MapCom3ToConsole();
            _port = new SerialPort("COM3", 115200, Parity.None, 8, StopBits.One);
            _port.ReadTimeout = 50;
            _port.Open();
            _length = 0;
        }

        /// <inheritdoc />
        public string ReadLine(int timeoutMs)
        {
            int waited = 0;
            while (true)
            {
                while (_port.BytesToRead > 0 && _port.Read(_one, 0, 1) == 1)
                {
                    byte b = _one[0];
                    if (b == (byte)'\n' || b == (byte)'\r')
                    {
                        if (_length == 0)
                        {
                            continue;
                        }

                        string text = new string(Encoding.UTF8.GetChars(_line, 0, _length));
                        _length = 0;
                        return text;
                    }

                    if (_length < _line.Length)
                    {
                        _line[_length++] = b;
                    }
                }

                if (waited >= timeoutMs)
                {
                    return null;
                }

                Thread.Sleep(PollMs);
                waited += PollMs;
            }
        }

        /// <inheritdoc />
        public void WriteLine(string line)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(line + "\r\n");
            _port.Write(bytes, 0, bytes.Length);
        }
    }

    /// <summary>
    /// What the console asks of the device, over the composition of this wake. Measurements sample the configured
    /// sources once; commissioning sends what is pending and reports whether an acknowledgement came back.
    /// </summary>
    public sealed class DeviceConsoleServices : IConsoleServices
    {
        private readonly GatewayComposition _root;
        private readonly SerialConsolePort _port;
        private readonly string _resetLine;
        private bool _hasTape;
        private int _tapeMm;

        /// <summary>This image's firmware version: major &lt;&lt; 24 | minor &lt;&lt; 16 | build (1.0.0).</summary>
        public const uint FirmwareVersion = 1u << 24;

        /// <summary>LoRa demodulation floor per AS923 data rate DR0..DR6 (SF12..SF7, SF7/250 kHz), 0.1 dB.</summary>
        private static readonly int[] DemodFloorTenths = { -200, -175, -150, -125, -100, -75, -75 };

        /// <summary>Creates the services over this wake's composition; <paramref name="resetLine"/> is the boot report.</summary>
        public DeviceConsoleServices(GatewayComposition root, SerialConsolePort port, string resetLine)
        {
            _root = root;
            _port = port;
            _resetLine = resetLine;
        }

        /// <inheritdoc />
        public string[] DescribeStatus()
        {
            GatewayNode node = _root.Node;
            uint oldest;
            bool pending = node != null && node.Log.TryGetOldestUnacknowledged(out oldest);
            return new string[]
            {
                "board: " + _root.Board.Pins.Name,
                _resetLine,
                "boot counter: " + (node == null ? "-" : node.BootCounter.ToString()),
                "log next sequence: " + (node == null ? "-" : node.Log.NextSequence.ToString()) + (pending ? " (unacknowledged records)" : " (all acknowledged)"),
                "clock: " + _root.Clock.WallTimeMs.ToString() + " ms, quality " + ((int)_root.Clock.Quality).ToString(),
                "sensors: " + (_root.SensorFaults.Length == 0 ? "all opened" : "FAULT " + _root.SensorFaults),
                "send: " + (_root.SendRefusal.Length == 0 ? "allowed over " + (_root.Transport == null ? "-" : _root.Transport.Name) : "REFUSED: " + _root.SendRefusal),
            };
        }

        /// <inheritdoc />
        public bool RunSelfTest(out string[] report)
        {
            int level;
            string levelError;
            bool levelOk = TryMeasureRawLevel(out level, out levelError);
            int x;
            int y;
            string tiltError;
            bool tiltOk = _root.Inclinometer == null || TryMeasureRawTilt(out x, out y, out tiltError);
            report = new string[]
            {
                "level: " + (levelOk ? level.ToString() + " mm" : "FAIL " + levelError),
                "tilt: " + (_root.Inclinometer == null ? "not fitted" : tiltOk ? "ok" : "FAIL"),
                "flash: " + (_root.Node != null ? "log open" : "FAIL not open"),
                "send: " + (_root.SendRefusal.Length == 0 ? "allowed" : "REFUSED " + _root.SendRefusal),
            };
            return levelOk && tiltOk && _root.Node != null;
        }

        /// <inheritdoc />
        public bool TryMeasureRawLevel(out int levelMillimeters, out string error)
        {
            // The ultrasonic sensor needs COM3: the console lets go of it for the measurement (about a second).
            _port.WriteLine("measuring (console paused)");
            _port.Release();
            bool ok;
            try
            {
                ok = _root.TryMeasureLevelOnce(out levelMillimeters, out error);
            }
            finally
            {
                _port.Reopen();
            }

            // The measurement applies channels.level_offset_mm (ultrasonic at a river site, or pressure): take it out.
            GatewayConfig config = _root.Config.HasConfig ? _root.Config.Active : null;
            if (ok && config != null && ((config.UltrasonicFitted && config.SiteKind == SiteKind.River) || (!config.UltrasonicFitted && config.PressureFitted)))
            {
                levelMillimeters -= config.LevelOffsetMillimeters;
            }

            return ok;
        }

        /// <inheritdoc />
        public bool TryMeasureRawTilt(out int xMillidegrees, out int yMillidegrees, out string error)
        {
            xMillidegrees = 0;
            yMillidegrees = 0;
            if (_root.Inclinometer == null)
            {
                error = "no inclinometer fitted";
                return false;
            }

            _root.Inclinometer.Measure();
            if (_root.Inclinometer.LastStatus != ReadingStatus.Ok)
            {
                error = "inclinometer status " + ((int)_root.Inclinometer.LastStatus).ToString();
                return false;
            }

            xMillidegrees = _root.Inclinometer.LastPitch;
            yMillidegrees = _root.Inclinometer.LastRoll;
            error = "";
            return true;
        }

        /// <inheritdoc />
        public void NoteTapeReference(int referenceMillimeters, int measuredMillimeters)
        {
            _hasTape = true;
            _tapeMm = referenceMillimeters;
        }

        /// <inheritdoc />
        public bool Commission(out string[] report)
        {
            GatewayNode node = _root.Node;
            if (node == null || _root.SendRefusal.Length != 0)
            {
                report = new string[] { "cannot send: " + (_root.SendRefusal.Length == 0 ? "node not running" : _root.SendRefusal) };
                return false;
            }

            ArrayList lines = new ArrayList();
            CommissioningRecord record = new CommissioningRecord();
            record.DeviceId = _root.Provisioning.DeviceId;
            record.FirmwareVersion = FirmwareVersion;
            record.ConfigGeneration = (uint)_root.Config.Generation;
            byte[] key = new byte[32];
            _root.Provisioning.TryCopyDeviceKey(key, 0);
            Esp32HmacSha256 hmac = new Esp32HmacSha256(_root.Provisioning.KeyId, key);
            Array.Clear(key, 0, key.Length);
            GatewayConfig config = _root.Config.Active;

            // 1. Every fitted sensor once (flagged Maintenance: a technician's session). The ultrasonic needs COM3.
            ISensorSource[] sources = _root.TestSources.Sources;
            bool testMode = _root.TestSources.TestMode;
            for (int i = 0; i < sources.Length; i++)
            {
                Reading r = new Reading();
                r.Channel = sources[i].Channel;
                bool ultrasonic = config.UltrasonicFitted && _root.LevelSource != null && i == 0 && sources[i].Channel == _root.LevelSource.Channel;
                if (ultrasonic && !testMode)
                {
                    int level;
                    string error;
                    if (TryMeasureRawLevel(out level, out error))
                    {
                        r.Value = level + (config.SiteKind == SiteKind.River ? config.LevelOffsetMillimeters : 0);
                    }
                    else
                    {
                        r.Status = ReadingStatus.NoEcho;
                    }
                }
                else if (!sources[i].TrySample(ref r))
                {
                    continue;
                }

                r.Status |= ReadingStatus.Maintenance;
                record.AddSensor(r.Channel, r.Value, r.Status);
                lines.Add("sensor ch" + ((int)r.Channel).ToString() + ": " + r.Value.ToString() + " status 0x" + ((int)r.Status).ToString("X4"));
            }

            // 2. Link test with 4. the storage check: a link-test marker is written to the log (committed at once) and
            // read back, then sent; the round trip ends when the cloud's acknowledgement is applied.
            uint seq = node.Log.AppendEvent(RecordKind.Marker, 0, _root.TestClock.WallTimeMs, MarkerCode.TechnicianLinkTest, 0);
            LogRecord back;
            bool stored = node.Log.TryReadNext(seq, out back) && back.Sequence == seq && back.Kind == RecordKind.Marker && back.Code == MarkerCode.TechnicianLinkTest;
            if (stored)
            {
                record.Flags |= CommissioningRecord.FlagStorageOk;
            }

            lines.Add("flash: " + (stored ? "ok (link-test record " + seq.ToString() + " written and read back)" : "FAIL record not read back"));
            int before = node.AcknowledgementsApplied;
            long t0 = _root.Clock.UptimeMs;
            int sent = node.SendNow();
            for (int i = 0; i < 10 && node.AcknowledgementsApplied == before; i++)
            {
                Thread.Sleep(1000);
                sent += node.SendNow();
            }

            bool acked = node.AcknowledgementsApplied > before;
            long rtt = _root.Clock.UptimeMs - t0;
            record.RoundTripMs = acked ? (rtt > 65534 ? 65534 : (int)rtt) : CommissioningRecord.NoRoundTrip;
            if (acked)
            {
                record.Flags |= CommissioningRecord.FlagLinkOk;
                _root.Config.ReportUplinkSuccess();
            }

            Rak3172 radio = _root.Radio;
            if (radio != null)
            {
                record.LinkTransport = CommissioningRecord.LinkLora;
                record.SignalA = radio.LastRssiDbm;
                int dr = radio.DataRate < 0 || radio.DataRate > 6 ? 2 : radio.DataRate;
                record.SignalBTenths = (radio.LastSnrDb * 10) - DemodFloorTenths[dr];
            }
            else
            {
                record.LinkTransport = config.PrimaryTransport == TransportKind.Wifi ? CommissioningRecord.LinkWifi : CommissioningRecord.LinkCellular;
                Sim7080Transport cellular = _root.Cellular;
                if (cellular != null)
                {
                    // RSRP and SINR from AT+CPSI (CSQ's RSSI when the cell gives no LTE metrics); 0 = not measured.
                    Sim7080Signal signal = new Sim7080Signal();
                    if (cellular.Driver.ReadSignal(signal) == Sim7080Status.Ok)
                    {
                        record.SignalA = signal.HasCellMetrics ? signal.RsrpDbm : signal.CsqDbm;
                        record.SignalBTenths = signal.HasCellMetrics ? signal.SinrDb * 10 : 0;
                        lines.Add("signal: " + (signal.HasCellMetrics
                            ? "RSRP " + signal.RsrpDbm.ToString() + " dBm, RSRQ " + signal.RsrqDb.ToString() + " dB, SINR " + signal.SinrDb.ToString() + " dB"
                            : "RSSI " + signal.CsqDbm.ToString() + " dBm (no LTE cell metrics)"));
                    }
                    else
                    {
                        lines.Add("signal: not read (last +CME ERROR " + cellular.Driver.LastCmeError.ToString() + ")");
                    }
                }
            }

            lines.Add("link: " + CommissioningRecord.LinkName(record.LinkTransport) + ", " + sent.ToString() + " payload(s) sent, "
                + (acked ? "acknowledged in " + rtt.ToString() + " ms" : "NO acknowledgement within 10 s"));

            // 3. Time: the cloud sets the clock by downlink; a network-quality clock after the link test is a synced clock.
            ClockQuality quality = _root.Clock.Quality;
            record.TimeSync = quality == ClockQuality.Network || quality == ClockQuality.Gnss ? CommissioningRecord.TimeSyncOk : CommissioningRecord.TimeSyncFailed;
            if (record.TimeSync == CommissioningRecord.TimeSyncOk)
            {
                record.Flags |= CommissioningRecord.FlagTimeSyncOk;
            }

            lines.Add("time: quality " + ((int)quality).ToString() + (record.TimeSync == CommissioningRecord.TimeSyncOk ? " (synced)" : " (NOT synced)"));

            // 5. Self-test.
            string[] selfTest;
            if (RunSelfTest(out selfTest))
            {
                record.Flags |= CommissioningRecord.FlagSelfTestPassed;
            }

            for (int i = 0; i < selfTest.Length; i++)
            {
                lines.Add("self-test " + selfTest[i]);
            }

            if (_hasTape)
            {
                record.Flags |= CommissioningRecord.FlagTapeReference;
                record.TapeReferenceMm = _tapeMm;
            }

            if (testMode)
            {
                record.Flags |= CommissioningRecord.FlagTestMode;
            }

            CommissioningRecord.DigestConfig(hmac, Encoding.UTF8.GetBytes(_root.Config.ActiveJson()), record.ConfigDigest, 0);
            record.TimeMs = _root.TestClock.WallTimeMs;
            record.ClockQuality = quality;
            byte[] bytes = new byte[record.Length];
            int n = record.Encode(hmac, bytes, 0);
            lines.Add("record hex (" + n.ToString() + " bytes, " + BatchFragmenter.FragmentCount(n).ToString() + " LoRaWAN DR2 fragments): " + HexText.ToHex(bytes, 0, n));
            string[] described = record.Describe();
            for (int i = 0; i < described.Length; i++)
            {
                lines.Add(described[i]);
            }

            string sendError;
            bool published = SendRecord(bytes, n, out sendError);
            lines.Add(published ? "record sent: " + sendError : "record NOT sent: " + sendError);
            report = new string[lines.Count];
            lines.CopyTo(report, 0);
            return published && acked && stored && record.Has(CommissioningRecord.FlagSelfTestPassed);
        }

        /// <summary>Sends the record: MQTT topic gw/{id}/commission, or LoRaWAN FPort 5 (whole) / 6 (11-byte fragments).</summary>
        private bool SendRecord(byte[] record, int length, out string detail)
        {
            if (_root.Mqtt != null)
            {
                string topic = MqttTopics.Commission(_root.Provisioning.DeviceId.ToString());
                _root.Mqtt.Publish(topic, record, null, null, MqttQoSLevel.AtLeastOnce, false);
                detail = "published on " + topic;
                return true;
            }

            Rak3172Transport lora = _root.Transport as Rak3172Transport;
            if (lora == null)
            {
                detail = "no transport can carry it";
                return false;
            }

            int port = lora.Port;
            try
            {
                if (length <= lora.MaxPayloadNow)
                {
                    lora.Port = CommissioningRecord.LoRaPort;
                    UplinkResult whole = lora.Send(record, 0, length, PayloadClass.Alarm);
                    detail = "FPort " + CommissioningRecord.LoRaPort.ToString() + ", one frame";
                    return whole.HandedOver;
                }

                int count = BatchFragmenter.FragmentCount(length);
                byte[] frame = new byte[BatchFragmenter.FrameBytes];
                lora.Port = CommissioningRecord.LoRaFragmentPort;
                for (int i = 0; i < count; i++)
                {
                    int f = BatchFragmenter.WriteFragment(record, 0, length, i, frame, 0);
                    UplinkResult r = lora.Send(frame, 0, f, PayloadClass.Alarm);
                    if (!r.HandedOver)
                    {
                        detail = "fragment " + i.ToString() + " of " + count.ToString() + " not sent (" + ((int)r.Status).ToString() + ")";
                        return false;
                    }
                }

                detail = "FPort " + CommissioningRecord.LoRaFragmentPort.ToString() + ", " + count.ToString() + " fragments";
                return true;
            }
            finally
            {
                lora.Port = port;
            }
        }

        /// <inheritdoc />
        public string[] ReadLog(int count)
        {
            GatewayNode node = _root.Node;
            if (node == null || count <= 0)
            {
                return new string[0];
            }

            uint next = node.Log.NextSequence;
            uint from = next > (uint)count ? next - (uint)count : 0;
            string[] lines = new string[count];
            int n = 0;
            LogRecord record;
            uint seq = from;
            while (n < count && node.Log.TryReadNext(seq, out record))
            {
                lines[n++] = record.Sequence.ToString() + " " + ((int)record.Kind).ToString() + " ch" + ((int)record.Channel).ToString()
                    + " t=" + record.TimeMs.ToString() + " v=" + record.Value.ToString();
                seq = record.Sequence + 1;
            }

            string[] result = new string[n];
            Array.Copy(lines, result, n);
            return result;
        }

        /// <inheritdoc />
        public void SetTestMode(bool on)
        {
            if (_root.TestSources != null)
            {
                _root.TestSources.SetTestMode(on);
            }
        }

        /// <inheritdoc />
        public bool InjectSensorValue(ChannelId channel, int value, out string error)
        {
            if (_root.TestSources == null)
            {
                error = "node not running";
                return false;
            }

            return _root.TestSources.Inject(channel, value, out error);
        }

        /// <inheritdoc />
        public bool RunTestCycle(int cycleNumber, out string line)
        {
            if (_root.Node == null || _root.TestSources == null)
            {
                line = "node not running";
                return false;
            }

            GatewayConfig config = _root.Config.HasConfig ? _root.Config.Active : new GatewayConfig();
            if (config.UltrasonicFitted && _root.LevelSource != null && !_root.TestSources.HasInjected(_root.LevelSource.Channel))
            {
                // The ultrasonic sensor shares COM3 with this console: it cannot be read while the console holds it.
                line = "inject the level first (the ultrasonic sensor shares COM3 with the console)";
                return false;
            }

            long period = SensingConfiguration.ToEventSettings(config).QuietIntervalMs;
            return TestCycle.Run(_root.Node, _root.TestClock, period, _root.TestSources.Sources.Length, cycleNumber, out line);
        }
    }
}
