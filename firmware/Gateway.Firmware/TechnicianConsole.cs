using System;
using System.Collections;
using System.IO.Ports;
using System.Text;
using System.Threading;
using Gateway.Bindings.Rak3172;
using Gateway.Bindings.Sim7080;
using Gateway.Control.Provisioning;
using Gateway.Core.Codec;
using Gateway.Control;
using Gateway.Core.Security;
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
    /// The ESP32 side of the technician's services (<see cref="GatewayConsoleServices"/>, the same code a virtual
    /// gateway runs): this wake's composition, measurements that borrow COM3 from the console, the radio's signal,
    /// and the record's way to the cloud.
    /// </summary>
    public sealed class DevicePlatform : IGatewayPlatform
    {
        /// <summary>LoRa demodulation floor per AS923 data rate DR0..DR6 (SF12..SF7, SF7/250 kHz), 0.1 dB.</summary>
        private static readonly int[] DemodFloorTenths = { -200, -175, -150, -125, -100, -75, -75 };

        private readonly GatewayComposition _root;
        private readonly SerialConsolePort _port;
        private readonly string _resetLine;
        private readonly string _wakeLine;

        /// <summary>
        /// The platform over this wake's composition; <paramref name="resetLine"/> is the boot report,
        /// <paramref name="wakeLine"/> this start's timing (<see cref="WakeTiming"/>).
        /// </summary>
        public DevicePlatform(GatewayComposition root, SerialConsolePort port, string resetLine, string wakeLine)
        {
            _root = root;
            _port = port;
            _resetLine = resetLine;
            _wakeLine = wakeLine;
        }

        /// <inheritdoc />
        public ConfigManager Config
        {
            get { return _root.Config; }
        }

        /// <inheritdoc />
        public DeviceProvisioning Provisioning
        {
            get { return _root.Provisioning; }
        }

        /// <inheritdoc />
        public IDurableBlobs Blobs
        {
            get { return _root.Blobs; }
        }

        /// <inheritdoc />
        public IClock Clock
        {
            get { return _root.Clock; }
        }

        /// <inheritdoc />
        public TestClock TestClock
        {
            get { return _root.TestClock; }
        }

        /// <inheritdoc />
        public GatewayNode Node
        {
            get { return _root.Node; }
        }

        /// <inheritdoc />
        public TestModeSources TestSources
        {
            get { return _root.TestSources; }
        }

        /// <inheritdoc />
        public IUplinkTransport Transport
        {
            get { return _root.Transport; }
        }

        /// <inheritdoc />
        public long ElapsedMs
        {
            get { return _root.Clock.UptimeMs; }
        }

        /// <inheritdoc />
        public bool AcknowledgementMayLag
        {
            get { return true; }
        }

        /// <inheritdoc />
        public bool HasAirTemperature
        {
            get { return _root.AirTemperature != null; }
        }

        /// <inheritdoc />
        public bool TryReadAirTemperature(out int millicelsius)
        {
            millicelsius = 0;
            return _root.AirTemperature != null && _root.AirTemperature.TryReadMillicelsius(out millicelsius);
        }

        /// <inheritdoc />
        public bool EnsureNode(out string reason)
        {
            // The node is built at boot; the console runs over this wake's node and never rebuilds it.
            reason = _root.Node == null ? "node not running" : _root.SendRefusal;
            return _root.Node != null && _root.SendRefusal.Length == 0;
        }

        /// <inheritdoc />
        public string[] DescribePlatform()
        {
            return new string[]
            {
                "board: " + _root.Board.Pins.Name,
                _resetLine,
                _wakeLine,
                "sensors: " + (_root.SensorFaults.Length == 0 ? "all opened" : "FAULT " + _root.SensorFaults),
            };
        }

        /// <inheritdoc />
        public IHmacSha256 CreateHmac(byte keyId, byte[] key)
        {
            return new Esp32HmacSha256(keyId, key);
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
        public void ReadLinkSignal(CommissioningRecord record, ArrayList lines)
        {
            Rak3172 radio = _root.Radio;
            GatewayConfig config = _root.Config.Active;
            if (radio != null)
            {
                record.LinkTransport = CommissioningRecord.LinkLora;
                record.SignalA = radio.LastRssiDbm;
                int dr = radio.DataRate < 0 || radio.DataRate > 6 ? 2 : radio.DataRate;
                record.SignalBTenths = (radio.LastSnrDb * 10) - DemodFloorTenths[dr];
                lines.Add("signal: RSSI " + radio.LastRssiDbm.ToString() + " dBm, SNR " + radio.LastSnrDb.ToString() + " dB at DR" + dr.ToString());
                return;
            }

            record.LinkTransport = config.PrimaryTransport == TransportKind.Wifi ? CommissioningRecord.LinkWifi : CommissioningRecord.LinkCellular;
            Sim7080Transport cellular = _root.Cellular;
            if (cellular == null)
            {
                return;
            }

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

        /// <inheritdoc />
        public bool TimeSynchronised(out int correctionMs)
        {
            // The cloud sets the clock by downlink during the link test; the step is not kept.
            correctionMs = 0;
            ClockQuality quality = _root.Clock.Quality;
            return quality == ClockQuality.Network || quality == ClockQuality.Gnss;
        }

        /// <inheritdoc />
        public void WaitForLink(int milliseconds)
        {
            Thread.Sleep(milliseconds);
        }

        /// <inheritdoc />
        public bool SendCommissioningRecord(byte[] record, int length, out string detail)
        {
            if (_root.Mqtt != null)
            {
                string topic = MqttTopics.Commission(_root.Provisioning.DeviceId.ToString());
                _root.Mqtt.Publish(topic, record, null, null, MqttQoSLevel.AtLeastOnce, false);
                detail = "published on " + topic;
                return true;
            }

            Sim7080Transport cellular = _root.Cellular;
            if (cellular != null)
            {
                return cellular.PublishCommissioning(record, length, out detail);
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
                // At DR2 MaxPayloadNow is what a batch's fragments carry, not one frame: records go as fragments then.
                if (!lora.Fragmenting && length <= lora.MaxPayloadNow)
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
    }
}
