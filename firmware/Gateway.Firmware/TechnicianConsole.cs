using System;
using System.IO.Ports;
using System.Text;
using System.Threading;
using Gateway.Core.Control.Technician;
using Gateway.Core.Node;
using Gateway.Core.Sensing;
using Gateway.Core.Storage;
using Gateway.Hardware.Esp32.Board;

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
        private bool _testMode;

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
        public bool Commission(out string[] report)
        {
            GatewayNode node = _root.Node;
            if (node == null || _root.SendRefusal.Length != 0)
            {
                report = new string[] { "cannot send: " + (_root.SendRefusal.Length == 0 ? "node not running" : _root.SendRefusal) };
                return false;
            }

            int before = node.AcknowledgementsApplied;
            int sent = node.SendNow();
            for (int i = 0; i < 10 && node.AcknowledgementsApplied == before; i++)
            {
                System.Threading.Thread.Sleep(1000);
                node.SendNow();
            }

            bool acked = node.AcknowledgementsApplied > before;
            report = new string[]
            {
                "payloads sent: " + sent.ToString(),
                acked ? "acknowledged by the cloud" : "no acknowledgement within 10 s",
            };
            return acked;
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
            _testMode = on;
        }

        /// <inheritdoc />
        public bool InjectSensorValue(ChannelId channel, int value, out string error)
        {
            error = _testMode ? "value injection is not in this firmware image yet" : "not in test mode";
            return false;
        }
    }
}
