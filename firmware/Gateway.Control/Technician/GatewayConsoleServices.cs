using System;
using Gateway.Control.Commissioning;
using Gateway.Control.Config;
using Gateway.Core.Node;
using Gateway.Core.Sensing;
using Gateway.Core.Storage;

namespace Gateway.Control.Technician
{
    /// <summary>
    /// The console's services, one implementation for the ESP32 and the simulator's virtual gateway: status, the
    /// self-test and commissioning (<see cref="Commissioner"/>), raw measurements, the log, test mode and test cycles,
    /// over whatever <see cref="IGatewayPlatform"/> composed.
    /// </summary>
    public sealed class GatewayConsoleServices : IConsoleServices
    {
        private readonly IGatewayPlatform _platform;
        private readonly Commissioner _commissioner;
        private bool _testMode;

        /// <summary>Services over <paramref name="platform"/>.</summary>
        public GatewayConsoleServices(IGatewayPlatform platform)
        {
            _platform = platform;
            _commissioner = new Commissioner(platform);
        }

        /// <summary>The commissioning runner (its last record).</summary>
        public Commissioner Commissioner
        {
            get { return _commissioner; }
        }

        /// <summary>Whether test mode is on (kept across a rebuilt node).</summary>
        public bool TestMode
        {
            get { return _testMode; }
        }

        /// <inheritdoc />
        public string[] DescribeStatus()
        {
            string[] own = _platform.DescribePlatform();
            GatewayNode node = _platform.Node;
            string[] lines = new string[own.Length + 4];
            Array.Copy(own, lines, own.Length);
            int n = own.Length;
            lines[n++] = "clock: " + _platform.TestClock.WallTimeMs.ToString() + " ms, quality " + ((int)_platform.Clock.Quality).ToString()
                + ", test offset " + _platform.TestClock.OffsetMs.ToString() + " ms";
            if (node == null)
            {
                // Status only looks: asking the platform to build the node here would change what it reports. The
                // console's own "send:" line says why sending is refused.
                lines[n++] = "node: not running";
                lines[n++] = "uplink: -";
                lines[n++] = "power: -";
            }
            else
            {
                lines[n++] = "node: boot " + node.BootCounter.ToString() + ", readings stored " + node.ReadingsStored.ToString() + ", alarm level "
                    + ((int)node.Detector.AlarmLevel).ToString() + ", log next sequence " + node.Log.NextSequence.ToString()
                    + (node.HasUnacknowledged ? " (unacknowledged records)" : " (all acknowledged)");
                lines[n++] = "uplink: " + (_platform.Transport == null ? "none" : _platform.Transport.Name);
                lines[n++] = DescribePower(node.Governor);
            }

            return lines;
        }

        /// <summary>The autonomy governor's line: step, stretch, the battery voltage and charge estimate it last used.</summary>
        public static string DescribePower(AutonomyGovernor governor)
        {
            if (governor == null)
            {
                return "power: no governor";
            }

            return "power: step " + governor.Step.ToString() + " " + AutonomyGovernor.Name(governor.Step) + ", quiet routine x" + governor.Stretch.ToString()
                + ", battery " + (governor.Millivolts == 0 ? "-" : governor.Millivolts.ToString() + " mV")
                + ", charge " + (governor.SocPercent < 0 ? "-" : governor.SocPercent.ToString() + " %");
        }

        /// <inheritdoc />
        public bool RunSelfTest(out string[] report)
        {
            return _commissioner.RunSelfTest(out report);
        }

        /// <inheritdoc />
        public bool TryMeasureRawLevel(out int levelMillimeters, out string error)
        {
            return _platform.TryMeasureRawLevel(out levelMillimeters, out error);
        }

        /// <inheritdoc />
        public bool TryMeasureRawTilt(out int xMillidegrees, out int yMillidegrees, out string error)
        {
            return _platform.TryMeasureRawTilt(out xMillidegrees, out yMillidegrees, out error);
        }

        /// <inheritdoc />
        public void NoteTapeReference(int referenceMillimeters, int measuredMillimeters)
        {
            _commissioner.NoteTapeReference(referenceMillimeters);
        }

        /// <inheritdoc />
        public bool Commission(out string[] report)
        {
            return _commissioner.Run(out report);
        }

        /// <inheritdoc />
        public string[] ReadLog(int count)
        {
            GatewayNode node = _platform.Node;
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
                lines[n++] = record.Sequence.ToString() + " " + KindName(record.Kind) + " ch" + ((int)record.Channel).ToString()
                    + " t=" + record.TimeMs.ToString() + " v=" + record.Value.ToString() + (record.Kind == RecordKind.Reading ? "" : " code " + ((int)record.Code).ToString());
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
            if (_platform.TestSources != null)
            {
                _platform.TestSources.SetTestMode(on);
            }
        }

        /// <inheritdoc />
        public bool InjectSensorValue(ChannelId channel, int value, out string error)
        {
            string reason;
            if (!_platform.EnsureNode(out reason) || _platform.TestSources == null)
            {
                error = "node not running: " + reason;
                return false;
            }

            return _platform.TestSources.Inject(channel, value, out error);
        }

        /// <inheritdoc />
        public bool RunTestCycle(int cycleNumber, out string line)
        {
            string reason;
            if (!_platform.EnsureNode(out reason) || _platform.TestSources == null)
            {
                line = "node not running: " + reason;
                return false;
            }

            GatewayConfig config = _platform.Config.HasConfig ? _platform.Config.Active : new GatewayConfig();
            long period = SensingConfiguration.ToEventSettings(config).QuietIntervalMs;
            return TestCycle.Run(_platform.Node, _platform.TestClock, period, _platform.TestSources.Sources.Length, cycleNumber, out line);
        }

        private static string KindName(RecordKind kind)
        {
            switch (kind)
            {
                case RecordKind.Reading:
                    return "reading";
                case RecordKind.Gap:
                    return "gap";
                case RecordKind.Event:
                    return "event";
                case RecordKind.Alarm:
                    return "alarm";
                case RecordKind.Marker:
                    return "marker";
                default:
                    return "kind" + ((int)kind).ToString();
            }
        }
    }
}
