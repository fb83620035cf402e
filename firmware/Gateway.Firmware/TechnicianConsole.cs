using System;
using System.Text;
using Gateway.Core.Control.Technician;
using Gateway.Core.Node;
using Gateway.Core.Sensing;
using Gateway.Core.Storage;
using Gateway.Core.Uplink;

namespace Gateway.Firmware
{
    /// <summary>The technician console's line port over a UART (<see cref="ISerialLine"/>), 115200 8N1, CRLF.</summary>
    public sealed class SerialConsolePort : IConsolePort
    {
        private readonly ISerialLine _line;
        private readonly byte[] _buffer = new byte[ConsoleInterpreter.MaxLineChars + 2];

        /// <summary>Wraps an opened serial line.</summary>
        public SerialConsolePort(ISerialLine line)
        {
            _line = line;
        }

        /// <inheritdoc />
        public string ReadLine(int timeoutMs)
        {
            int n = _line.ReadLine(_buffer, 0, _buffer.Length, timeoutMs);
            if (n < 0)
            {
                return null;
            }

            return new string(Encoding.UTF8.GetChars(_buffer, 0, n));
        }

        /// <inheritdoc />
        public void WriteLine(string line)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(line + "\r\n");
            _line.Write(bytes, 0, bytes.Length);
        }
    }

    /// <summary>
    /// What the console asks of the device, over the composition of this wake. Measurements sample the configured
    /// sources once; commissioning sends what is pending and reports whether an acknowledgement came back.
    /// </summary>
    public sealed class DeviceConsoleServices : IConsoleServices
    {
        private readonly GatewayComposition _root;
        private readonly string _resetLine;
        private bool _testMode;

        /// <summary>Creates the services over this wake's composition; <paramref name="resetLine"/> is the boot report.</summary>
        public DeviceConsoleServices(GatewayComposition root, string resetLine)
        {
            _root = root;
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
            levelMillimeters = 0;
            ISensorSource source = _root.LevelSource;
            if (source == null)
            {
                error = "no level sensor fitted";
                return false;
            }

            Reading r = new Reading();
            r.Channel = source.Channel;
            if (!source.TrySample(ref r) || !r.IsValid)
            {
                error = "sensor did not answer or flagged the reading (status " + ((int)r.Status).ToString() + ")";
                return false;
            }

            levelMillimeters = r.Value;
            error = "";
            return true;
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
